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
		{"ref.yaml", `kiiexgen: ref.yaml:11:24: #/paths/~1a/get/responses/200/content/application~1json/schema/$ref: unresolvable $ref "fifo.yaml#/S": fifo.yaml: is a named pipe (FIFO), not a regular file; read as any JSON value` + "\n"},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		// -strict: lenient mode reads an unresolvable schema $ref as
		// json.RawMessage with a warning (and generates); the refusal to
		// read a non-regular file is the same either way.
		cmd := exec.CommandContext(ctx, binary, "-strict", "-spec", c.spec, "-out", "out")
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

// TestConcurrentRunsOneSet: kiiexgen processes writing two different specs
// into one directory at once leave exactly the files of one run.
func TestConcurrentRunsOneSet(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary many times")
	}
	dir := t.TempDir()
	other := "openapi: 3.0.3\ninfo: {title: Other, version: '1'}\npaths:\n  /w:\n    get:\n      operationId: getWidget\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: object, properties: {id: {type: integer}}}\n"
	if err := os.WriteFile(filepath.Join(dir, "other.yaml"), []byte(other), 0o644); err != nil {
		t.Fatal(err)
	}
	argsA := []string{"-package", "api"}
	argsB := []string{"-package", "api", "-spec", "other.yaml"}
	// The two file sets, each written alone.
	want := map[string]map[string]string{}
	for name, args := range map[string][]string{"A": argsA, "B": argsB} {
		out := filepath.Join(dir, "alone"+name)
		if _, stderr, code := kiiexgen(t, dir, append(args, "-out", out)...); code != 0 {
			t.Fatal(stderr)
		}
		want[name] = files(t, out)
	}
	shared := filepath.Join(dir, "shared")
	for round := range 2 {
		cmds := make([]*exec.Cmd, 8)
		for i := range cmds {
			args := argsA
			if (i+round)%2 == 1 {
				args = argsB
			}
			cmds[i] = exec.Command(binary, append(args, "-out", shared)...)
			cmds[i].Dir = dir
			if err := cmds[i].Start(); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range cmds {
			if err := c.Wait(); err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
		got := files(t, shared)
		if !equalFiles(got, want["A"]) && !equalFiles(got, want["B"]) {
			t.Fatalf("round %d: the directory holds a mix of two runs", round)
		}
	}
}

// files reads the files of dir but the lock file.
func files(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() == ".kiiexgen.lock" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		m[e.Name()] = string(b)
	}
	return m
}

func equalFiles(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
