package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// TestTuneGC: the collector is off until the first collection (which the
// memory limit forces at startHeap) and back to the defaults after it; an
// explicit GOGC leaves it alone.
func TestTuneGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))

	t.Setenv("GOGC", "50")
	debug.SetGCPercent(50)
	tuneGC()
	if got := debug.SetGCPercent(50); got != 50 {
		t.Errorf("with GOGC=50 set, GC percent %d", got)
	}

	t.Setenv("GOGC", "")
	tuneGC()
	if got := debug.SetGCPercent(-1); got != -1 {
		t.Errorf("GC percent %d before the first collection, want -1 (off)", got)
	}
	if got := debug.SetMemoryLimit(-1); got != startHeap {
		t.Errorf("memory limit %d, want %d", got, startHeap)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		runtime.GC()
		if debug.SetMemoryLimit(-1) == math.MaxInt64 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the defaults were not restored after a collection")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if got := debug.SetGCPercent(-1); got != 100 {
		t.Errorf("GC percent %d after the first collection, want 100", got)
	}
}
