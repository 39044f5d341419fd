package generator

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// LockName is the lock file Write creates in the output directory; it is
// left in place (removing it would let two runs lock different files).
const LockName = ".kiiexgen.lock"

// LockWait is how long Write (and Check) wait for another run holding the
// output directory's lock before giving up.
var LockWait = 2 * time.Minute

// lockDir locks dir against concurrent Writes: exclusively to write, shared
// to read. A shared lock on a directory without a lock file is not needed
// (no Write has run there) and creates nothing.
func lockDir(dir string, exclusive bool) (unlock func(), err error) {
	p := filepath.Join(dir, LockName)
	if fi, err := os.Lstat(p); err == nil && !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file; remove it", p)
	}
	flag := os.O_RDONLY
	if exclusive {
		flag = os.O_RDWR | os.O_CREATE
	}
	f, err := os.OpenFile(p, flag, 0o644)
	if err != nil {
		if !exclusive && errors.Is(err, os.ErrNotExist) {
			return func() {}, nil
		}
		return nil, err
	}
	deadline := time.Now().Add(LockWait)
	delay := 5 * time.Millisecond
	for {
		busy, err := tryLock(f, exclusive)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("locking %s: %w", p, err)
		}
		if !busy {
			return func() { f.Close() }, nil // closing releases the flock
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, fmt.Errorf("another kiiexgen run is writing to %s (it holds %s); gave up after %v", dir, LockName, LockWait)
		}
		time.Sleep(delay)
		delay = min(2*delay, 200*time.Millisecond)
	}
}

// Temporary files are named by os.CreateTemp from this pattern: the prefix,
// a decimal random number, the suffix.
const (
	tempPrefix = ".kiiexgen-"
	tempSuffix = ".tmp"
)

// isTemp reports whether name is exactly one of Write's temporary names.
func isTemp(name string) bool {
	mid, ok := strings.CutPrefix(name, tempPrefix)
	if !ok {
		return false
	}
	mid, ok = strings.CutSuffix(mid, tempSuffix)
	if !ok || mid == "" {
		return false
	}
	for _, r := range mid {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// staleTemps lists the temporary files of Write in dir. Called with dir
// locked, they are all left by runs that were killed before cleaning up.
func staleTemps(dir string) ([]string, error) {
	entries, err := readDirIfExists(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if !isTemp(e.Name()) || !e.Type().IsRegular() {
			continue
		}
		if !lockSupported {
			// Without a lock a temporary file may belong to a run in
			// progress; only old ones are surely stale.
			if info, err := e.Info(); err != nil || time.Since(info.ModTime()) < 10*time.Minute {
				continue
			}
		}
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out, nil
}

func removeStaleTemps(dir string) error {
	temps, err := staleTemps(dir)
	if err != nil {
		return err
	}
	for _, t := range temps {
		if err := os.Remove(filepath.Join(dir, t)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}
