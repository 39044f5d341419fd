//go:build !unix

package generator

import "os"

// tryLock does nothing where flock does not exist: concurrent runs into one
// directory are not serialized there (each file is still replaced
// atomically).
func tryLock(*os.File, bool) (busy bool, err error) { return false, nil }

// lockSupported says whether tryLock really locks.
const lockSupported = false
