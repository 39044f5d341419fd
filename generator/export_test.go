package generator

// LockSupported reports whether Write serializes runs on this platform.
func LockSupported() bool { return lockSupported }

// LockForTest holds dir's write lock as another run would.
func LockForTest(dir string) (func(), error) { return lockDir(dir, true) }
