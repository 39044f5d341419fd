package templates

import (
	"context"
	"net/http"
)

// defaultWSDial is the transport of DialWS: the RFC 6455 client of
// websocket.go with its defaults (16 MiB messages, 30 s handshake).
func defaultWSDial(ctx context.Context, rawURL string, header http.Header) (frameConn, error) {
	c, err := dialWebSocket(ctx, rawURL, wsDialOptions{header: header})
	if err != nil {
		return nil, err
	}
	return c, nil
}
