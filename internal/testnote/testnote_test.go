package testnote

import (
	"strings"
	"testing"
)

func TestSummary(t *testing.T) {
	if Summary() != "" {
		t.Fatal("summary before any skip")
	}
	t.Run("b", func(t *testing.T) { Skip(t, "no %s", "corpus") })
	t.Run("a", func(t *testing.T) { Skip(t, "no cache") })
	want := "NOTE: 2 data-dependent test(s) skipped:\n  TestSummary/a: no cache\n  TestSummary/b: no corpus\n"
	if got := Summary(); got != want {
		t.Errorf("Summary() = %q, want %q", got, want)
	}
	mu.Lock()
	skipped = nil
	mu.Unlock()
	if !strings.HasPrefix(want, "NOTE:") {
		t.Fatal()
	}
}
