package templates

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"
)

type side int32

const sideBuy side = 0
const sideSell side = 1

// String returns the label; the wire form is still the number.
func (s side) String() string { return [...]string{"Buy", "Sell"}[s] }

type status string

type labelled struct{ v string }

func (l labelled) String() string { return "L:" + l.v }

type textual struct{}

func (textual) MarshalText() ([]byte, error) { return []byte("as-text"), nil }

type jsonish struct{}

func (jsonish) MarshalJSON() ([]byte, error) { return []byte(`"as-json"`), nil }

func TestFormatParam(t *testing.T) {
	for _, tc := range []struct {
		in   any
		want string
	}{
		{nil, ""},
		{"a b/c", "a b/c"},
		{true, "true"},
		{int(-1), "-1"}, {int8(-8), "-8"}, {int16(16), "16"}, {int32(32), "32"}, {int64(math.MinInt64), "-9223372036854775808"},
		{uint(1), "1"}, {uint8(8), "8"}, {uint16(16), "16"}, {uint32(32), "32"}, {uint64(math.MaxUint64), "18446744073709551615"},
		{float32(0.1), "0.1"}, {float64(0.1), "0.1"}, {1e21, "1e+21"}, {1e-7, "1e-7"}, {float64(100), "100"},
		{MustDecimal("1E+30"), "1E+30"},
		{Decimal{}, "0"},
		{Date{2025, 1, 2}, "2025-01-02"},
		{time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC), "2025-01-02T03:04:05Z"},
		{[]byte("hi"), "aGk="},
		{Ptr(int64(7)), "7"},
		{(*int64)(nil), ""},
		{Ptr(MustDecimal("2.50")), "2.50"},
		{sideSell, "1"},
		{status("Accepted"), "Accepted"},
		{labelled{"x"}, "L:x"},
		{textual{}, "as-text"},
		{jsonish{}, "as-json"},
		{[]int{1, 2}, "1,2"},
		{[]side{sideBuy, sideSell}, "0,1"},
		{map[string]int{"a": 1}, `{"a":1}`},
		{json.Number("12.5"), "12.5"},
	} {
		if got := formatParam(tc.in); got != tc.want {
			t.Errorf("formatParam(%#v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestNullableParams(t *testing.T) {
	r := newRequest(nil)
	r.addQuery("a", Nullable[int]{}, "form", true, false)
	r.addQuery("b", Null[int](), "form", true, false)
	r.addQuery("c", NewNullable(3), "form", true, false)
	r.setHeader("X-N", Null[string]())
	if got := strings.Join(r.query, "&"); got != "c=3" || len(r.header) != 0 {
		t.Errorf("query %q header %v", got, r.header)
	}
}

func TestPtr(t *testing.T) {
	p := Ptr("x")
	q := Ptr("x")
	if *p != "x" || p == q {
		t.Error("Ptr")
	}
}

func TestSetFormDeterministic(t *testing.T) {
	type inner struct {
		Z string `json:"z"`
		A int    `json:"a"`
	}
	type body struct {
		Name   string            `json:"name"`
		Amount Decimal           `json:"amount"`
		Tags   []string          `json:"tags"`
		Inner  inner             `json:"inner"`
		Items  []inner           `json:"items"`
		Meta   map[string]string `json:"meta"`
		Skip   *string           `json:"skip"`
		Empty  string            `json:"empty,omitempty"`
		OK     bool              `json:"ok"`
	}
	b := body{
		Name: "A&B c", Amount: MustDecimal("1e-8"), Tags: []string{"x", "y"}, Inner: inner{"zz", 2},
		Items: []inner{{"i0", 0}, {"i1", 1}}, Meta: map[string]string{"q": "1", "b": "2", "m": "3"}, OK: true,
	}
	want := "amount=1e-8&inner%5Ba%5D=2&inner%5Bz%5D=zz&items%5B0%5D%5Ba%5D=0&items%5B0%5D%5Bz%5D=i0&items%5B1%5D%5Ba%5D=1&items%5B1%5D%5Bz%5D=i1" +
		"&meta%5Bb%5D=2&meta%5Bm%5D=3&meta%5Bq%5D=1&name=A%26B+c&ok=true&tags=x&tags=y"
	for range 20 {
		r := newRequest(nil)
		r.setForm(b)
		if r.err != nil {
			t.Fatal(r.err)
		}
		if string(r.body) != want {
			t.Fatalf("form =\n%s\nwant\n%s", r.body, want)
		}
		if r.contentType != "application/x-www-form-urlencoded" {
			t.Errorf("content type %q", r.contentType)
		}
	}
	r := newRequest(nil)
	r.setForm([]int{1})
	if r.err == nil || !strings.Contains(r.err.Error(), "object") {
		t.Errorf("non-object form: %v", r.err)
	}
	r = newRequest(nil)
	r.setForm((*body)(nil))
	if r.body != nil || r.err != nil {
		t.Error("nil form body should send nothing")
	}
}

func TestCookieValue(t *testing.T) {
	for in, want := range map[string]string{"abc": "abc", "a b": "a+b", `a"b`: "a%22b", "a;b": "a%3Bb", "é": "%C3%A9", "x=y": "x=y"} {
		if got := cookieValue(in); got != want {
			t.Errorf("cookieValue(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSetJSONNil(t *testing.T) {
	r := newRequest(nil)
	r.setJSON((*struct{})(nil))
	if r.body != nil || r.contentType != "" {
		t.Error("nil pointer body should send nothing")
	}
	r.setJSON(map[string]string{"a": "<b>"})
	if string(r.body) != `{"a":"<b>"}` {
		t.Errorf("body = %s", r.body)
	}
}

// TestSetFormEncodings checks the encoding object of URL-encoded bodies:
// deepObject arrays are indexed, explode=false joins, nested arrays are
// indexed.
func TestSetFormEncodings(t *testing.T) {
	type nested struct {
		IDs []int `json:"ids"`
	}
	body := struct {
		Expand []string `json:"expand"`
		Csv    []int    `json:"csv"`
		Pipe   []string `json:"pipe"`
		Space  []string `json:"space"`
		Rep    []string `json:"rep"`
		Obj    nested   `json:"obj"`
	}{[]string{"a", "b"}, []int{1, 2}, []string{"x", "y"}, []string{"s", "t"}, []string{"r1", "r2"}, nested{[]int{7, 8}}}
	r := newRequest(nil)
	r.setForm(body,
		formEncoding{name: "expand", style: "deepObject", explode: true},
		formEncoding{name: "csv", style: "form", explode: false},
		formEncoding{name: "pipe", style: "pipeDelimited", explode: false},
		formEncoding{name: "space", style: "spaceDelimited", explode: false},
	)
	want := "csv=1%2C2&expand%5B0%5D=a&expand%5B1%5D=b&obj%5Bids%5D%5B0%5D=7&obj%5Bids%5D%5B1%5D=8&pipe=x%7Cy&rep=r1&rep=r2&space=s+t"
	if r.err != nil || string(r.body) != want {
		t.Errorf("form %v\n got %s\nwant %s", r.err, r.body, want)
	}
}
