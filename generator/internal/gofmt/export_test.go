package gofmt

import "testing"

// StrictPanics makes Format re-panic, for the rest of the test, on a panic
// other than a decline: in production such a bug falls back to format.Source
// unnoticed, in tests it must fail.
func StrictPanics(t testing.TB) {
	panicked = func(v any) { panic(v) }
	t.Cleanup(func() { panicked = nil })
}
