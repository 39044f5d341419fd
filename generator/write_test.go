package generator_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/kiiexgen/kiiexgen/generator"
	"github.com/kiiexgen/kiiexgen/spec"
)

// dirFiles returns every file in dir except the lock file.
func dirFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string][]byte{}
	for _, e := range entries {
		if e.Name() == generator.LockName || e.Name() == "go.mod" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		m[e.Name()] = b
	}
	return m
}

func sameSet(got map[string][]byte, files []generator.File) bool {
	if len(got) != len(files) {
		return false
	}
	for _, f := range files {
		if !bytes.Equal(got[f.Name], f.Content) {
			return false
		}
	}
	return true
}

// TestConcurrentWritesLeaveOneRunsSet: many Writes of two different specs
// into one directory at once. Without the lock their renames interleave
// into a mixed set that does not compile; with it the directory holds
// exactly the files of one run, and they compile.
func TestConcurrentWritesLeaveOneRunsSet(t *testing.T) {
	// The client's files only: the fake's subdirectory is another package.
	var a []generator.File
	for _, f := range generateKIIEX(t, spec.KIIEX) {
		if !strings.Contains(f.Name, "/") {
			a = append(a, f)
		}
	}
	small := "openapi: 3.0.3\ninfo: {title: Other, version: '1'}\npaths:\n  /w:\n    get:\n      operationId: getWidget\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Widget'}\ncomponents:\n  schemas:\n    Widget: {type: object, properties: {id: {type: integer}}}\n"
	b, _, err := generator.Generate(context.Background(), generator.Input{Path: "other.yaml", Data: []byte(small)}, generator.Options{Package: "kiiex"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for round := range 3 {
		var wg sync.WaitGroup
		errs := make(chan error, 16)
		for i := range 16 {
			files := a
			if (i+round)%2 == 1 {
				files = b
			}
			wg.Go(func() {
				if err := generator.Write(dir, files); err != nil {
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("round %d: %v", round, err)
		}
		got := dirFiles(t, dir)
		if !sameSet(got, a) && !sameSet(got, b) {
			var names []string
			for n := range got {
				names = append(names, n)
			}
			t.Fatalf("round %d: directory holds a mix of two runs: %v", round, names)
		}
	}
	if testing.Short() {
		return
	}
	writeModule(t, dir, "example.com/kiiex")
	goCmd(t, dir, "build", "./...")
}

// TestWriteWaitsForLock: a Write finds the directory locked by another
// holder; it fails after LockWait with a message naming the lock.
func TestWriteWaitsForLock(t *testing.T) {
	if !generator.LockSupported() {
		t.Skip("no flock on this platform")
	}
	dir := t.TempDir()
	files := generateKIIEX(t, spec.KIIEX)
	unlock, err := generator.LockForTest(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	old := generator.LockWait
	generator.LockWait = 100 * 1e6 // 100ms
	defer func() { generator.LockWait = old }()
	err = generator.Write(dir, files)
	if err == nil || !strings.Contains(err.Error(), "another kiiexgen run is writing to") || !strings.Contains(err.Error(), ".kiiexgen.lock") {
		t.Fatalf("got %v", err)
	}
	if got := dirFiles(t, dir); len(got) != 0 {
		t.Errorf("wrote while locked: %d files", len(got))
	}
}

// TestStaleTempFiles: a temporary file a killed run left behind (our exact
// name pattern) is reported by Check and removed by the next Write; files
// that merely look similar are left alone.
func TestStaleTempFiles(t *testing.T) {
	dir := t.TempDir()
	files := generateKIIEX(t, spec.KIIEX)
	if err := generator.Write(dir, files); err != nil {
		t.Fatal(err)
	}
	ours := []string{".kiiexgen-1234567.tmp", ".kiiexgen-0.tmp"}
	notOurs := []string{".kiiexgen-abc.tmp", ".kiiexgen-.tmp", "kiiexgen-123.tmp", ".kiiexgen-123.tmp.bak", ".other-123.tmp", "x.tmp"}
	for _, n := range append(append([]string(nil), ours...), notOurs...) {
		if err := os.WriteFile(filepath.Join(dir, n), bytes.Repeat([]byte("x"), 1<<20), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// A directory with our name is not a temporary file of ours either.
	if err := os.Mkdir(filepath.Join(dir, ".kiiexgen-99.tmp"), 0o755); err != nil {
		t.Fatal(err)
	}
	diffs, err := generator.Check(dir, files)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"stale: .kiiexgen-0.tmp (temporary file of an interrupted run; would be removed)",
		"stale: .kiiexgen-1234567.tmp (temporary file of an interrupted run; would be removed)",
	}
	if fmt.Sprint(diffs) != fmt.Sprint(want) {
		t.Errorf("Check:\n got %q\nwant %q", diffs, want)
	}
	if err := generator.Write(dir, files); err != nil {
		t.Fatal(err)
	}
	for _, n := range ours {
		if _, err := os.Lstat(filepath.Join(dir, n)); !os.IsNotExist(err) {
			t.Errorf("%s not removed: %v", n, err)
		}
	}
	for _, n := range append(notOurs, ".kiiexgen-99.tmp") {
		if _, err := os.Lstat(filepath.Join(dir, n)); err != nil {
			t.Errorf("%s removed: %v", n, err)
		}
	}
	if diffs, err := generator.Check(dir, files); err != nil || len(diffs) != 0 {
		t.Errorf("after Write: %q %v", diffs, err)
	}
}

// TestWriteRefusesForeignFileUntouched: a file of the new set exists and is
// not ours; Write fails and leaves the directory exactly as it was (no lock
// file, no temporary files).
func TestWriteRefusesForeignFileUntouched(t *testing.T) {
	dir := t.TempDir()
	files := generateKIIEX(t, spec.KIIEX)
	foreign := filepath.Join(dir, files[0].Name)
	if err := os.WriteFile(foreign, []byte("package mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := generator.Write(dir, files)
	if err == nil || !strings.Contains(err.Error(), "was not written by kiiexgen") {
		t.Fatalf("got %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != files[0].Name {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("directory now holds %v", names)
	}
}

// TestWriteSubpackage: a name "sub/file_gen.go" (the fake server's files)
// goes to dir/sub, under the same rules as the output directory's own;
// deeper or escaping names are refused, and Check reports by "sub/" name.
func TestWriteSubpackage(t *testing.T) {
	dir := t.TempDir()
	hdr := "// Code generated by kiiexgen. DO NOT EDIT.\n\n"
	files := []generator.File{
		{Name: "a_gen.go", Content: []byte(hdr + "package p\n")},
		{Name: "pfake/b_gen.go", Content: []byte(hdr + "package pfake\n")},
	}
	if diffs, err := generator.Check(dir, files); err != nil || fmt.Sprint(diffs) != "[missing: a_gen.go missing: pfake/b_gen.go]" {
		t.Errorf("Check before Write: %q %v", diffs, err)
	}
	if err := generator.Write(dir, files); err != nil {
		t.Fatal(err)
	}
	if got := dirFiles(t, filepath.Join(dir, "pfake")); string(got["b_gen.go"]) != string(files[1].Content) || len(got) != 1 {
		t.Errorf("pfake holds %v", got)
	}
	os.WriteFile(filepath.Join(dir, "pfake", "old_gen.go"), []byte(hdr+"package pfake\n"), 0o644)
	if diffs, err := generator.Check(dir, files); err != nil || fmt.Sprint(diffs) != "[stale: pfake/old_gen.go (would be removed)]" {
		t.Errorf("Check with a stale fake file: %q %v", diffs, err)
	}
	if err := generator.Write(dir, files); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "pfake", "old_gen.go")); !os.IsNotExist(err) {
		t.Errorf("stale fake file kept: %v", err)
	}
	// A hand-written file of another package in the fake's directory.
	os.WriteFile(filepath.Join(dir, "pfake", "mine.go"), []byte("package other\n"), 0o644)
	if err := generator.Write(dir, files); err == nil || !strings.Contains(err.Error(), "holds package other") {
		t.Errorf("foreign package in the fake's directory: %v", err)
	}
	for _, bad := range []string{"a/b/c_gen.go", "../x_gen.go", "sub/../x_gen.go", "1x/y_gen.go", "sub/", "/x_gen.go"} {
		err := generator.Write(t.TempDir(), []generator.File{{Name: bad, Content: []byte(hdr + "package p\n")}})
		if err == nil || !strings.Contains(err.Error(), "refusing to write") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
