package templates

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strings"
	"testing"
)

func TestDecimalRoundTrip(t *testing.T) {
	for _, s := range []string{
		"0", "-0", "1", "-1", "0.1", "1e-8", "1E-8", "1e+8", "1E+30", "123456789.123456789",
		"0.000000001", "100", "1.0", "1.50", "-0.0", "9223372036854775808", "12345678901234567890.12345678901234567890",
		"1e1000000", "0e5",
	} {
		t.Run(s, func(t *testing.T) {
			var d Decimal
			if err := json.Unmarshal([]byte(s), &d); err != nil {
				t.Fatal(err)
			}
			out, err := json.Marshal(d)
			if err != nil || string(out) != s {
				t.Errorf("Marshal = %s, %v", out, err)
			}
			if d.String() != s {
				t.Errorf("String = %s", d)
			}
			// Inside a struct and a slice, through encoding/json's own
			// validation/compaction of marshaler output.
			type wrap struct {
				P  Decimal   `json:"p"`
				PS []Decimal `json:"ps"`
			}
			in := `{"p":` + s + `,"ps":[` + s + `,` + s + `]}`
			var w wrap
			if err := json.Unmarshal([]byte(in), &w); err != nil {
				t.Fatal(err)
			}
			if out, _ := json.Marshal(w); string(out) != in {
				t.Errorf("struct round trip = %s, want %s", out, in)
			}
			// Quoted numbers are accepted and re-emitted unquoted.
			var q Decimal
			if err := json.Unmarshal([]byte(`"`+s+`"`), &q); err != nil || q != d {
				t.Errorf("quoted: %v %v", q, err)
			}
		})
	}
}

func TestDecimalRejects(t *testing.T) {
	for _, s := range []string{
		`"abc"`, `"1.2.3"`, `"+1"`, `".5"`, `"1."`, `"01"`, `"-"`, `"1e"`, `"1e+"`, `"NaN"`, `"Infinity"`, `""`, `" 1"`, `"0x10"`,
		`true`, `{}`, `[]`, `"1_000"`, `"١"`,
	} {
		var d Decimal
		err := json.Unmarshal([]byte(s), &d)
		if err == nil {
			t.Errorf("Unmarshal(%s) accepted: %v", s, d)
			continue
		}
		if !strings.Contains(err.Error(), "decimal") {
			t.Errorf("Unmarshal(%s) error lacks context: %v", s, err)
		}
	}
	for _, s := range []string{"", "+1", ".5", "1.", "01", "1e", "NaN", "-", "1 ", "1,5"} {
		if _, err := NewDecimal(s); err == nil {
			t.Errorf("NewDecimal(%q) accepted", s)
		}
	}
	long := strings.Repeat("9", 1000) + "x"
	if _, err := NewDecimal(long); err == nil || len(err.Error()) > 200 {
		t.Errorf("long input error = %v", err)
	}
}

func TestDecimalNullAndZero(t *testing.T) {
	d := MustDecimal("5")
	if err := json.Unmarshal([]byte("null"), &d); err != nil || d.String() != "5" {
		t.Errorf("null changed the value: %v %v", d, err)
	}
	var z Decimal
	if b, _ := json.Marshal(z); string(b) != "0" || z.String() != "0" || !z.IsZero() || z.Float64() != 0 || mustRat(t, z).Sign() != 0 {
		t.Errorf("zero value: %s", b)
	}
	var s struct {
		P *Decimal `json:"p"`
	}
	if err := json.Unmarshal([]byte(`{"p":null}`), &s); err != nil || s.P != nil {
		t.Errorf("null pointer: %v %v", s.P, err)
	}
}

func TestDecimalConstructors(t *testing.T) {
	for _, tc := range []struct {
		f    float64
		want string
	}{
		{0.1, "0.1"}, {1e-8, "1e-8"}, {123456789.123, "123456789.123"}, {1e21, "1e+21"}, {-2.5, "-2.5"},
		{0, "0"}, {math.Copysign(0, -1), "-0"}, {100, "100"}, {1.0 / 3, "0.3333333333333333"},
	} {
		d := DecimalFromFloat64(tc.f)
		if d.String() != tc.want {
			t.Errorf("DecimalFromFloat64(%v) = %s, want %s", tc.f, d, tc.want)
		}
		if d.Float64() != tc.f {
			t.Errorf("Float64 round trip of %v = %v", tc.f, d.Float64())
		}
		if _, err := NewDecimal(d.String()); err != nil {
			t.Errorf("not valid JSON: %s", d)
		}
	}
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("DecimalFromFloat64(%v) did not panic", f)
				}
			}()
			DecimalFromFloat64(f)
		}()
	}
	if d := DecimalFromInt64(math.MinInt64); d.String() != "-9223372036854775808" {
		t.Errorf("DecimalFromInt64 = %s", d)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("MustDecimal did not panic")
			}
		}()
		MustDecimal("x")
	}()
}

func mustRat(t *testing.T, d Decimal) *big.Rat {
	t.Helper()
	r, err := d.Rat()
	if err != nil {
		t.Fatalf("Rat(%s): %v", d, err)
	}
	return r
}

func TestDecimalRat(t *testing.T) {
	// Checked against big.Rat's own parser, on inputs small enough for it.
	for _, s := range []string{
		"0", "-0", "0.000", "0e5", "1", "-1", "123456789.123456789", "1E+30", "1e-8", "-0.00012300",
		"120e-3", "1.5E2", "-9223372036854775808", "0.1", strings.Repeat("9", MaxRatDigits),
		"1e" + fmt.Sprint(MaxRatExponent-1), "1e-" + fmt.Sprint(MaxRatExponent), "0." + strings.Repeat("0", 5000) + "1",
		"1." + strings.Repeat("0", 100000), // trailing zeros are not significant
	} {
		want, ok := new(big.Rat).SetString(s)
		if !ok {
			t.Fatalf("big.Rat refuses %s", s)
		}
		if got := mustRat(t, MustDecimal(s)); got.Cmp(want) != 0 {
			t.Errorf("Rat(%.40s) = %.40s, want %.40s", s, got, want)
		}
	}
	// Beyond the limits Rat refuses instead of spending quadratic time
	// (4 million digits took math/big 27 s); the inputs here would take
	// minutes if they were converted.
	for _, s := range []string{
		strings.Repeat("7", 4<<20),
		"1" + strings.Repeat("0", 4<<20),
		"0." + strings.Repeat("3", MaxRatDigits+1),
		"1e" + fmt.Sprint(MaxRatExponent+1),
		"1e-" + fmt.Sprint(MaxRatExponent+2),
		"-1e100000000",
		"1e999999999999999999",
	} {
		d := MustDecimal(s)
		if r, err := d.Rat(); err == nil || r != nil || !strings.Contains(err.Error(), "limit") {
			t.Errorf("Rat(%.30s...) = %v, %v; want a limit error", s, r, err)
		}
	}
}

func TestDecimalHugeInputsStayLinear(t *testing.T) {
	// Decoding, comparing and signing a 4 MiB number must not go through
	// math/big's quadratic decimal parsing (27 s at this size).
	big1 := strings.Repeat("7", 4<<20)
	var d Decimal
	if err := json.Unmarshal([]byte(big1), &d); err != nil {
		t.Fatal(err)
	}
	e := MustDecimal(big1[:len(big1)-1] + "8")
	if d.Cmp(e) != -1 || e.Cmp(d) != 1 || d.Sign() != 1 {
		t.Error("Cmp of huge numbers is wrong")
	}
	// An exponent longer than an int64 is refused when decoding; leading
	// zeros do not count.
	for _, s := range []string{"1e" + strings.Repeat("9", 19), "1e-" + strings.Repeat("1", 4<<20), "1E+" + strings.Repeat("5", 4<<20)} {
		if err := json.Unmarshal([]byte(s), &d); err == nil {
			t.Errorf("exponent of %d digits accepted", len(s)-2)
		}
	}
	for _, s := range []string{"1e" + strings.Repeat("0", 4<<20) + "5", "1e999999999999999999", "-1e-999999999999999999"} {
		if _, err := NewDecimal(s); err != nil {
			t.Errorf("NewDecimal(%.30s...): %v", s, err)
		}
	}
	if a, b := MustDecimal("1e999999999999999999"), MustDecimal("10e999999999999999998"); a.Cmp(b) != 0 {
		t.Error("Cmp at the exponent limit is wrong")
	}
	if a, b := MustDecimal("1e-999999999999999999"), MustDecimal("0"); a.Cmp(b) != 1 {
		t.Error("Cmp of a tiny number with zero is wrong")
	}
}

func TestDecimalArithmetic(t *testing.T) {
	if r := mustRat(t, MustDecimal("123456789.123456789")); r.Cmp(big.NewRat(123456789123456789, 1000000000)) != 0 {
		t.Errorf("Rat = %v", r)
	}
	if r := mustRat(t, MustDecimal("1E+30")); r.String() != "1000000000000000000000000000000/1" {
		t.Errorf("Rat = %v", r)
	}
	if f := MustDecimal("1e400").Float64(); !math.IsInf(f, 1) {
		t.Errorf("Float64 overflow = %v", f)
	}
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"1", "1.0", 0}, {"0", "-0", 0}, {"0.000", "0e10", 0}, {"0.1", "0.10", 0}, {"12", "1.2e1", 0},
		{"1", "2", -1}, {"2", "1", 1}, {"-1", "1", -1}, {"-2", "-1", -1}, {"0.12", "0.119", 1},
		{"1e1000000", "1e999999", 1}, {"-1e1000000", "1", -1}, {"1e-8", "0.00000001", 0},
		{"123456789.123456789", "123456789.12345678900", 0}, {"0.1", "0.11", -1}, {"100", "99.999", 1},
		{"1E+30", "999999999999999999999999999999", 1}, {"0", "1e-1000", -1},
	} {
		a, b := MustDecimal(tc.a), MustDecimal(tc.b)
		if got := a.Cmp(b); got != tc.want {
			t.Errorf("Cmp(%s, %s) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := b.Cmp(a); got != -tc.want {
			t.Errorf("Cmp(%s, %s) = %d, want %d", tc.b, tc.a, got, -tc.want)
		}
		// Cross-check with big.Rat where it is cheap.
		ra, errA := a.Rat()
		rb, errB := b.Rat()
		if errA == nil && errB == nil && ra.Cmp(rb) != tc.want {
			t.Errorf("big.Rat disagrees on %s vs %s", tc.a, tc.b)
		}
	}
	for s, want := range map[string]int{"0": 0, "-0": 0, "0.00": 0, "-0.1": -1, "3e-9": 1} {
		if got := MustDecimal(s).Sign(); got != want {
			t.Errorf("Sign(%s) = %d", s, got)
		}
	}
}

func TestDecimalTextAndPrint(t *testing.T) {
	m := map[Decimal]int{MustDecimal("1.5"): 1}
	b, err := json.Marshal(m)
	if err != nil || string(b) != `{"1.5":1}` {
		t.Errorf("map key: %s %v", b, err)
	}
	var back map[Decimal]int
	if err := json.Unmarshal(b, &back); err != nil || back[MustDecimal("1.5")] != 1 {
		t.Errorf("map key decode: %v %v", back, err)
	}
	d := MustDecimal("1e-8")
	if got := fmt.Sprintf("%v %s %#v", d, d, d); got != `1e-8 1e-8 templates.MustDecimal("1e-8")` {
		t.Errorf("printing = %s", got)
	}
}
