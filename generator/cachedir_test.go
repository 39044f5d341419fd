package generator_test

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/kiiexgen/kiiexgen/generator"
)

// moduleDir returns the directory for a throwaway module of generated
// packages that a test compiles and runs with the go command. It is the
// same directory in every run of the test from this checkout, so the go
// command's build and test caches hit for the packages whose generated
// code did not change: a fresh t.TempDir is a new path each run, and the
// go command keys its cache on the package's directory too, so every
// package was compiled, vetted and tested again (a minute of each make
// test). It lives in the user's cache directory (as the go command's own
// cache does), below a hash of the checkout's path; it is emptied first
// and held under the generator's write lock until the test ends, so two
// runs from the same checkout take turns.
func moduleDir(t *testing.T, name string) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	// The user's cache directory, not the shared temporary one: a path
	// others can predict there could be a symlink someone else placed.
	base, err := os.UserCacheDir()
	if err != nil {
		return t.TempDir()
	}
	sum := sha256.Sum256([]byte(wd))
	dir := filepath.Join(base, "kiiexgen-test", hex.EncodeToString(sum[:6]), name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(dir); err != nil || !fi.IsDir() {
		t.Fatalf("%s: not a directory (%v)", dir, err)
	}
	unlock, err := generator.LockForTest(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(unlock)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() == generator.LockName {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
