//go:build unix

package generator

import (
	"errors"
	"os"
	"syscall"
)

// tryLock takes an exclusive (or shared) flock on f without waiting;
// busy reports that another process (or another Write in this one) holds it.
func tryLock(f *os.File, exclusive bool) (busy bool, err error) {
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	for {
		err = syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return true, nil
	}
	return false, err
}

// lockSupported says whether tryLock really locks.
const lockSupported = true
