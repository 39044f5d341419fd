//go:build unix

package load

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// withinTime runs f and fails the test if it has not returned after 25 s: a
// read that blocks (a FIFO without a writer) must never hang the generator.
func withinTime(t *testing.T, f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(25 * time.Second):
		t.Fatal("blocked for 25 s")
		return nil
	}
}

// specialFiles makes, in dir, one of each kind of non-regular file.
func specialFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{
		"fifo.yaml":   "is a named pipe (FIFO), not a regular file",
		"zero.yaml":   "is a device, not a regular file", // symlink to /dev/zero
		"dir.yaml":    "is a directory, not a regular file",
		"socket.yaml": "is a socket, not a regular file",
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "dir.yaml"), 0o755); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("unix", filepath.Join(dir, "socket.yaml"))
	if err != nil {
		delete(m, "socket.yaml") // socket paths have a short length limit
	} else {
		t.Cleanup(func() { ln.Close() })
	}
	return m
}

// TestNonRegularSpecRefused: the spec itself is a FIFO, a device (through
// a symbolic link), a directory or a socket; each is refused at once.
func TestNonRegularSpecRefused(t *testing.T) {
	dir := t.TempDir()
	cases := specialFiles(t, dir)
	cases["/dev/zero"] = "is a device, not a regular file"
	for name, want := range cases {
		p := name
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, name)
		}
		err := withinTime(t, func() error { _, err := File(context.Background(), p, Options{}); return err })
		if err == nil || err.Error() != p+": "+want {
			t.Errorf("%s: got %v, want %q", name, err, want)
		}
		_, err = ReadFile(p)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ReadFile(%s): %v", name, err)
		}
	}
}

// TestNonRegularRefTargetRefused: a $ref names a FIFO, a directory, a
// socket, or a symbolic link to /dev/zero in the spec's directory.
func TestNonRegularRefTargetRefused(t *testing.T) {
	dir := t.TempDir()
	cases := specialFiles(t, dir)
	cases["zero.yaml"] = `points outside the spec's directory` // the link resolves to /dev
	for name, want := range cases {
		spec := head + "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n" +
			"          content:\n            application/json:\n              schema: {$ref: '" + name + "#/S'}\n"
		root := filepath.Join(dir, "spec.yaml")
		if err := os.WriteFile(root, []byte(spec), 0o644); err != nil {
			t.Fatal(err)
		}
		// Lenient mode reads an unresolvable schema $ref as json.RawMessage
		// with a warning; it must still return at once without reading.
		withinTime(t, func() error { _, err := File(context.Background(), root, Options{}); return err })
		// -strict makes the same finding an error, which carries the reason.
		err := withinTime(t, func() error { _, err := File(context.Background(), root, Options{Strict: true}); return err })
		if err == nil || !strings.Contains(err.Error(), "#/paths/~1a/get/responses/200/content/application~1json/schema/$ref: ") || !strings.Contains(err.Error(), want) {
			t.Errorf("$ref %s: got %v, want %q", name, err, want)
		}
	}
}

// TestTooLargeFileRefused: a file over MaxInputSize is refused by its size
// (a sparse file: nothing is read), and so is a stream that never ends.
func TestTooLargeFileRefused(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big.yaml")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxInputSize + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := File(context.Background(), p, Options{}); err == nil || err.Error() != p+": file too large (the limit is 64 MiB)" {
		t.Errorf("big file: %v", err)
	}
	if _, err := readLimited(zeros{}); err != ErrTooLarge {
		t.Errorf("endless reader: %v", err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// TestRemoteRefLimits: a remote $ref that never ends is cut off at
// MaxInputSize, and one that never answers at remoteTimeout.
func TestRemoteRefLimits(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/endless.yaml":
			buf := []byte(strings.Repeat("# comment\n", 6554))
			for {
				if _, err := w.Write(buf); err != nil {
					return
				}
			}
		case "/slow.yaml":
			select {
			case <-r.Context().Done():
			case <-time.After(20 * time.Second):
			}
		}
	}))
	defer srv.Close()
	old := remoteTimeout
	defer func() { remoteTimeout = old }()
	for _, c := range []struct {
		path, want string
		timeout    time.Duration
	}{
		{"/endless.yaml", "file too large", 30 * time.Second},
		{"/slow.yaml", "context deadline exceeded", 500 * time.Millisecond},
	} {
		path, want := c.path, c.want
		remoteTimeout = c.timeout
		spec := head + "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n" +
			"          content:\n            application/json:\n              schema: {$ref: '" + srv.URL + path + "#/S'}\n"
		start := time.Now()
		err := withinTime(t, func() error {
			_, err := Data(context.Background(), filepath.Join(t.TempDir(), "spec.yaml"), []byte(spec), Options{AllowRemoteRefs: true})
			return err
		})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", path, err, want)
		}
		if d := time.Since(start); d > 20*time.Second {
			t.Errorf("%s: took %v", path, d)
		}
	}
}
