package templates

import (
	"encoding/json"
	"fmt"
	"testing"
)

type patch struct {
	Name  Nullable[string]   `json:"name,omitzero"`
	Price Nullable[Decimal]  `json:"price,omitzero"`
	Tags  Nullable[[]string] `json:"tags,omitzero"`
}

func TestNullableStates(t *testing.T) {
	for _, tc := range []struct {
		json  string
		check func(p patch) bool
	}{
		{`{}`, func(p patch) bool { return p.Name.IsZero() && !p.Name.IsNull() && !p.Name.IsSet() }},
		{`{"name":null}`, func(p patch) bool { return p.Name.IsNull() && !p.Name.IsZero() && !p.Name.IsSet() }},
		{`{"name":"Alice"}`, func(p patch) bool { v, ok := p.Name.Get(); return ok && v == "Alice" && p.Name.IsSet() }},
		{`{"name":""}`, func(p patch) bool { v, ok := p.Name.Get(); return ok && v == "" }},
		{`{"price":1E+30,"tags":["a"]}`, func(p patch) bool {
			v, ok := p.Price.Get()
			tags, ok2 := p.Tags.Get()
			return ok && v.String() == "1E+30" && ok2 && len(tags) == 1
		}},
		{`{"name":null,"price":null,"tags":null}`, func(p patch) bool { return p.Name.IsNull() && p.Price.IsNull() && p.Tags.IsNull() }},
		{`{"tags":[]}`, func(p patch) bool { v, ok := p.Tags.Get(); return ok && v != nil && len(v) == 0 }},
	} {
		var p patch
		if err := json.Unmarshal([]byte(tc.json), &p); err != nil {
			t.Errorf("%s: %v", tc.json, err)
			continue
		}
		if !tc.check(p) {
			t.Errorf("%s: wrong state %+v", tc.json, p)
		}
		if out, err := json.Marshal(p); err != nil || string(out) != tc.json {
			t.Errorf("%s: round trip = %s, %v", tc.json, out, err)
		}
	}
}

func TestNullableConstructors(t *testing.T) {
	p := patch{Name: NewNullable("Bob"), Price: Null[Decimal]()}
	if b, _ := json.Marshal(p); string(b) != `{"name":"Bob","price":null}` {
		t.Errorf("Marshal = %s", b)
	}
	p.Name.SetNull()
	p.Price.Set(MustDecimal("2"))
	p.Tags.Set(nil)
	if b, _ := json.Marshal(p); string(b) != `{"name":null,"price":2,"tags":null}` {
		t.Errorf("after Set = %s", b)
	}
	p.Name.Unset()
	if !p.Name.IsZero() {
		t.Error("Unset")
	}
	if v, ok := Null[int]().Get(); ok || v != 0 {
		t.Error("Get on null")
	}
	if got := fmt.Sprintf("%v|%v|%v", Nullable[int]{}, Null[int](), NewNullable(3)); got != "<absent>|null|3" {
		t.Errorf("String = %s", got)
	}
	var n Nullable[int]
	if err := json.Unmarshal([]byte(`"x"`), &n); err == nil {
		t.Error("type mismatch accepted")
	}
	if b, _ := json.Marshal(n); string(b) != "null" {
		t.Errorf("absent without omitzero = %s", b)
	}
}
