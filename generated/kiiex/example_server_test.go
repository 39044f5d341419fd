package kiiex_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
)

// startExampleServer is a minimal KIIEX stand-in for the examples: it
// checks the API-key signature of the login and the session token of the
// balance call. The strict fake used by the tests is in fakeserver_test.go.
func startExampleServer() *httptest.Server {
	const token = "example-session-token"
	mac := hmac.New(sha256.New, []byte("your-api-secret"))
	io.WriteString(mac, "2247733562"+"96"+"your-api-key")
	signature := hex.EncodeToString(mac.Sum(nil))

	mux := http.NewServeMux()
	mux.HandleFunc("POST /AuthenticateUser", func(w http.ResponseWriter, r *http.Request) {
		var body struct{ APIKey, Signature, UserId, Nonce string }
		if json.NewDecoder(r.Body).Decode(&body) != nil || body.Signature != signature {
			io.WriteString(w, `{"authenticated":false,"errormsg":"Invalid signature"}`)
			return
		}
		io.WriteString(w, `{"authenticated":true,"SessionToken":"`+token+`",
			"user":{"userId":96,"userName":"swapper","accountId":185,"omsId":1}}`)
	})
	mux.HandleFunc("POST /GetAccountPositions", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("aptoken") != token {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		io.WriteString(w, `[
			{"omsId":1,"accountId":185,"productSymbol":"USDT","productId":1,"amount":35000.35,"hold":0},
			{"omsId":1,"accountId":185,"productSymbol":"COPM","productId":7,"amount":123456789.123456789,"hold":0}]`)
	})
	return httptest.NewServer(mux)
}
