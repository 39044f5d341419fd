package templates

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
)

// extraMembers collects the members of the JSON object data whose keys are
// not known (the struct's declared properties), for a struct that keeps
// additionalProperties. dec decodes one value; nil means encoding/json. A
// value that is not a JSON object has no members.
func extraMembers[T any](data []byte, dec func([]byte) (T, error), known ...string) (map[string]T, error) {
	if jsonKind(data) != 'o' {
		return nil, nil
	}
	obj, err := jsonObjectKeys(data)
	if err != nil {
		return nil, err
	}
	var out map[string]T
	for k, raw := range obj {
		if slices.Contains(known, k) {
			continue
		}
		var v T
		if dec != nil {
			v, err = dec(raw)
		} else {
			err = json.Unmarshal(raw, &v)
		}
		if err != nil {
			return nil, fmt.Errorf("additional property %q: %w", k, err)
		}
		if out == nil {
			out = make(map[string]T)
		}
		out[k] = v
	}
	return out, nil
}

// appendExtraMembers adds the members of extra to the encoded JSON object
// obj, in key order, leaving out known keys so that a declared property is
// never written twice.
func appendExtraMembers[T any](obj []byte, extra map[string]T, known ...string) ([]byte, error) {
	keys := make([]string, 0, len(extra))
	for k := range extra {
		if !slices.Contains(known, k) {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return obj, nil
	}
	if len(obj) < 2 || obj[len(obj)-1] != '}' {
		return nil, fmt.Errorf("additional properties: cannot add members to %.20q", obj)
	}
	sort.Strings(keys)
	out := append([]byte(nil), obj[:len(obj)-1]...)
	empty := len(obj) == 2 // "{}": json.Marshal output is compact
	for _, k := range keys {
		kb, err := json.Marshal(k)
		if err != nil {
			return nil, err
		}
		vb, err := json.Marshal(extra[k])
		if err != nil {
			return nil, fmt.Errorf("additional property %q: %w", k, err)
		}
		if !empty {
			out = append(out, ',')
		}
		empty = false
		out = append(out, kb...)
		out = append(out, ':')
		out = append(out, vb...)
	}
	return append(out, '}'), nil
}

// appendVariantMembers is the encoding/json reference of the writer's
// variantMembers, for the differential tests: the members of alt's JSON
// object whose keys the JSON object obj lacks, added to obj in alt's order.
func appendVariantMembers(obj []byte, alt any, union string) ([]byte, error) {
	b, err := json.Marshal(alt)
	if err != nil {
		return nil, err
	}
	if k := jsonKind(b); k != 'o' {
		return nil, fmt.Errorf("%s: the alternative %T encodes as a JSON %s, not as the object its properties belong to", union, alt, kindName(k))
	}
	have, err := jsonObjectKeys(obj)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	out := append([]byte(nil), obj[:len(obj)-1]...)
	empty := len(have) == 0
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		if _, ok := have[key]; ok {
			continue
		}
		kb, _ := json.Marshal(key)
		if !empty {
			out = append(out, ',')
		}
		empty = false
		out = append(append(append(out, kb...), ':'), raw...)
	}
	return append(out, '}'), nil
}

// wireChecker is implemented by generated types that hold, at some depth, a
// required union: checkWire reports the first one left nil (it would be sent
// as null), named by its path below path.
type wireChecker interface{ checkWire(path string) error }

// checkWireValue runs v's check when its type has one; nil has nothing to
// check.
func checkWireValue(v any, path string) error {
	if isNil(v) {
		return nil
	}
	if c, ok := v.(wireChecker); ok {
		return c.checkWire(path)
	}
	return nil
}

// checkWireSlice checks every element of s. union names the element type
// when it is a non-nullable union, whose nil elements are errors.
func checkWireSlice[T any](s []T, path, union string) error {
	for i, x := range s {
		p := path + "[" + strconv.Itoa(i) + "]"
		if union != "" && isNil(any(x)) {
			return fmt.Errorf("%s: %w", p, errNilUnion(union))
		}
		if err := checkWireValue(any(x), p); err != nil {
			return err
		}
	}
	return nil
}

// checkWireMap is checkWireSlice for map values, in key order so the
// reported path does not depend on map iteration.
func checkWireMap[T any](m map[string]T, path, union string) error {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p := path + "[" + strconv.Quote(k) + "]"
		if union != "" && isNil(any(m[k])) {
			return fmt.Errorf("%s: %w", p, errNilUnion(union))
		}
		if err := checkWireValue(any(m[k]), p); err != nil {
			return err
		}
	}
	return nil
}
