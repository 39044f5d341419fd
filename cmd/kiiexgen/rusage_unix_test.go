//go:build unix

package main

import (
	"os"
	"syscall"
)

// maxRSSKiB is the child's peak resident set size (Linux reports KiB).
func maxRSSKiB(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return int64(ru.Maxrss)
	}
	return 0
}
