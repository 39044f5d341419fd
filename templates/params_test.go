package templates

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// rgb is an object parameter; its fields marshal in declaration order, as
// the style table's examples list R, G, B.
type rgb struct {
	R int `json:"R"`
	G int `json:"G"`
	B int `json:"B"`
}

// TestQueryStyleTable checks every query cell of the OpenAPI 3 "Style
// Values" table byte for byte, plus the cases the table leaves open.
func TestQueryStyleTable(t *testing.T) {
	blue := "blue"
	colors := []string{"blue", "black", "brown"}
	obj := rgb{100, 200, 150}
	for _, tc := range []struct {
		style   string
		explode bool
		v       any
		want    string
	}{
		{"form", false, blue, "color=blue"},
		{"form", true, blue, "color=blue"},
		{"form", false, colors, "color=blue,black,brown"},
		{"form", true, colors, "color=blue&color=black&color=brown"},
		{"form", false, obj, "color=R,100,G,200,B,150"},
		{"form", true, obj, "R=100&G=200&B=150"},
		{"form", false, "", "color="},
		{"form", false, []string{}, "color="},
		{"form", true, []string{}, ""},
		{"spaceDelimited", false, colors, "color=blue%20black%20brown"},
		{"spaceDelimited", false, obj, "color=R%20100%20G%20200%20B%20150"},
		{"pipeDelimited", false, colors, "color=blue|black|brown"},
		{"pipeDelimited", false, obj, "color=R|100|G|200|B|150"},
		{"pipeDelimited", true, colors, "color=blue&color=black&color=brown"},
		{"deepObject", true, obj, "color[R]=100&color[G]=200&color[B]=150"},
		{"deepObject", true, colors, "color[0]=blue&color[1]=black&color[2]=brown"},
		// Maps marshal with sorted keys; null members are not sent.
		{"deepObject", true, map[string]any{"b": map[string]any{"y": 2, "x": nil}, "a": []int{1}}, "color[a][0]=1&color[b][y]=2"},
		{"form", true, map[string]string{"z": "1", "a": "2"}, "a=2&z=1"},
		// Delimiters inside values are encoded, so they cannot split them.
		{"form", false, []string{"a,b", "c d", "e&f=g"}, "color=a%2Cb,c%20d,e%26f%3Dg"},
		{"pipeDelimited", false, []string{"a|b"}, "color=a%7Cb"},
		// Scalars that are structs in Go stay scalars.
		{"form", true, MustDecimal("1.50"), "color=1.50"},
		{"form", true, Ptr(int64(7)), "color=7"},
		{"form", true, (*int)(nil), ""},
		{"form", true, NewNullable("x y"), "color=x%20y"},
	} {
		r := newRequest(nil)
		r.addQuery("color", tc.v, tc.style, tc.explode, false)
		if r.err != nil {
			t.Errorf("%s explode=%v %#v: %v", tc.style, tc.explode, tc.v, r.err)
		}
		if got := strings.Join(r.query, "&"); got != tc.want {
			t.Errorf("%s explode=%v %#v:\n got %s\nwant %s", tc.style, tc.explode, tc.v, got, tc.want)
		}
	}
}

func TestQueryEscape(t *testing.T) {
	const all = " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~é"
	if got, want := queryEscape(all, false), "%20%21%22%23%24%25%26%27%28%29%2A%2B%2C-.%2F%3A%3B%3C%3D%3E%3F%40%5B%5C%5D%5E_%60%7B%7C%7D~%C3%A9"; got != want {
		t.Errorf("escaped\n got %s\nwant %s", got, want)
	}
	if got, want := queryEscape(all, true), "%20!%22#$%25&'()*+,-./:;%3C=%3E?@[%5C]%5E_%60%7B%7C%7D~%C3%A9"; got != want {
		t.Errorf("allowReserved\n got %s\nwant %s", got, want)
	}
	r := newRequest(nil)
	r.addQuery("q", map[string]int{"a": 1}, "json", false, false)
	r.addQuery("page[size]", 5, "form", true, false)
	if got := strings.Join(r.query, "&"); got != "q=%7B%22a%22%3A1%7D&page%5Bsize%5D=5" {
		t.Errorf("got %s", got)
	}
}

func TestHeaderAndCookieStyles(t *testing.T) {
	obj := rgb{100, 200, 150}
	r := newRequest(nil)
	r.setHeader("X-List", []int{3, 4, 5})
	r.setHeader("X-Obj", obj)
	r.setHeaderStyle("X-Obj-Exploded", obj, true)
	r.setHeader("X-Nil", (*string)(nil))
	for k, want := range map[string]string{"X-List": "3,4,5", "X-Obj": "R,100,G,200,B,150", "X-Obj-Exploded": "R=100,G=200,B=150"} {
		if got := r.header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if _, ok := r.header["X-Nil"]; ok {
		t.Error("nil header sent")
	}
	r.addCookie("color", "blue", true)
	r.addCookie("list", []string{"blue", "a,b"}, false)
	r.addCookie("each", []string{"x", "y"}, true)
	r.addCookie("obj", obj, false)
	want := "color=blue; list=blue,a%2Cb; each=x; each=y; obj=R,100,G,200,B,150"
	if got := strings.Join(r.cookies, "; "); got != want {
		t.Errorf("cookies\n got %s\nwant %s", got, want)
	}
}

// endless is a file that never ends; reads counts the calls.
type endless struct{ reads atomic.Int64 }

func (e *endless) Read(p []byte) (int, error) {
	e.reads.Add(1)
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

// TestMultipartWriterStops checks that the goroutine streaming a multipart
// body ends when the server answers without reading it all.
func TestMultipartWriterStops(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.CopyN(io.Discard, r.Body, 1<<10)
		w.Header().Set("Connection", "close")
		w.WriteHeader(http.StatusRequestEntityTooLarge)
	}))
	defer srv.Close()
	c, err := NewClient(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	file := &endless{}
	r := newRequest(nil)
	r.startMultipart()
	r.formFile("f", &FormFile{Filename: "big", Content: file}, "application/octet-stream", true)
	err = c.do(context.Background(), &operation{id: "Up", method: "POST", path: "/"}, r, nil)
	if err == nil {
		t.Fatal("413 not reported")
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		n := file.reads.Load()
		time.Sleep(50 * time.Millisecond)
		if file.reads.Load() == n {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the multipart writer kept reading the file after the call returned")
		}
	}
}

// TestMultipartEditorReplacesBody checks that a request editor replacing
// the body leaves no writer behind and its body is what is sent.
func TestMultipartEditorReplacesBody(t *testing.T) {
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = string(b)
	}))
	defer srv.Close()
	c, err := NewClient(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	r := newRequest([]RequestEditorFn{func(ctx context.Context, req *http.Request) error {
		req.Body = io.NopCloser(strings.NewReader("replaced"))
		req.ContentLength = 8
		return nil
	}})
	r.startMultipart()
	r.formField("a", "b")
	if err := c.do(context.Background(), &operation{id: "Up", method: "POST", path: "/"}, r, nil); err != nil {
		t.Fatal(err)
	}
	if got != "replaced" {
		t.Errorf("body %q", got)
	}
}

// TestMultipartEditorReadsBody checks that an editor can read a multipart
// body (to sign it) and that an editor error releases the writer.
func TestMultipartEditorReadsBody(t *testing.T) {
	c, err := NewClient("http://127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}
	var seen string
	r := newRequest([]RequestEditorFn{func(ctx context.Context, req *http.Request) error {
		b, err := io.ReadAll(req.Body)
		seen = string(b)
		if err != nil {
			return err
		}
		return errors.New("stop")
	}})
	r.startMultipart()
	r.formField("a", "b")
	err = c.do(context.Background(), &operation{id: "Up", method: "POST", path: "/"}, r, nil)
	if err == nil || !strings.Contains(err.Error(), "stop") || !strings.Contains(seen, `name="a"`) {
		t.Errorf("err %v, body %q", err, seen)
	}

	file := &endless{}
	r = newRequest([]RequestEditorFn{func(ctx context.Context, req *http.Request) error { return errors.New("stop") }})
	r.startMultipart()
	r.formFile("f", &FormFile{Filename: "big", Content: file}, "", true)
	if err := c.do(context.Background(), &operation{id: "Up", method: "POST", path: "/"}, r, nil); err == nil {
		t.Fatal("editor error not reported")
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		n := file.reads.Load()
		time.Sleep(50 * time.Millisecond)
		if file.reads.Load() == n {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the multipart writer kept running after an editor failed")
		}
	}
}

// TestQueryStylesRoundTrip checks on random values that every style's
// delimiters stay unambiguous: splitting the raw query on the delimiter and
// percent-decoding each piece gives back exactly the values sent.
func TestQueryStylesRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const alphabet = "aZ09 ,|&=+%/?#[]\"';:~.-_é\x00\n"
	runes := []rune(alphabet)
	word := func() string {
		n := rng.IntN(6)
		var b strings.Builder
		for range n {
			b.WriteRune(runes[rng.IntN(len(runes))])
		}
		return b.String()
	}
	for i := 0; i < 2000; i++ {
		items := make([]string, 1+rng.IntN(4))
		for j := range items {
			items[j] = word()
		}
		for _, tc := range []struct {
			style   string
			explode bool
			sep     string
		}{{"form", false, ","}, {"spaceDelimited", false, "%20"}, {"pipeDelimited", false, "|"}, {"form", true, ""}} {
			if tc.style == "spaceDelimited" && strings.Contains(strings.Join(items, ""), " ") {
				// A space in a value is %20 like the delimiter: the
				// style cannot tell them apart (documented in params.go).
				continue
			}
			r := newRequest(nil)
			r.addQuery("k", items, tc.style, tc.explode, false)
			var got []string
			for _, pair := range r.query {
				name, value, ok := strings.Cut(pair, "=")
				if !ok || name != "k" {
					t.Fatalf("%s: pair %q", tc.style, pair)
				}
				pieces := []string{value}
				if tc.sep != "" {
					pieces = strings.Split(value, tc.sep)
				}
				for _, p := range pieces {
					u, err := url.PathUnescape(p)
					if err != nil {
						t.Fatalf("%s: %q: %v", tc.style, p, err)
					}
					got = append(got, u)
				}
			}
			if strings.Join(got, "\x01") != strings.Join(items, "\x01") || len(got) != len(items) {
				t.Fatalf("%s explode=%v: sent %q, read back %q (%q)", tc.style, tc.explode, items, got, r.query)
			}
			// Whatever the style, the query parses as a URL's query.
			if _, err := url.ParseQuery(strings.Join(r.query, "&")); err != nil {
				t.Fatalf("%s: %v", tc.style, err)
			}
		}
	}
}

// TestSetQueryParam checks that an API key sent in the query replaces its
// own parameter and leaves the styled pairs byte for byte.
func TestSetQueryParam(t *testing.T) {
	for _, tc := range []struct{ raw, want string }{
		{"", "api_key=k%2B1"},
		{"color=blue,black&filter[a]=1", "color=blue,black&filter[a]=1&api_key=k%2B1"},
		{"api_key=old&x=1&api%5Fkey=old2", "x=1&api_key=k%2B1"},
	} {
		if got := setQueryParam(tc.raw, "api_key", "k+1"); got != tc.want {
			t.Errorf("setQueryParam(%q) = %q, want %q", tc.raw, got, tc.want)
		}
	}
}

// TestStreamTimeout checks that WithTimeout bounds a streamed call up to
// the response headers only: the body is read at the caller's pace.
func TestStreamTimeout(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow-headers" {
			time.Sleep(300 * time.Millisecond)
		}
		w.WriteHeader(200)
		w.(http.Flusher).Flush()
		time.Sleep(300 * time.Millisecond)
		io.WriteString(w, "late body")
	}))
	defer srv.Close()
	c, err := NewClient(srv.URL, WithTimeout(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	op := &operation{id: "Events", method: "GET", path: "/events", stream: []int{200}}
	body, err := c.doStream(context.Background(), op, nil)
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(body)
	body.Close()
	if err != nil || string(data) != "late body" {
		t.Errorf("streamed body %q %v", data, err)
	}
	op = &operation{id: "Events", method: "GET", path: "/slow-headers", stream: []int{200}}
	if _, err := c.doStream(context.Background(), op, nil); !errors.Is(err, context.DeadlineExceeded) || !strings.HasPrefix(err.Error(), "Events: ") {
		t.Errorf("slow headers: %v", err)
	}
	// A call that reads its body whole stays bounded as a whole.
	op = &operation{id: "Whole", method: "GET", path: "/events"}
	if err := c.do(context.Background(), op, nil, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("whole body: %v", err)
	}
}

// listUnion stands for a generated union variant wrapping a list: it
// marshals to a JSON array.
type listUnion struct{ Value []string }

func (v listUnion) MarshalJSON() ([]byte, error) { return json.Marshal(v.Value) }

// TestUnionListParams checks that a value marshalling to a JSON array of
// scalars is serialised as a list in every style, not as JSON text.
func TestUnionListParams(t *testing.T) {
	v := listUnion{[]string{"a", "b,c"}}
	r := newRequest(nil)
	r.addQuery("x", v, "form", true, false)
	r.addQuery("y", v, "form", false, false)
	r.setHeader("X-L", v)
	if got := strings.Join(r.query, "&"); got != "x=a&x=b%2Cc&y=a,b%2Cc" {
		t.Errorf("query %s", got)
	}
	if got := r.header.Get("X-L"); got != "a,b,c" {
		t.Errorf("header %q", got)
	}
	if got := formatParam(v); got != "a,b,c" {
		t.Errorf("formatParam %q", got)
	}
	if got := formatParam(json.RawMessage(`[{"a":1}]`)); got != `[{"a":1}]` {
		t.Errorf("array of objects %q", got)
	}
}
