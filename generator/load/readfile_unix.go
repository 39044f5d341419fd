//go:build unix

package load

import "syscall"

// openFlags makes opening a FIFO that replaced a checked file return at
// once instead of waiting for a writer; for a regular file it changes
// nothing.
const openFlags = syscall.O_NONBLOCK
