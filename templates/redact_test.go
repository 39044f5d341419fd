package templates

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// verbs are the fmt verbs every secret-bearing type is printed with.
var verbs = []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10v", "%-30s", "%T", "%t"}

// assertNoSecret prints v with every verb, alone and nested in a struct,
// slice, map and interface, and fails if any output contains a secret.
func assertNoSecret(t *testing.T, name string, v any, secrets ...string) {
	t.Helper()
	type holder struct {
		Exported any
		List     []any
		Map      map[string]any
	}
	forms := map[string]any{
		"direct": v,
		"nested": holder{Exported: v, List: []any{v}, Map: map[string]any{"k": v}},
		"ptr":    &holder{Exported: v},
	}
	for form, x := range forms {
		for _, verb := range verbs {
			out := fmt.Sprintf(verb, x)
			for _, s := range secrets {
				if strings.Contains(out, s) || strings.Contains(strings.ToLower(out), strings.ToLower(fmt.Sprintf("%x", s))) {
					t.Errorf("%s (%s) printed with %s leaks %q: %s", name, form, verb, s, out)
				}
			}
		}
	}
	if s, ok := v.(fmt.Stringer); ok {
		for _, sec := range secrets {
			if strings.Contains(s.String(), sec) {
				t.Errorf("%s.String() leaks %q", name, sec)
			}
		}
	}
	if s, ok := v.(fmt.GoStringer); ok {
		for _, sec := range secrets {
			if strings.Contains(s.GoString(), sec) {
				t.Errorf("%s.GoString() leaks %q", name, sec)
			}
		}
	}
}

// userLogin is what the generator emits for a schema with a secret field.
type userLogin struct {
	UserName string
	Password string
	Code     int
}

func (x userLogin) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x, "Password") }
func (x userLogin) String() string                { return fmt.Sprint(x) }
func (x userLogin) GoString() string              { return fmt.Sprintf("%#v", x) }

type withNested struct {
	Login  userLogin
	PLogin *userLogin
	Token  Nullable[string]
	note   string
	ptr    *int
}

func (x withNested) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x, "Token") }

func TestFormatRedactedShape(t *testing.T) {
	l := userLogin{UserName: "Alice", Password: "hunter2", Code: 7}
	for verb, want := range map[string]string{
		"%v":  "{Alice [REDACTED] 7}",
		"%+v": "{UserName:Alice Password:[REDACTED] Code:7}",
		"%#v": `templates.userLogin{UserName:"Alice", Password:"[REDACTED]", Code:7}`,
		"%s":  "{Alice [REDACTED] %!s(int=7)}",
		"%q":  `{"Alice" "[REDACTED]" '\a'}`,
	} {
		if got := fmt.Sprintf(verb, l); got != want {
			t.Errorf("%s: got %s, want %s", verb, got, want)
		}
	}
	// fmt calls the value-receiver Format through the pointer, so no "&".
	if got := fmt.Sprintf("%v|%+v", &l, []userLogin{l}); got != "{Alice [REDACTED] 7}|[{UserName:Alice Password:[REDACTED] Code:7}]" {
		t.Errorf("pointer/slice: %s", got)
	}
	if got := l.String() + "|" + l.GoString(); got != `{Alice [REDACTED] 7}|templates.userLogin{UserName:"Alice", Password:"[REDACTED]", Code:7}` {
		t.Errorf("String/GoString: %s", got)
	}
	// An empty secret is shown as empty, so "not set" stays visible.
	if got := fmt.Sprintf("%+v", userLogin{UserName: "Bob"}); got != "{UserName:Bob Password: Code:0}" {
		t.Errorf("empty secret: %s", got)
	}
	var nilp *userLogin
	if got := fmt.Sprintf("%v", nilp); got != "<nil>" {
		t.Errorf("nil pointer: %s", got)
	}
	n := withNested{Login: l, PLogin: &l, Token: NewNullable("tok-secret"), note: "n"}
	got := fmt.Sprintf("%+v", n)
	if want := "{Login:{UserName:Alice Password:[REDACTED] Code:7} PLogin:{UserName:Alice Password:[REDACTED] Code:7} Token:[REDACTED] note:n ptr:<nil>}"; got != want {
		t.Errorf("nested:\n got %s\nwant %s", got, want)
	}
	assertNoSecret(t, "userLogin", l, "hunter2")
	assertNoSecret(t, "withNested", n, "hunter2", "tok-secret")
}

func TestCredentialsRedacted(t *testing.T) {
	for name, c := range map[string]Credential{
		"bearer": BearerToken("tok-SECRET-1"),
		"apikey": APIKey("key-SECRET-2"),
		"basic":  BasicAuth("alice", "pw-SECRET-3"),
	} {
		assertNoSecret(t, name, c, "SECRET")
	}
	if got := fmt.Sprintf("%v %#v", BasicAuth("alice", "pw"), BearerToken("t")); got != `BasicAuth("alice", [REDACTED]) templates.BearerToken("[REDACTED]")` {
		t.Errorf("got %s", got)
	}
}

func TestClientRedacted(t *testing.T) {
	c, err := NewClient("https://x/ap", withSchemes(testSchemes),
		WithAuth("bearerAuth", BearerToken("tok-SECRET-1")),
		WithAuth("basicAuth", BasicAuth("u", "pw-SECRET-2")),
		WithSessionToken("sess-SECRET-3"))
	if err != nil {
		t.Fatal(err)
	}
	assertNoSecret(t, "Client", c, "SECRET")
	if got := fmt.Sprint(c); got != "Client(https://x/ap)" {
		t.Errorf("Client prints as %s", got)
	}
}

func TestAPIErrorNeverPrintsRaw(t *testing.T) {
	e := &APIError{StatusCode: 500, Operation: "Op", Message: "boom", Raw: []byte(`{"token":"RAW-SECRET"}`)}
	var err error = fmt.Errorf("wrapped: %w", e)
	assertNoSecret(t, "APIError", e, "RAW-SECRET")
	assertNoSecret(t, "wrapped APIError", err, "RAW-SECRET")
	if !strings.Contains(fmt.Sprintf("%#v", e), "/* 22 bytes */") {
		t.Errorf("GoString = %#v", e)
	}
}

func TestNoSecretsInErrors(t *testing.T) {
	// A failing transport: every error string the client builds around a
	// call with every kind of credential configured.
	boom := errors.New("connection reset")
	c := newTestClient(t, "https://x", WithHTTPClient(doerFunc(func(r *http.Request) (*http.Response, error) {
		return nil, boom
	})), WithAuth("bearerAuth", BearerToken("SECRET-A")), WithAuth("queryKey", APIKey("SECRET-B")),
		WithAuth("cookieKey", APIKey("SECRET-C")), WithSessionToken("SECRET-D"))
	op := &operation{id: "Op", method: "GET", path: "/", security: [][]string{{"bearerAuth", "queryKey", "cookieKey"}}}
	err := c.do(context.Background(), op, nil, nil)
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	assertNoSecret(t, "transport error", err, "SECRET")
}
