package kiiex

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// The runtime's security rules, checked through the generated client: the
// templates package tests them in depth; these tests pin that the generated
// types and methods take part.

func TestGeneratedSecretsNotLogged(t *testing.T) {
	tok := "SESSION-SECRET"
	for name, v := range map[string]any{
		"PasswordCredentials":  PasswordCredentials{UserName: "bob", Password: "PW-SECRET"},
		"*APIKeyCredentials":   &APIKeyCredentials{APIKey: "k", Signature: "SIG-SECRET", UserID: "96", Nonce: "1"},
		"AuthenticationResult": AuthenticationResult{SessionToken: &tok},
		"APIKeyLogin":          APIKeyLogin{APIKey: "k", APISecret: "API-SECRET", UserID: "96"},
	} {
		var buf bytes.Buffer
		for _, h := range []slog.Handler{slog.NewJSONHandler(&buf, nil), slog.NewTextHandler(&buf, nil)} {
			slog.New(h).Info("login", "v", v)
		}
		out := buf.String() + fmt.Sprintf("%v %+v %#v", v, v, v)
		if strings.Contains(out, "SECRET") || !strings.Contains(out, "[REDACTED]") {
			t.Errorf("%s: %s", name, out)
		}
	}
	// A request body still carries its secret on the wire: only the
	// runtime's own APIKeyLogin (whose secret is never sent) redacts JSON.
	if b, _ := json.Marshal(PasswordCredentials{UserName: "bob", Password: "pw"}); !strings.Contains(string(b), `"Password":"pw"`) {
		t.Errorf("PasswordCredentials JSON = %s", b)
	}
	if b, _ := json.Marshal(APIKeyLogin{APISecret: "API-SECRET"}); strings.Contains(string(b), "API-SECRET") {
		t.Errorf("APIKeyLogin JSON = %s", b)
	}
}

func TestGeneratedLoginErrorScrubsEchoedPassword(t *testing.T) {
	f := newFakeKIIEX(t)
	f.setOverride("AuthenticateUser", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]any{"result": false, "errorcode": 100, "errormsg": "cannot parse " + string(b), "detail": string(b)})
	})
	c := f.client(t)
	_, err := c.AuthenticateUser(context.Background(), &PasswordCredentials{UserName: "bob", Password: "PW\"<SECRET>"})
	var ae *APIError
	if !errors.As(err, &ae) || !errors.Is(err, ErrInvalidRequest) {
		t.Fatalf("err = %v", err)
	}
	all := err.Error() + ae.Message + ae.Detail + string(ae.Raw) + fmt.Sprint(ae.Body)
	if strings.Contains(all, "SECRET") || !strings.Contains(all, "bob") {
		t.Errorf("APIError = %s", all)
	}
}

func TestGeneratedCallRedirectKeepsToken(t *testing.T) {
	var mu sync.Mutex
	var leaked []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		for _, h := range []string{"Authorization", "aptoken", "APIKey", "Signature", "Referer"} {
			if v := r.Header.Get(h); v != "" {
				leaked = append(leaked, h+": "+v)
			}
		}
		mu.Unlock()
		io.WriteString(w, `[]`)
	}))
	defer other.Close()
	f := newFakeKIIEX(t)
	f.setOverride("GetAccountPositions", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/elsewhere", http.StatusSeeOther)
	})
	// A caller's client with a timeout, the natural way to set one.
	c := f.client(t, WithHTTPClient(&http.Client{Timeout: 10 * time.Second}))
	sess, err := c.LoginWithAPIKey(context.Background(), f.login())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetAccountPositions(context.Background(), &GetAccountPositionsRequest{AccountID: sess.AccountID, OMSID: sess.OMSID}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(leaked) > 0 {
		t.Errorf("session token followed a cross-origin redirect: %v", leaked)
	}
}
