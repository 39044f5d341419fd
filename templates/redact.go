package templates

import (
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"slices"
	"strings"
)

// formatRedacted implements fmt.Formatter for structs with secret fields.
// The generator emits
//
//	func (x T) Format(f fmt.State, verb rune) { formatRedacted(f, verb, x, "Password") }
//
// It prints v the way fmt prints a struct — {Alice [REDACTED]} for %v,
// {UserName:Alice Password:[REDACTED]} for %+v, pkg.T{UserName:"Alice",
// Password:"[REDACTED]"} for %#v, and the verb applied field by field
// otherwise — except that each field named in secret is replaced by
// [REDACTED] when it is not its zero value (an empty secret is shown as
// empty, which helps debugging and reveals nothing).
//
// The struct is walked with reflect and only its fields are handed to fmt:
// passing v itself to fmt would call its Format method again and recurse.
func formatRedacted(f fmt.State, verb rune, v any, secret ...string) {
	rv := reflect.ValueOf(v)
	prefix := ""
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			io.WriteString(f, "<nil>")
			return
		}
		prefix += "&"
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		// Not a struct: nothing to print field by field, and printing the
		// value itself could recurse or leak, so print only the marker.
		io.WriteString(f, redactedText)
		return
	}
	sharp := verb == 'v' && f.Flag('#')
	names := sharp || (verb == 'v' && f.Flag('+'))
	format := fmt.FormatString(f, verb)

	var b strings.Builder
	b.WriteString(prefix)
	if sharp {
		b.WriteString(rv.Type().String())
	}
	b.WriteByte('{')
	t := rv.Type()
	for i := range rv.NumField() {
		if i > 0 {
			if sharp {
				b.WriteString(", ")
			} else {
				b.WriteByte(' ')
			}
		}
		sf := t.Field(i)
		if names {
			b.WriteString(sf.Name)
			b.WriteByte(':')
		}
		fv := rv.Field(i)
		switch {
		case slices.Contains(secret, sf.Name) && !fv.IsZero():
			fmt.Fprintf(&b, format, redactedText)
		case fv.CanInterface():
			// Exported field: fmt applies the field type's own methods,
			// so nested secret-bearing types redact themselves.
			fmt.Fprintf(&b, format, fv.Interface())
		case fv.Kind() == reflect.Pointer && !fv.IsNil():
			// fmt prints a nested pointer as its address; passing the
			// reflect.Value at top level would dereference it instead.
			fmt.Fprintf(&b, "0x%x", fv.Pointer())
		default:
			// Unexported field: printed from its reflect.Value, as fmt
			// itself prints unexported fields (without calling methods).
			fmt.Fprintf(&b, format, fv)
		}
	}
	b.WriteByte('}')
	io.WriteString(f, b.String())
}

// logValueRedacted implements slog.LogValuer for structs with secret fields.
// The generator emits
//
//	func (x T) LogValue() slog.Value { return logValueRedacted(x, "Password") }
//
// slog's JSON handler would otherwise encode x with encoding/json, secrets
// and all. The result is a group of the exported fields, by Go name, each
// field named in secret replaced by [REDACTED] unless it is its zero value;
// nested values that are LogValuers are resolved by the handler, so they
// redact themselves.
func logValueRedacted(v any, secret ...string) slog.Value {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return slog.AnyValue(nil)
		}
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return slog.StringValue(redactedText)
	}
	t := rv.Type()
	attrs := make([]slog.Attr, 0, t.NumField())
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		fv := rv.Field(i)
		if slices.Contains(secret, sf.Name) && !fv.IsZero() {
			attrs = append(attrs, slog.String(sf.Name, redactedText))
			continue
		}
		attrs = append(attrs, slog.Any(sf.Name, fv.Interface()))
	}
	return slog.GroupValue(attrs...)
}
