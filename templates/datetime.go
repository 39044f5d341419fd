package templates

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// DateTime is a date-time value. It embeds time.Time, so every time method
// works on it and d.Time gives the plain value.
//
// Decoding accepts RFC 3339 (with or without fractional seconds) and the
// zone-less form "2006-01-02T15:04:05[.fff]" seen in KIIEX samples, which
// is read as UTC. The value remembers the form it was decoded from (zone-less
// or not, "Z" or a numeric offset, number of fraction digits), and encoding
// reuses it, so decoding and re-encoding reproduces the input byte for byte;
// if the time is later changed to one that needs more fraction digits, more
// are written rather than losing precision. Values built with NewDateTime
// (or the zero value) encode as RFC 3339 with the minimal fraction, like
// time.Time.
type DateTime struct {
	time.Time
	form dateTimeForm
}

// dateTimeForm records the textual form a DateTime was decoded from.
type dateTimeForm struct {
	set      bool  // false: use time.Time's RFC 3339 encoding
	zoneless bool  // no zone designator; the time is UTC
	offset   bool  // numeric offset (+00:00) instead of Z
	frac     uint8 // number of fraction digits (0..9)
}

// zonelessLayout is the KIIEX zone-less date-time form.
const zonelessLayout = "2006-01-02T15:04:05"

// NewDateTime wraps t.
func NewDateTime(t time.Time) DateTime { return DateTime{Time: t} }

// ParseDateTime parses s in RFC 3339 or the zone-less KIIEX form (UTC).
func ParseDateTime(s string) (DateTime, error) {
	if len(s) < len(zonelessLayout) || s[10] != 'T' {
		return DateTime{}, fmt.Errorf("datetime: cannot parse %s: want RFC 3339 or %s", quoteTrunc(s), zonelessLayout)
	}
	var form dateTimeForm
	form.set = true
	rest := s[len(zonelessLayout):]
	if strings.HasPrefix(rest, ".") {
		n := 1
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		form.frac = uint8(min(n-1, 9))
		rest = rest[n:]
	}
	var (
		t   time.Time
		err error
	)
	switch {
	case rest == "":
		form.zoneless = true
		t, err = time.ParseInLocation(zonelessLayout, s, time.UTC)
	default:
		form.offset = rest != "Z"
		t, err = time.Parse(time.RFC3339Nano, s)
	}
	if err != nil {
		return DateTime{}, fmt.Errorf("datetime: cannot parse %s: want RFC 3339 or %s", quoteTrunc(s), zonelessLayout)
	}
	return DateTime{Time: t, form: form}, nil
}

// MarshalText encodes d in the form it was decoded from (see DateTime).
func (d DateTime) MarshalText() ([]byte, error) {
	if !d.form.set {
		return d.Time.MarshalText()
	}
	t := d.Time
	if y := t.Year(); y < 0 || y > 9999 {
		return nil, errors.New("datetime: year outside of range [0,9999]")
	}
	if d.form.zoneless {
		t = t.UTC()
	}
	frac := int(d.form.frac)
	// Widen the fraction rather than silently truncate a changed time.
	if ns := t.Nanosecond(); ns != 0 {
		need := 9
		for ns%10 == 0 {
			ns /= 10
			need--
		}
		frac = max(frac, need)
	}
	layout := zonelessLayout
	if frac > 0 {
		layout += "." + strings.Repeat("0", frac)
	}
	switch {
	case d.form.zoneless:
	case d.form.offset:
		layout += "-07:00"
	default:
		layout += "Z07:00"
	}
	return []byte(t.Format(layout)), nil
}

// UnmarshalText parses RFC 3339 or the zone-less KIIEX form.
func (d *DateTime) UnmarshalText(b []byte) error {
	v, err := ParseDateTime(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalJSON encodes d as a JSON string in the form it was decoded from.
func (d DateTime) MarshalJSON() ([]byte, error) {
	b, err := d.MarshalText()
	if err != nil {
		return nil, err
	}
	return json.Marshal(string(b))
}

// UnmarshalJSON decodes a JSON string (RFC 3339 or zone-less KIIEX form);
// null leaves d unchanged.
func (d *DateTime) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch jsonKind(b) {
	case 'z':
		return nil
	case 's':
		s, ok := plainJSONString(b)
		if !ok {
			if err := json.Unmarshal(b, &s); err != nil {
				return fmt.Errorf("datetime: %w", err)
			}
		}
		v, err := ParseDateTime(s)
		if err != nil {
			return err
		}
		*d = v
		return nil
	}
	return fmt.Errorf("datetime: cannot unmarshal JSON %s into a date-time string", kindName(jsonKind(b)))
}

// Date is a civil date (OpenAPI format "date"), without time or zone.
type Date struct {
	Year  int        // e.g. 2025
	Month time.Month // January = 1
	Day   int        // 1-based day of the month
}

// dateLayout is the RFC 3339 full-date form.
const dateLayout = "2006-01-02"

// ParseDate parses "2006-01-02", rejecting impossible dates such as
// 2025-02-30.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("date: cannot parse %s: want %s", quoteTrunc(s), dateLayout)
	}
	return DateOf(t), nil
}

// DateOf returns the date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// In returns midnight at the start of d in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// IsZero reports whether d is the zero Date (so omitzero omits it).
func (d Date) IsZero() bool { return d == Date{} }

// String returns the date as "2006-01-02".
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// MarshalText returns the date as "2006-01-02".
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses "2006-01-02".
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalJSON returns the date as a JSON string "2006-01-02".
func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON decodes a JSON string "2006-01-02"; null leaves d unchanged.
func (d *Date) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch jsonKind(b) {
	case 'z':
		return nil
	case 's':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("date: %w", err)
		}
		return d.UnmarshalText([]byte(s))
	}
	return fmt.Errorf("date: cannot unmarshal JSON %s into a date string", kindName(jsonKind(b)))
}
