package templates

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// Nullable is an optional and nullable value with three states: absent (the
// zero value), null, and set. A pointer cannot tell "absent" from "null",
// which matters for partial updates where null clears a field and absence
// leaves it alone.
//
// Fields of this type are tagged `json:"name,omitzero"`: IsZero reports the
// absent state, so an absent field is omitted, a null one is encoded as null
// and a set one as its value. Decoding turns null into the null state and
// any other value into the set state; a field missing from the input stays
// absent.
type Nullable[T any] struct {
	value T
	state nullableState
}

type nullableState uint8

const (
	nullableAbsent nullableState = iota
	nullableNull
	nullableSet
)

// NewNullable returns a Nullable holding v.
func NewNullable[T any](v T) Nullable[T] { return Nullable[T]{value: v, state: nullableSet} }

// Null returns a Nullable in the null state.
func Null[T any]() Nullable[T] { return Nullable[T]{state: nullableNull} }

// Get returns the value and true when n is set, and the zero T and false
// when it is absent or null.
func (n Nullable[T]) Get() (T, bool) {
	if n.state != nullableSet {
		var zero T
		return zero, false
	}
	return n.value, true
}

// IsNull reports whether n is explicitly null.
func (n Nullable[T]) IsNull() bool { return n.state == nullableNull }

// IsSet reports whether n holds a value.
func (n Nullable[T]) IsSet() bool { return n.state == nullableSet }

// IsZero reports whether n is absent; encoding/json's omitzero uses it.
func (n Nullable[T]) IsZero() bool { return n.state == nullableAbsent }

// hasValue lets the parameter encoder skip absent and null values without
// knowing T.
func (n Nullable[T]) hasValue() bool { return n.state == nullableSet }

// checkWire lets a request check look inside a set value (see wireChecker).
func (n Nullable[T]) checkWire(path string) error {
	if n.state != nullableSet {
		return nil
	}
	return checkWireValue(any(n.value), path)
}

// Set stores v.
func (n *Nullable[T]) Set(v T) { *n = NewNullable(v) }

// SetNull makes n explicitly null.
func (n *Nullable[T]) SetNull() { *n = Null[T]() }

// Unset makes n absent.
func (n *Nullable[T]) Unset() { *n = Nullable[T]{} }

// String returns "<absent>", "null" or the value formatted with %v.
func (n Nullable[T]) String() string {
	switch n.state {
	case nullableNull:
		return "null"
	case nullableSet:
		return fmt.Sprint(n.value)
	}
	return "<absent>"
}

// MarshalJSON encodes the value, or null when n is null or absent (absent
// fields are normally omitted through omitzero before this is called).
func (n Nullable[T]) MarshalJSON() ([]byte, error) {
	if n.state != nullableSet {
		return []byte("null"), nil
	}
	return json.Marshal(n.value)
}

// UnmarshalJSON decodes null into the null state and anything else into
// the set state.
func (n *Nullable[T]) UnmarshalJSON(b []byte) error {
	if jsonKind(bytes.TrimSpace(b)) == 'z' {
		*n = Null[T]()
		return nil
	}
	var v T
	if err := unmarshalValue(b, &v); err != nil {
		return err
	}
	*n = NewNullable(v)
	return nil
}

// unmarshalValue decodes one JSON value that encoding/json has already
// validated (it checks the whole document before calling UnmarshalJSON
// methods). The common shapes skip a second reflective decode: plain
// strings, integers, booleans, and types that decode themselves.
func unmarshalValue(b []byte, p any) error {
	switch p := p.(type) {
	case *string:
		if s, ok := plainJSONString(b); ok {
			*p = s
			return nil
		}
	case *int64:
		if v, err := strconv.ParseInt(string(b), 10, 64); err == nil {
			*p = v
			return nil
		}
	case *bool:
		switch string(b) {
		case "true":
			*p = true
			return nil
		case "false":
			*p = false
			return nil
		}
	case json.Unmarshaler:
		return p.UnmarshalJSON(b)
	}
	return json.Unmarshal(b, p)
}

// plainJSONString returns the content of a JSON string literal without
// escapes (the common case), or false when it needs the full decoder.
func plainJSONString(b []byte) (string, bool) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return "", false
	}
	inner := b[1 : len(b)-1]
	for _, c := range inner {
		if c == '\\' || c == '"' || c < 0x20 || c >= 0x80 {
			// Escapes, and non-ASCII (encoding/json replaces invalid
			// UTF-8), go the slow way.
			return "", false
		}
	}
	return string(inner), true
}
