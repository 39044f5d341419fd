package main

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// startHeap is the heap a run grows to before its first garbage collection.
const startHeap = 64 << 20

// tuneGC spares a run the collections of a heap growing from nothing. The
// generator builds its data once and exits: with the default GOGC=100 the
// collector runs at 4, 8, 16, 32 MiB..., marking everything live again
// each time, which was a tenth of a run's CPU. The first collection waits
// until the process holds startHeap (a spec of a few hundred kilobytes
// never reaches it, and never collects); from then on the collector runs
// as by default, so a large spec's peak memory stays what it was. A
// GOGC or GOMEMLIMIT in the environment is left to decide alone.
func tuneGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(startHeap)
	// The finalizer runs after the first collection: back to the defaults.
	sentinel := &struct{ p *int }{}
	runtime.SetFinalizer(sentinel, func(*struct{ p *int }) {
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
	})
}

// collectAfterBuild runs a collection between building the model and
// emitting the code once the heap has grown past startHeap/2. The spec's
// trees, most of a large spec's heap while it loads, are garbage by then;
// without it the collector's goal stays at twice their size, and emit's
// allocations take the heap up to that goal before the next collection
// (Twilio: peak RSS 94-107 MiB without, 84-87 MiB with, same time). A
// small spec's run never collects at all.
func collectAfterBuild(stage string) {
	if stage != "build" {
		return
	}
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() == metrics.KindUint64 && s[0].Value.Uint64() > startHeap/2 {
		runtime.GC()
	}
}
