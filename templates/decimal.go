package templates

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Decimal is an exact decimal number kept as the text the server sent (or
// the caller gave), so that prices and quantities survive a decode/encode
// round trip byte for byte: no float rounding, no reformatting of 1e-8 or
// 1E+30. A number the server sent as a JSON string ("1.5") is accepted and
// written back as a JSON number. The zero value is 0.
//
// Decimal is comparable, but == compares the text ("1.0" != "1"); use Cmp
// for numeric comparison.
//
// Every operation is linear in the length of the text, so that a hostile
// response cannot make decoding or comparing slow: the exponent is limited
// to 18 digits (an int64; encoding/json refuses far smaller ones for
// float64), and Rat refuses numbers whose exact value would be expensive to
// build (see MaxRatDigits).
type Decimal struct {
	s string // valid JSON number text, or "" for zero
}

const (
	// MaxRatDigits is the most significant digits (leading and trailing
	// zeros do not count) Decimal.Rat converts: math/big's decimal parsing
	// is quadratic, 4 million digits take half a minute.
	MaxRatDigits = 1000
	// MaxRatExponent is the largest magnitude of the decimal exponent
	// Decimal.Rat converts (the value is below 10^MaxRatExponent and, if
	// not zero, at least 10^-MaxRatExponent).
	MaxRatExponent = 10000
	// maxExponentDigits keeps every exponent, and any exponent plus the
	// position of the decimal point, within an int64.
	maxExponentDigits = 18
)

// NewDecimal parses s, which must follow the JSON number grammar
// (e.g. "12", "-0.5", "1e-8", "1E+30"; not "+1", ".5", "1." or "NaN"), with
// an exponent of at most 18 digits.
func NewDecimal(s string) (Decimal, error) {
	if !validNumber(s) {
		return Decimal{}, fmt.Errorf("decimal: invalid number %s", quoteTrunc(s))
	}
	return Decimal{s: s}, nil
}

// MustDecimal is NewDecimal for constants; it panics if s is not a number.
func MustDecimal(s string) Decimal {
	d, err := NewDecimal(s)
	if err != nil {
		panic(err)
	}
	return d
}

// DecimalFromInt64 returns the exact decimal for n.
func DecimalFromInt64(n int64) Decimal { return Decimal{s: strconv.FormatInt(n, 10)} }

// DecimalFromFloat64 returns the shortest decimal that converts back to f
// (0.1 stays "0.1"), in plain notation unless the magnitude is below 1e-6 or
// at least 1e21, like encoding/json. It panics for NaN and ±Inf, which have
// no decimal form, as big.NewFloat does for NaN.
func DecimalFromFloat64(f float64) Decimal {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		panic(fmt.Sprintf("decimal: %v has no decimal representation", f))
	}
	return Decimal{s: formatFloat(f, 64)}
}

// String returns the number's text exactly as given ("0" for the zero value).
func (d Decimal) String() string {
	if d.s == "" {
		return "0"
	}
	return d.s
}

// GoString returns Go syntax that recreates d.
func (d Decimal) GoString() string {
	return fmt.Sprintf("%s.MustDecimal(%q)", runtimePackageName(), d.String())
}

// Float64 returns the nearest float64; ±Inf if the magnitude is too large
// for a float64.
func (d Decimal) Float64() float64 {
	f, _ := strconv.ParseFloat(d.String(), 64)
	return f
}

// Rat returns the exact value as a new *big.Rat. It returns an error, and no
// value, for numbers with more than MaxRatDigits significant digits or a
// magnitude beyond 10^±MaxRatExponent, whose exact value would cost time
// and memory out of proportion to any price or quantity.
func (d Decimal) Rat() (*big.Rat, error) {
	p := d.parts()
	if p.digits == "" {
		return new(big.Rat), nil
	}
	if len(p.digits) > MaxRatDigits {
		return nil, fmt.Errorf("decimal: %d significant digits exceed the limit of %d for Rat", len(p.digits), MaxRatDigits)
	}
	if p.exp > MaxRatExponent || p.exp < -MaxRatExponent {
		return nil, fmt.Errorf("decimal: exponent %d exceeds the limit of ±%d for Rat", p.exp, MaxRatExponent)
	}
	// The value is 0.digits × 10^exp = digits × 10^(exp-len(digits)).
	n, ok := new(big.Int).SetString(p.digits, 10)
	if !ok {
		return nil, fmt.Errorf("decimal: invalid number %s", quoteTrunc(d.s))
	}
	if p.neg {
		n.Neg(n)
	}
	shift := p.exp - int64(len(p.digits))
	pow := func(k int64) *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(k), nil) }
	if shift >= 0 {
		return new(big.Rat).SetInt(n.Mul(n, pow(shift))), nil
	}
	return new(big.Rat).SetFrac(n, pow(-shift)), nil
}

// IsZero reports whether d is zero (including "-0", "0.000" and "0e5").
func (d Decimal) IsZero() bool { return d.Sign() == 0 }

// Sign returns -1, 0 or +1 depending on the sign of d.
func (d Decimal) Sign() int {
	p := d.parts()
	switch {
	case p.digits == "":
		return 0
	case p.neg:
		return -1
	}
	return 1
}

// Cmp compares numerically: -1 if d < e, 0 if d == e, +1 if d > e. It is
// exact and does not expand exponents, so it is cheap even for 1e1000000.
func (d Decimal) Cmp(e Decimal) int {
	a, b := d.parts(), e.parts()
	sa, sb := d.Sign(), e.Sign()
	if sa != sb {
		if sa < sb {
			return -1
		}
		return 1
	}
	if sa == 0 {
		return 0
	}
	m := cmpMagnitude(a, b)
	if sa < 0 {
		return -m
	}
	return m
}

// decParts is d as ±0.digits × 10^exp with digits free of leading and
// trailing zeros (empty for zero).
type decParts struct {
	neg    bool
	digits string
	exp    int64
}

func (d Decimal) parts() decParts {
	s := d.String()
	var p decParts
	if strings.HasPrefix(s, "-") {
		p.neg = true
		s = s[1:]
	}
	mant, expText, _ := strings.Cut(strings.ToLower(s), "e")
	intPart, frac, _ := strings.Cut(mant, ".")
	digits := intPart + frac
	point := int64(len(intPart))
	lead := len(digits) - len(strings.TrimLeft(digits, "0"))
	digits = strings.TrimRight(digits[lead:], "0")
	point -= int64(lead)
	p.digits = digits
	// validNumber bounds the exponent to maxExponentDigits digits, and
	// point is at most the length of the text: the sum fits an int64.
	e, _ := strconv.ParseInt(strings.TrimPrefix(expText, "+"), 10, 64)
	p.exp = point + e
	return p
}

func cmpMagnitude(a, b decParts) int {
	if a.exp != b.exp {
		if a.exp < b.exp {
			return -1
		}
		return 1
	}
	return strings.Compare(a.digits, b.digits)
}

// MarshalJSON writes the number verbatim.
func (d Decimal) MarshalJSON() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalJSON accepts a JSON number, or a string holding one (some servers
// quote amounts to protect them from float parsing). null leaves d unchanged,
// like encoding/json does for other types.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && (b[0] == '-' || b[0] >= '0' && b[0] <= '9') {
		// The common case: a bare number, already validated by
		// encoding/json, is kept as text.
		if s := string(b); validNumber(s) {
			d.s = s
			return nil
		}
	}
	b = bytes.TrimSpace(b)
	switch jsonKind(b) {
	case 'z':
		return nil
	case 'n':
		v, err := NewDecimal(string(b))
		if err != nil {
			return err
		}
		*d = v
		return nil
	case 's':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("decimal: %w", err)
		}
		v, err := NewDecimal(s)
		if err != nil {
			return err
		}
		*d = v
		return nil
	}
	return fmt.Errorf("decimal: cannot unmarshal JSON %s into a number", kindName(jsonKind(b)))
}

// MarshalText returns the number's text, for map keys and parameters.
func (d Decimal) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses a number in JSON syntax.
func (d *Decimal) UnmarshalText(b []byte) error {
	v, err := NewDecimal(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// validNumber reports whether s matches the JSON number grammar and its
// exponent, without leading zeros, has at most maxExponentDigits digits.
func validNumber(s string) bool {
	i, n := 0, len(s)
	if i < n && s[i] == '-' {
		i++
	}
	switch {
	case i < n && s[i] == '0':
		i++
	case i < n && s[i] >= '1' && s[i] <= '9':
		i = skipDigits(s, i)
	default:
		return false
	}
	if i < n && s[i] == '.' {
		j := skipDigits(s, i+1)
		if j == i+1 {
			return false
		}
		i = j
	}
	if i < n && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < n && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := skipDigits(s, i)
		if j == i {
			return false
		}
		for i < j-1 && s[i] == '0' {
			i++
		}
		if j-i > maxExponentDigits {
			return false
		}
		i = j
	}
	return i == n
}

// skipDigits returns the index of the first non-digit at or after i.
func skipDigits(s string, i int) int {
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

// quoteTrunc quotes s for an error message, shortened so that a huge
// malformed value cannot flood logs.
func quoteTrunc(s string) string {
	const max = 64
	if len(s) > max {
		return strconv.Quote(s[:max]) + "..."
	}
	return strconv.Quote(s)
}
