package emit

import "sync"

// rawSink, when set, receives every file's unformatted jennifer text.
var rawSink func(raw []byte)

// CaptureRaw is a test hook: until restore is called, render hands fn a copy
// of every file's unformatted jennifer text, the input of the formatting
// step, so that the formatter's differential tests (generator/internal/gofmt)
// compare against go/format on exactly what render formats. Emit renders
// concurrently, so fn runs under a lock; callers must not emit from other
// goroutines they do not own while capturing.
func CaptureRaw(fn func(raw []byte)) (restore func()) {
	var mu sync.Mutex
	rawSink = func(raw []byte) {
		mu.Lock()
		defer mu.Unlock()
		fn(append([]byte(nil), raw...))
	}
	return func() { rawSink = nil }
}
