package generator

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/kiiexgen/kiiexgen/generator/emit"
	"github.com/kiiexgen/kiiexgen/generator/ir"
	"github.com/kiiexgen/kiiexgen/templates/fake"
)

var (
	fakeRuntimeOnce sync.Once
	fakeRuntimeVal  *runtimeSet
	fakeRuntimeErr  error
)

func loadFakeRuntime() (*runtimeSet, error) {
	fakeRuntimeOnce.Do(func() { fakeRuntimeVal, fakeRuntimeErr = readRuntime(fake.FS, fakeRuntimeNames, fakeRuntimeMethods) })
	return fakeRuntimeVal, fakeRuntimeErr
}

// generateFake renders the fake server package of pkg: its server_gen.go
// and the fake runtime, each named "<pkg>fake/<file>".
func generateFake(pkg *ir.Package, opts Options, source string) ([]File, error) {
	name := opts.Package + FakeSuffix
	if err := CheckPackageName(name); err != nil {
		return nil, fmt.Errorf("fake package: %w", err)
	}
	rt, err := loadFakeRuntime()
	if err != nil {
		return nil, err
	}
	files, err := emit.EmitFake(pkg, name, opts.ImportPath, rt.names)
	if err != nil {
		return nil, err
	}
	rfiles, err := rt.render(name, source, pkg.APEX)
	if err != nil {
		return nil, err
	}
	var out []File
	for _, f := range append(files, rfiles...) {
		out = append(out, File{Name: name + "/" + f.Name, Content: f.Content})
	}
	return out, nil
}

// checkImportPath refuses an import path the fake could not import the
// client by.
func checkImportPath(p string) error {
	if p == "" {
		return errors.New("the fake server needs the client's import path (-import-path), and none was given or derived")
	}
	for _, elem := range strings.Split(p, "/") {
		if elem == "" || elem == "." || elem == ".." {
			return fmt.Errorf("import path %q is not a clean slash-separated path", p)
		}
	}
	for _, r := range p {
		if r <= ' ' || r == 0x7f || strings.ContainsRune("\"'`\\:*?<>|", r) {
			return fmt.Errorf("import path %q holds %q, which import paths cannot", p, r)
		}
	}
	return nil
}

// ImportPathOf derives the import path of the package in dir from the
// nearest go.mod above it: the module path joined with dir's path relative
// to the module root. dir need not exist yet.
func ImportPathOf(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := abs; ; {
		data, err := os.ReadFile(filepath.Join(d, "go.mod"))
		switch {
		case err == nil:
			mod := modulePath(data)
			if mod == "" {
				return "", fmt.Errorf("%s has no module line", filepath.Join(d, "go.mod"))
			}
			rel, err := filepath.Rel(d, abs)
			if err != nil {
				return "", err
			}
			if rel == "." {
				return mod, nil
			}
			return path.Join(mod, filepath.ToSlash(rel)), nil
		case !errors.Is(err, os.ErrNotExist):
			return "", err
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("no go.mod in %s or any directory above it", abs)
		}
		d = parent
	}
}

// modulePath returns the path of a go.mod's module directive (quoted or
// not), "" when there is none.
func modulePath(gomod []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(gomod))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if i := strings.Index(line, "//"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		rest, ok := strings.CutPrefix(line, "module")
		if !ok || (rest != "" && rest[0] != ' ' && rest[0] != '\t' && rest[0] != '"') {
			continue
		}
		rest = strings.TrimSpace(rest)
		if u, err := strconv.Unquote(rest); err == nil {
			return u
		}
		return rest
	}
	return ""
}
