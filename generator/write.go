package generator

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"go/build"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/kiiexgen/kiiexgen/generator/emit"
	"github.com/kiiexgen/kiiexgen/generator/load"
)

// owned reports whether the file at p is one kiiexgen wrote: a *_gen.go
// file whose first line is the generated-code header. Only such files are
// ever replaced or removed.
func owned(p string) bool {
	if !strings.HasSuffix(p, "_gen.go") {
		return false
	}
	// A symbolic link, FIFO or device is never ours (and a FIFO must not
	// be opened: that would wait for a writer).
	if fi, err := os.Lstat(p); err != nil || !fi.Mode().IsRegular() {
		return false
	}
	f, _, err := load.OpenRegular(p)
	if err != nil {
		return false
	}
	defer f.Close()
	line, _ := bufio.NewReader(f).ReadString('\n')
	return strings.TrimRight(line, "\r\n") == "// "+emit.Header
}

func checkNames(files []File) error {
	for _, f := range files {
		sub, base, nested := strings.Cut(f.Name, "/")
		if !nested {
			sub, base = "", f.Name
		}
		if base == "" || filepath.Base(base) != base || base == "." || base == ".." || !strings.HasSuffix(base, "_gen.go") ||
			(nested && (!token.IsIdentifier(sub) || strings.Contains(base, "/"))) {
			return fmt.Errorf("internal error: refusing to write %q outside the output directory", f.Name)
		}
	}
	return nil
}

// pkgDir is the files of one generated package and the directory they go
// to: the output directory, or (for the fake server) a subdirectory of it.
type pkgDir struct {
	dir   string
	files []File // bare names
}

// splitDirs groups files by package directory, the output directory first.
// A name "sub/file_gen.go" goes to dir/sub.
func splitDirs(dir string, files []File) ([]pkgDir, error) {
	if err := checkNames(files); err != nil {
		return nil, err
	}
	out := []pkgDir{{dir: dir}}
	at := map[string]int{"": 0}
	for _, f := range files {
		sub, base, nested := strings.Cut(f.Name, "/")
		if !nested {
			sub, base = "", f.Name
		}
		i, ok := at[sub]
		if !ok {
			i = len(out)
			at[sub] = i
			out = append(out, pkgDir{dir: filepath.Join(dir, sub)})
		}
		out[i].files = append(out[i].files, File{Name: base, Content: f.Content})
	}
	return out, nil
}

// Write puts files into dir: every file goes to a temporary file first and
// is renamed into place only when all temporaries are written, so a failure
// leaves the directory as it was. Owned *_gen.go files that the new set
// does not contain are removed afterwards, as are temporary files that an
// interrupted run left behind; nothing else is touched.
//
// Concurrent Writes into one directory (from this or other processes) are
// serialized by an flock on dir/.kiiexgen.lock, so the files in dir are
// always the complete set of one of them; a Write waits up to LockWait for
// another to finish and then fails. (Where flock does not exist, runs are
// not serialized.)
func Write(dir string, files []File) error {
	pkgs, err := splitDirs(dir, files)
	if err != nil {
		return err
	}
	// Checked before the lock file is created too, so that these failures
	// leave the directory untouched.
	if err := refuseAll(pkgs); err != nil {
		return err
	}
	for _, p := range pkgs {
		if err := os.MkdirAll(p.dir, 0o755); err != nil {
			return err
		}
		// Always in the same order (the client's directory first), so two
		// runs cannot each hold one lock and wait for the other.
		unlock, err := lockDir(p.dir, true)
		if err != nil {
			return err
		}
		defer unlock()
	}
	if err := refuseAll(pkgs); err != nil {
		return err
	}
	var temps, finals []string
	cleanup := func() {
		for _, t := range temps {
			os.Remove(t)
		}
	}
	for _, p := range pkgs {
		if err := removeStaleTemps(p.dir); err != nil {
			return err
		}
		for _, f := range p.files {
			tmp, err := os.CreateTemp(p.dir, tempPrefix+"*"+tempSuffix)
			if err != nil {
				cleanup()
				return err
			}
			temps = append(temps, tmp.Name())
			finals = append(finals, filepath.Join(p.dir, f.Name))
			_, werr := tmp.Write(f.Content)
			cerr := tmp.Close()
			if err := errors.Join(werr, cerr); err != nil {
				cleanup()
				return err
			}
			if err := os.Chmod(tmp.Name(), 0o644); err != nil {
				cleanup()
				return err
			}
		}
	}
	for i := range temps {
		if err := os.Rename(temps[i], finals[i]); err != nil {
			cleanup()
			return err
		}
	}
	for _, p := range pkgs {
		stale, err := staleFiles(p.dir, p.files)
		if err != nil {
			return err
		}
		for _, s := range stale {
			if err := os.Remove(filepath.Join(p.dir, s)); err != nil {
				return err
			}
		}
	}
	return nil
}

// refuseAll runs refuseForeign and checkPackage on every package.
func refuseAll(pkgs []pkgDir) error {
	for _, p := range pkgs {
		if err := refuseForeign(p.dir, p.files); err != nil {
			return err
		}
		if err := checkPackage(p.dir, p.files); err != nil {
			return err
		}
	}
	return nil
}

// refuseForeign fails when one of files exists in dir and is not ours: a
// file that is not ours must not be overwritten.
func refuseForeign(dir string, files []File) error {
	// Name them all, so that one run tells the user everything to move.
	var foreign []string
	for _, f := range files {
		p := filepath.Join(dir, f.Name)
		if _, err := os.Lstat(p); err == nil && !owned(p) {
			foreign = append(foreign, p)
		}
	}
	switch len(foreign) {
	case 0:
		return nil
	case 1:
		return fmt.Errorf("%s exists and was not written by kiiexgen; not overwriting it", foreign[0])
	default:
		return fmt.Errorf("%d files exist that were not written by kiiexgen; not overwriting them: %s", len(foreign), strings.Join(foreign, ", "))
	}
}

// staleFiles lists owned *_gen.go files in dir that files does not contain.
func staleFiles(dir string, files []File) ([]string, error) {
	want := map[string]bool{}
	for _, f := range files {
		want[f.Name] = true
	}
	entries, err := readDirIfExists(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() || want[e.Name()] {
			continue
		}
		if owned(filepath.Join(dir, e.Name())) {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out, nil
}

// Check compares files with dir and describes each difference, one line per
// file ("modified: client_gen.go (+3 -1 lines)"); no lines means up to date.
// Temporary files an interrupted run left behind are differences too. It
// waits for a Write in progress to finish (and writes nothing itself).
func Check(dir string, files []File) ([]string, error) {
	pkgs, err := splitDirs(dir, files)
	if err != nil {
		return nil, err
	}
	for _, p := range pkgs {
		if err := checkPackage(p.dir, p.files); err != nil {
			return nil, err
		}
	}
	var out []string
	for _, p := range pkgs {
		unlock, err := lockDir(p.dir, false)
		if err != nil {
			return nil, err
		}
		lines, err := checkDir(p.dir, p.files)
		unlock()
		if err != nil {
			return nil, err
		}
		prefix := ""
		if p.dir != dir {
			prefix = filepath.Base(p.dir) + "/"
		}
		for _, l := range lines {
			kind, rest, _ := strings.Cut(l, ": ")
			out = append(out, kind+": "+prefix+rest)
		}
	}
	return out, nil
}

// checkDir is Check for the files of one package directory.
func checkDir(dir string, files []File) ([]string, error) {
	var out []string
	for _, f := range files {
		old, err := load.ReadFile(filepath.Join(dir, f.Name))
		switch {
		case errors.Is(err, os.ErrNotExist):
			out = append(out, fmt.Sprintf("missing: %s", f.Name))
		case errors.Is(err, load.ErrNotRegular), errors.Is(err, load.ErrTooLarge):
			out = append(out, fmt.Sprintf("modified: %s (%v)", f.Name, err))
		case err != nil:
			return nil, err
		case !bytes.Equal(old, f.Content):
			add, del := lineDelta(old, f.Content)
			out = append(out, fmt.Sprintf("modified: %s (+%d -%d lines)", f.Name, add, del))
		}
	}
	stale, err := staleFiles(dir, files)
	if err != nil {
		return nil, err
	}
	for _, s := range stale {
		out = append(out, "stale: "+s+" (would be removed)")
	}
	temps, err := staleTemps(dir)
	if err != nil {
		return nil, err
	}
	for _, t := range temps {
		out = append(out, "stale: "+t+" (temporary file of an interrupted run; would be removed)")
	}
	return out, nil
}

// lineDelta counts lines only in b (added) and only in a (removed), as
// multisets: a cheap summary, not a minimal diff.
func lineDelta(a, b []byte) (added, removed int) {
	count := map[string]int{}
	for _, l := range strings.Split(string(a), "\n") {
		count[l]++
	}
	for _, l := range strings.Split(string(b), "\n") {
		if count[l] > 0 {
			count[l]--
		} else {
			added++
		}
	}
	for _, n := range count {
		removed += n
	}
	return added, removed
}

// PackageMismatchError means the output directory holds hand-written Go
// files of another package: writing would leave two package clauses in
// one directory and a broken build.
type PackageMismatchError struct {
	Dir string
	// Have is the package the existing files declare, Want the generated
	// one's.
	Have, Want string
	// Files are the existing files declaring Have.
	Files []string
}

func (e *PackageMismatchError) Error() string {
	return fmt.Sprintf("%s holds package %s (%s), not package %s; generating would break its build", e.Dir, e.Have, strings.Join(e.Files, ", "), e.Want)
}

// checkPackage refuses to generate package P into a directory whose other
// Go files (those the go command would build: build constraints are
// honoured) declare another package. External test packages (P_test) are
// fine.
func checkPackage(dir string, files []File) error {
	if len(files) == 0 {
		return nil
	}
	want, err := packageName(files[0].Content)
	if err != nil {
		return fmt.Errorf("internal error: generated %s: %w", files[0].Name, err)
	}
	entries, err := readDirIfExists(dir)
	if err != nil {
		return err
	}
	byPkg := map[string][]string{}
	var others []string
	for _, e := range entries {
		name := e.Name()
		p := filepath.Join(dir, name)
		if e.IsDir() || !strings.HasSuffix(name, ".go") || owned(p) {
			continue
		}
		if ok, err := build.Default.MatchFile(dir, name); err != nil || !ok {
			continue
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		have, err := packageName(src)
		if err != nil || have == want || have == want+"_test" || have == "documentation" {
			continue
		}
		if _, ok := byPkg[have]; !ok {
			others = append(others, have)
		}
		byPkg[have] = append(byPkg[have], name)
	}
	if len(others) == 0 {
		return nil
	}
	sort.Strings(others)
	return &PackageMismatchError{Dir: dir, Have: others[0], Want: want, Files: byPkg[others[0]]}
}

func packageName(src []byte) (string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.PackageClauseOnly)
	if err != nil {
		return "", err
	}
	return f.Name.Name, nil
}

// Existing returns the files in dir that kiiexgen wrote (owned *_gen.go
// files), sorted by name: the previous generation, for comparisons.
func Existing(dir string) ([]File, error) {
	entries, err := readDirIfExists(dir)
	if err != nil {
		return nil, err
	}
	var out []File
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if e.IsDir() || !owned(p) {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		out = append(out, File{Name: e.Name(), Content: data})
	}
	return out, nil
}

// readDirIfExists is os.ReadDir for an output directory, which a first run
// has not created yet: a missing directory has no entries.
func readDirIfExists(dir string) ([]os.DirEntry, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	return entries, err
}
