//go:build unix

package gofmt_test

import (
	"syscall"
	"time"
)

// processCPU is the process's user plus system CPU time: on a shared
// machine a steadier yardstick than wall time.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
