//go:build unix

package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestNonRegularSpecFailsFast: -spec naming /dev/zero, a FIFO, a symbolic
// link to /dev/zero or a directory, and a $ref to a FIFO, each exit 1 at
// once with a message saying what the file is, in little memory. The
// process is killed after 10 s, so a blocking open fails the test instead
// of hanging it.
func TestNonRegularSpecFailsFast(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "dir.yaml"), 0o755); err != nil {
		t.Fatal(err)
	}
	refFIFO := "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: 'fifo.yaml#/S'}\n"
	if err := os.WriteFile(filepath.Join(dir, "ref.yaml"), []byte(refFIFO), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ spec, want string }{
		{"/dev/zero", "kiiexgen: /dev/zero: is a device, not a regular file\n"},
		{"fifo.yaml", "kiiexgen: fifo.yaml: is a named pipe (FIFO), not a regular file\n"},
		{"zero.yaml", "kiiexgen: zero.yaml: is a device, not a regular file\n"},
		{"dir.yaml", "kiiexgen: dir.yaml: is a directory, not a regular file\n"},
		{"ref.yaml", `kiiexgen: ref.yaml:11:24: #/paths/~1a/get/responses/200/content/application~1json/schema/$ref: unresolvable $ref "fifo.yaml#/S": fifo.yaml: is a named pipe (FIFO), not a regular file` + "\n"},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		cmd := exec.CommandContext(ctx, binary, "-spec", c.spec, "-out", "out")
		cmd.Dir = dir
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		timedOut := ctx.Err() != nil
		cancel()
		if timedOut {
			t.Errorf("-spec %s: still running after 10 s", c.spec)
			continue
		}
		if cmd.ProcessState.ExitCode() != 1 || stderr.String() != c.want {
			t.Errorf("-spec %s: %v, stderr %q, want %q", c.spec, err, stderr.String(), c.want)
		}
		if rss := maxRSSKiB(cmd.ProcessState); rss > 256*1024 {
			t.Errorf("-spec %s: peak memory %d KiB", c.spec, rss)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); !os.IsNotExist(err) {
		t.Errorf("output directory created: %v", err)
	}
}

// TestCheckReportsStaleTempFile: the temporary file of a run killed
// mid-write makes -check fail naming it; the next run removes it.
func TestCheckReportsStaleTempFile(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "kiiex")
	if _, stderr, code := kiiexgen(t, dir, "-out", out); code != 0 {
		t.Fatal(stderr)
	}
	tmp := filepath.Join(out, ".kiiexgen-2718281828.tmp")
	if err := os.WriteFile(tmp, bytes.Repeat([]byte("// partial\n"), 1<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := kiiexgen(t, dir, "-out", out, "-check")
	if code != 1 || !strings.Contains(stderr, "stale: .kiiexgen-2718281828.tmp (temporary file of an interrupted run; would be removed)") {
		t.Fatalf("-check: exit %d: %s", code, stderr)
	}
	if _, stderr, code := kiiexgen(t, dir, "-out", out); code != 0 {
		t.Fatal(stderr)
	}
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Errorf("stale temporary file not removed: %v", err)
	}
	if _, stderr, code := kiiexgen(t, dir, "-out", out, "-check"); code != 0 {
		t.Errorf("-check after cleanup: exit %d: %s", code, stderr)
	}
}
