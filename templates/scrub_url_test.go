package templates

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestTransportErrorScrubsReencodedKey: a same-origin redirect may echo the
// query API key in Location with escapes of its own ("%2f" where the
// client sent "%2F"), under its name or another one; when the next hop
// fails, the *url.Error must not print the key in any spelling.
func TestTransportErrorScrubsReencodedKey(t *testing.T) {
	const secret = "a/b+cSECRET"
	lower := func(s string) string {
		return strings.NewReplacer("%2F", "%2f", "%2B", "%2b").Replace(s)
	}
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/same-name":
			w.Header().Set("Location", srv.URL+"/fail?"+lower(r.URL.RawQuery))
			w.WriteHeader(http.StatusFound)
		case "/other-name":
			w.Header().Set("Location", srv.URL+"/fail?next="+lower(url.QueryEscape(r.URL.Query().Get("api_key"))))
			w.WriteHeader(http.StatusFound)
		case "/in-path":
			w.Header().Set("Location", srv.URL+"/fail/"+lower(url.PathEscape(r.URL.Query().Get("api_key"))))
			w.WriteHeader(http.StatusFound)
		default: // the failing hop: the connection drops
			c, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				c.Close()
			}
		}
	}))
	defer srv.Close()
	for _, path := range []string{"/same-name", "/other-name", "/in-path"} {
		t.Run(path, func(t *testing.T) {
			c := clientWith(t, srv.URL, nil, WithAuth("queryKey", APIKey(secret)))
			op := &operation{id: "Op", method: "GET", path: path, security: [][]string{{"queryKey"}}}
			err := c.do(context.Background(), op, newRequest(nil), nil)
			if err == nil {
				t.Fatal("want a transport error")
			}
			var ue *url.Error
			if !errors.As(err, &ue) {
				t.Errorf("%T lost its *url.Error", err)
			}
			for e := err; e != nil; e = errors.Unwrap(e) {
				if strings.Contains(e.Error(), "SECRET") {
					t.Errorf("%T prints the key: %v", e, e)
				}
			}
		})
	}
}
