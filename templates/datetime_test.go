package templates

import (
	"encoding/json"
	"testing"
	"time"
)

func TestDateTimeRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Time
	}{
		{"2025-08-26T20:35:22.893Z", time.Date(2025, 8, 26, 20, 35, 22, 893e6, time.UTC)},
		{"2025-08-26T20:35:22.890Z", time.Date(2025, 8, 26, 20, 35, 22, 890e6, time.UTC)},
		{"2025-08-26T20:35:22Z", time.Date(2025, 8, 26, 20, 35, 22, 0, time.UTC)},
		{"2025-08-26T20:35:22.000Z", time.Date(2025, 8, 26, 20, 35, 22, 0, time.UTC)},
		{"2025-08-26T20:35:22.123456789Z", time.Date(2025, 8, 26, 20, 35, 22, 123456789, time.UTC)},
		{"2025-08-26T22:35:22+02:00", time.Date(2025, 8, 26, 20, 35, 22, 0, time.UTC)},
		{"2025-08-26T20:35:22.5+00:00", time.Date(2025, 8, 26, 20, 35, 22, 5e8, time.UTC)},
		{"2025-08-26T15:05:22-05:30", time.Date(2025, 8, 26, 20, 35, 22, 0, time.UTC)},
		{"0001-01-01T00:00:00", time.Time{}},
		{"2025-01-22T10:11:12", time.Date(2025, 1, 22, 10, 11, 12, 0, time.UTC)},
		{"2025-01-22T10:11:12.1", time.Date(2025, 1, 22, 10, 11, 12, 1e8, time.UTC)},
		{"2025-01-22T10:11:12.1230", time.Date(2025, 1, 22, 10, 11, 12, 123e6, time.UTC)},
	} {
		t.Run(tc.in, func(t *testing.T) {
			var d DateTime
			if err := json.Unmarshal([]byte(`"`+tc.in+`"`), &d); err != nil {
				t.Fatal(err)
			}
			if !d.Equal(tc.want) {
				t.Errorf("time = %v, want %v", d.Time, tc.want)
			}
			out, err := json.Marshal(d)
			if err != nil || string(out) != `"`+tc.in+`"` {
				t.Errorf("Marshal = %s, %v", out, err)
			}
			type wrap struct {
				T  DateTime  `json:"t"`
				TP *DateTime `json:"tp,omitempty"`
			}
			in := `{"t":"` + tc.in + `","tp":"` + tc.in + `"}`
			var w wrap
			if err := json.Unmarshal([]byte(in), &w); err != nil {
				t.Fatal(err)
			}
			if out, _ := json.Marshal(w); string(out) != in {
				t.Errorf("struct round trip = %s", out)
			}
		})
	}
}

func TestDateTimeZonelessIsUTC(t *testing.T) {
	var d DateTime
	if err := json.Unmarshal([]byte(`"2025-01-22T10:11:12"`), &d); err != nil {
		t.Fatal(err)
	}
	if d.Location() != time.UTC {
		t.Errorf("location = %v", d.Location())
	}
	// Changing the time to another zone still writes the UTC wall clock.
	d.Time = d.In(time.FixedZone("X", 3600))
	if b, _ := json.Marshal(d); string(b) != `"2025-01-22T10:11:12"` {
		t.Errorf("after zone change: %s", b)
	}
	// Precision added later is not lost.
	d.Time = d.Add(1500 * time.Microsecond)
	if b, _ := json.Marshal(d); string(b) != `"2025-01-22T10:11:12.0015"` {
		t.Errorf("after adding precision: %s", b)
	}
}

func TestDateTimeNew(t *testing.T) {
	tm := time.Date(2025, 8, 26, 20, 35, 22, 893e6, time.UTC)
	d := NewDateTime(tm)
	if b, _ := json.Marshal(d); string(b) != `"2025-08-26T20:35:22.893Z"` {
		t.Errorf("NewDateTime marshal = %s", b)
	}
	if b, _ := d.MarshalText(); formatParam(d) != string(b) {
		t.Errorf("formatParam = %s", formatParam(d))
	}
	var zero DateTime
	if b, _ := json.Marshal(zero); string(b) != `"0001-01-01T00:00:00Z"` {
		t.Errorf("zero = %s", b)
	}
	var s struct {
		T DateTime `json:"t,omitzero"`
	}
	if b, _ := json.Marshal(s); string(b) != `{}` {
		t.Errorf("omitzero = %s", b)
	}
}

func TestDateTimeRejects(t *testing.T) {
	for _, in := range []string{`""`, `"2025-08-26"`, `"2025-08-26 20:35:22"`, `"2025-08-26T20:35:22X"`, `"2025-13-26T20:35:22Z"`,
		`"2025-08-26T20:35:22+2"`, `"yesterday"`, `1756240522`, `true`, `{}`} {
		var d DateTime
		if err := json.Unmarshal([]byte(in), &d); err == nil {
			t.Errorf("accepted %s: %v", in, d)
		}
	}
	d := NewDateTime(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	if err := json.Unmarshal([]byte(`null`), &d); err != nil || d.Year() != 2025 {
		t.Errorf("null changed the value: %v %v", d, err)
	}
}

func TestDate(t *testing.T) {
	var d Date
	if err := json.Unmarshal([]byte(`"2025-02-28"`), &d); err != nil {
		t.Fatal(err)
	}
	if d != (Date{2025, time.February, 28}) || d.String() != "2025-02-28" {
		t.Errorf("d = %v", d)
	}
	if b, _ := json.Marshal(d); string(b) != `"2025-02-28"` {
		t.Errorf("Marshal = %s", b)
	}
	if !d.In(time.UTC).Equal(time.Date(2025, 2, 28, 0, 0, 0, 0, time.UTC)) || DateOf(d.In(time.UTC)) != d {
		t.Errorf("In/DateOf mismatch")
	}
	for _, bad := range []string{`"2025-02-30"`, `"2025-2-3"`, `"20250203"`, `""`, `3`, `"2025-02-28T00:00:00Z"`} {
		var x Date
		if err := json.Unmarshal([]byte(bad), &x); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
	if err := json.Unmarshal([]byte(`null`), &d); err != nil || d.Year != 2025 {
		t.Errorf("null: %v %v", d, err)
	}
	var s struct {
		D Date `json:"d,omitzero"`
	}
	if b, _ := json.Marshal(s); string(b) != `{}` {
		t.Errorf("omitzero = %s", b)
	}
	m := map[Date]int{{2025, 1, 2}: 1}
	if b, _ := json.Marshal(m); string(b) != `{"2025-01-02":1}` {
		t.Errorf("map key = %s", b)
	}
	if p, err := ParseDate("2024-02-29"); err != nil || p.Day != 29 {
		t.Errorf("leap day: %v %v", p, err)
	}
	if formatParam(Date{2025, 3, 4}) != "2025-03-04" {
		t.Error("formatParam(Date)")
	}
}
