package emit

import "sync"

// CaptureRaw makes render hand every file's unformatted text to fn (under a
// lock: Emit renders concurrently) until the returned restore is called.
// Tests using it must not run in parallel with other emitting tests.
func CaptureRaw(fn func(raw []byte)) (restore func()) {
	var mu sync.Mutex
	rawSink = func(raw []byte) {
		mu.Lock()
		defer mu.Unlock()
		fn(append([]byte(nil), raw...))
	}
	return func() { rawSink = nil }
}
