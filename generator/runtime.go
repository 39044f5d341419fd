package generator

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/kiiexgen/kiiexgen/generator/emit"
	"github.com/kiiexgen/kiiexgen/templates"
)

// runtimeFile is one parsed file of templates/.
type runtimeFile struct {
	base string // file name without ".go"
	body []byte // source from the package clause on
	apex bool   // copied only for APEX specs (apex*.go, websocket.go)
	// constraint is the file's //go:build line, or "".
	constraint string
}

// runtimeSet is the parsed runtime plus the names it declares; parsed once.
type runtimeSet struct {
	files []runtimeFile
	// names are every package-level identifier the runtime declares, and
	// the names emitted helpers use; generated names avoid them all (even
	// those of apex.go when it is not copied, so a spec gaining APEX-ness
	// does not rename anything).
	names []string
	// methods are the runtime's methods on Client and WSSession.
	methods []string
}

var (
	runtimeOnce sync.Once
	runtimeVal  *runtimeSet
	runtimeErr  error
)

func loadRuntime() (*runtimeSet, error) {
	runtimeOnce.Do(func() { runtimeVal, runtimeErr = readRuntime(templates.FS, runtimeNames, runtimeMethods) })
	return runtimeVal, runtimeErr
}

// readRuntime is parseRuntime with the declared names taken from a table
// (runtime_names_gen.go, which TestRuntimeNamesCurrent keeps equal to what
// parseRuntime finds; -update rewrites it): parsing ten thousand lines of
// templates to learn their names cost every run several milliseconds.
// Only the files' text is read here: the cut after the package clause and
// the build constraint above it.
func readRuntime(fsys fs.FS, names, methods []string) (*runtimeSet, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	rs := &runtimeSet{names: names, methods: methods}
	for _, e := range entries {
		name := e.Name()
		if !runtimeTemplate(name) {
			continue
		}
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		// The templates are ours and gofmt-clean: the package clause is
		// the first line that starts with "package ", and a build
		// constraint is a "//go:build " line above it.
		constraint := ""
		rest := src
		for len(rest) > 0 {
			line, after, _ := bytes.Cut(rest, []byte("\n"))
			if bytes.HasPrefix(line, []byte("package ")) {
				break
			}
			if bytes.HasPrefix(line, []byte("//go:build ")) {
				constraint = string(line)
			}
			rest = after
		}
		if len(rest) == 0 {
			return nil, fmt.Errorf("runtime template %s: no package clause line", name)
		}
		_, body, _ := bytes.Cut(rest, []byte("\n"))
		rs.files = append(rs.files, runtimeFile{
			base:       strings.TrimSuffix(name, ".go"),
			body:       body,
			apex:       strings.HasPrefix(name, "apex") || name == "websocket.go",
			constraint: constraint,
		})
	}
	sort.Slice(rs.files, func(i, j int) bool { return rs.files[i].base < rs.files[j].base })
	return rs, nil
}

// runtimeTemplate reports whether a file of the templates' directory is
// copied into generated packages.
func runtimeTemplate(name string) bool {
	return strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") && name != "embed.go" && name != "stubs.go"
}

// parseRuntime reads the runtime templates in fsys and finds the names
// they declare by parsing them: the reference readRuntime's tables are
// checked against (TestRuntimeNamesCurrent).
func parseRuntime(fsys fs.FS) (*runtimeSet, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	rs := &runtimeSet{}
	names := map[string]bool{}
	methods := map[string]bool{}
	for _, e := range entries {
		name := e.Name()
		if !runtimeTemplate(name) {
			continue
		}
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, fmt.Errorf("runtime template %s: %w", name, err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					names[d.Name.Name] = true
					continue
				}
				// WSSession carries a twin of every Client method, so
				// both share one method namespace.
				if r := recvName(d.Recv); r == "Client" || r == "WSSession" {
					methods[d.Name.Name] = true
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						names[s.Name.Name] = true
					case *ast.ValueSpec:
						for _, n := range s.Names {
							names[n.Name] = true
						}
					}
				}
			}
		}
		// A build constraint (goversion.go's //go:build !go1.24) is kept:
		// it decides which toolchains compile the file.
		constraint := ""
		for _, cg := range f.Comments {
			if cg.Pos() > f.Package {
				break
			}
			for _, c := range cg.List {
				if strings.HasPrefix(c.Text, "//go:build ") {
					constraint = c.Text
				}
			}
		}
		// Keep the source from the package clause on: comments above it
		// would otherwise become the generated package's doc.
		off := fset.Position(f.Package).Offset
		body := src[off:]
		nl := bytes.IndexByte(body, '\n')
		if nl < 0 {
			return nil, fmt.Errorf("runtime template %s: no package clause line", name)
		}
		// The templates are gofmt-clean (make lint, and
		// TestRuntimeTemplatesFormatted checks that this cut of each is),
		// so the header and package clause put in front of it per package
		// keep it so; gofmt-ing them again in every run cost a process
		// more than reading them.
		rs.files = append(rs.files, runtimeFile{
			base:       strings.TrimSuffix(name, ".go"),
			body:       body[nl+1:],
			apex:       strings.HasPrefix(name, "apex") || name == "websocket.go",
			constraint: constraint,
		})
	}
	for _, h := range emit.HelperNames {
		names[h] = true
	}
	for n := range names {
		rs.names = append(rs.names, n)
	}
	for m := range methods {
		rs.methods = append(rs.methods, m)
	}
	sort.Strings(rs.names)
	sort.Strings(rs.methods)
	sort.Slice(rs.files, func(i, j int) bool { return rs.files[i].base < rs.files[j].base })
	return rs, nil
}

func recvName(fl *ast.FieldList) string {
	if fl == nil || len(fl.List) == 0 {
		return ""
	}
	t := fl.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// files renders the runtime for one generated package.
func (rs *runtimeSet) render(pkgName, source string, apex bool) ([]emit.File, error) {
	var out []emit.File
	for _, f := range rs.files {
		var b bytes.Buffer
		b.WriteString(emit.FileHeader(source))
		if f.constraint != "" {
			b.WriteString(f.constraint + "\n\n")
		}
		b.WriteString("package " + pkgName + "\n")
		if f.apex && !apex {
			// The file is still written, empty, so that the file set
			// never depends on the spec (see emit.Emit).
			b.WriteString("\n// This API does not follow the AlphaPoint APEX conventions; no APEX runtime is needed.\n")
		} else {
			b.Write(f.body)
		}
		out = append(out, emit.File{Name: path.Clean("runtime_" + f.base + "_gen.go"), Content: b.Bytes()})
	}
	return out, nil
}
