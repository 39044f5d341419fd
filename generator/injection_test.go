package generator

import (
	"context"
	"encoding/json"

	"go/ast"
	"go/parser"
	"go/token"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/kiiexgen/kiiexgen/generator/build"
	"github.com/kiiexgen/kiiexgen/generator/emit"
	"github.com/kiiexgen/kiiexgen/generator/ir"
	"github.com/kiiexgen/kiiexgen/generator/load"
)

// hostilePayloads are strings that try to leave a comment, a string
// literal or a format string, or to hide from a reader.
var hostilePayloads = []string{
	"\nfunc init(){panic(1)}\n//go:generate touch PWNED\n//",
	"*/ func init(){} /*",
	"`+\"\\\"\"+`",
	"%v%w%!",
	"\x00",
	"\ufeff",
	"\u202e",
	"\u2028func init(){}",
	"\r//go:build ignore\r",
	"\\",
	"${x}",
	"` + \"`\" + `",
	"\n// +build ignore\n\npackage evil",
	"\x1b[31m\n::error file=x::pwned",
	"\n//line evil.go:1\n//export Evil",
	"\x85\v\f//go:linkname x y",
	"\"; func init(){}; var _ = \"",
	"\xff\xfe",
	"\n+build ignore\n",
	"\u200f\u2066\u061c\u00ad",
}

// hostileSpec builds an OpenAPI document whose every string slot is text(),
// and whose names are name() (names get a prefix so that two slots rarely
// collide into an invalid document).
func hostileSpec(text func() string) map[string]any {
	name := func(prefix string) string { return prefix + text() }
	// OpenAPI 3 limits component keys to [a-zA-Z0-9._-] (kin-openapi
	// refuses others), so only that part of a payload can reach them.
	key := func(prefix string) string { return prefix + componentKey(text()) }
	// URLs must parse: no ASCII control characters.
	url := func(prefix string) string {
		return prefix + strings.Map(func(r rune) rune {
			if r < 0x20 || r == 0x7f {
				return -1
			}
			return r
		}, text())
	}
	schemaA, schemaB, unionName := key("A"), key("B"), key("U")
	prop, disc, strEnum := name("p"), name("d"), name("e")
	secName := key("s")
	varName := name("v")
	param := name("q")
	header := name("h")
	opID := name("Op")
	tag := name("t")
	docs := func() map[string]any {
		return map[string]any{"url": url("https://docs.example.com/"), "description": text()}
	}
	strSchema := func() map[string]any {
		return map[string]any{"type": "string", "title": text(), "description": text(), "default": text(), "example": text(), "x-go-name": name("X")}
	}
	return map[string]any{
		"openapi":      "3.0.3",
		"info":         map[string]any{"title": text(), "description": text(), "version": text()},
		"externalDocs": docs(),
		"tags":         []any{map[string]any{"name": tag, "description": text(), "externalDocs": docs()}},
		"servers": []any{
			map[string]any{
				"url":         "https://{" + varName + "}.example.com/" + url(""),
				"description": text(),
				"x-go-name":   name("Srv"),
				"variables": map[string]any{
					varName: map[string]any{"default": text(), "enum": []any{text(), text()}, "description": text()},
				},
			},
			map[string]any{"url": url("https://example.com/"), "description": text()},
		},
		"security": []any{map[string]any{secName: []any{}}},
		"paths": map[string]any{
			// Braces in a path key declare parameters; the rest of the
			// payload stays.
			"/items/" + strings.NewReplacer("{", "(", "}", ")").Replace(text()) + "/{id}": map[string]any{
				"summary":     text(),
				"description": text(),
				"parameters": []any{
					map[string]any{"name": "id", "in": "path", "required": true, "description": text(), "schema": strSchema()},
				},
				"post": map[string]any{
					"operationId":  opID,
					"summary":      text(),
					"description":  text(),
					"tags":         []any{tag, text()},
					"externalDocs": docs(),
					"deprecated":   true,
					"parameters": []any{
						map[string]any{"name": param, "in": "query", "description": text(), "example": text(), "schema": strSchema()},
						map[string]any{"name": header, "in": "header", "description": text(), "schema": map[string]any{"type": "integer", "enum": []any{1, 2}}},
					},
					"requestBody": map[string]any{
						"description": text(),
						"required":    true,
						"content": map[string]any{
							"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/" + pointerToken(unionName)}},
						},
					},
					"responses": map[string]any{
						"200": map[string]any{
							"description": text(),
							"headers":     map[string]any{name("H"): map[string]any{"description": text(), "schema": strSchema()}},
							"content": map[string]any{
								"application/vnd." + strings.Map(mediaSafe, text()) + "+json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/" + pointerToken(schemaA)}},
							},
						},
						"default": map[string]any{
							"description": text(),
							"content": map[string]any{
								"application/json": map[string]any{"schema": map[string]any{"type": "object", "title": text(), "properties": map[string]any{name("m"): strSchema()}}},
							},
						},
					},
				},
			},
		},
		"components": map[string]any{
			"securitySchemes": map[string]any{
				secName:     map[string]any{"type": "apiKey", "in": "header", "name": name("K"), "description": text()},
				key("bear"): map[string]any{"type": "http", "scheme": "bearer", "bearerFormat": text(), "description": text()},
			},
			"schemas": map[string]any{
				schemaA: map[string]any{
					"type": "object", "title": text(), "description": text(), "required": []any{disc},
					"properties": map[string]any{
						disc:      map[string]any{"type": "string"},
						prop:      strSchema(),
						"-":       map[string]any{"type": "string", "description": text()},
						strEnum:   map[string]any{"type": "string", "enum": []any{text(), text(), "plain"}, "x-enum-descriptions": []any{text(), text(), text()}},
						name("n"): map[string]any{"type": "integer", "format": "int32", "enum": []any{1, 2147483648, 9223372036854775807}, "description": text()},
					},
				},
				schemaB: map[string]any{
					"type": "object", "required": []any{disc},
					"properties": map[string]any{disc: map[string]any{"type": "string"}, name("b"): map[string]any{"type": "number", "example": text()}},
				},
				unionName: map[string]any{
					"description": text(),
					"oneOf":       []any{map[string]any{"$ref": "#/components/schemas/" + pointerToken(schemaA)}, map[string]any{"$ref": "#/components/schemas/" + pointerToken(schemaB)}},
					"discriminator": map[string]any{
						"propertyName": disc,
						"mapping": map[string]any{
							text() + "a": "#/components/schemas/" + pointerToken(schemaA),
							text() + "b": "#/components/schemas/" + pointerToken(schemaB),
						},
					},
				},
				key("Plain"): map[string]any{"type": "string", "enum": []any{text(), text() + "2"}, "x-enum-varnames": []any{text(), text()}},
			},
		},
	}
}

// componentKey keeps the characters OpenAPI 3 allows in a component key.
func componentKey(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x80 && (r == '.' || r == '_' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return r
		}
		return -1
	}, s)
}

// mediaSafe keeps a payload usable inside a media type name (a '/' or ';'
// would change which media type it is, not what text reaches the code).
func mediaSafe(r rune) rune {
	if r == '/' || r == ';' || r == ',' {
		return '_'
	}
	return r
}

func pointerToken(s string) string { return strings.NewReplacer("~", "~0", "/", "~1").Replace(s) }

// TestHostileSpecText generates specs that carry an injection payload in
// every string field, randomly assigned over several seeds, and checks the
// generated packages: no init function, no directive in any comment, every
// comment a // line comment, only standard-library imports, exactly the
// top-level names the IR promises, and a clean go vet in a real module.
func TestHostileSpecText(t *testing.T) {
	rt, err := loadRuntime()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeTestModule(t, dir, "example.com/hostile")
	const seeds = 6
	for seed := range seeds {
		rng := rand.New(rand.NewPCG(uint64(seed), 9))
		text := func() string {
			// Mostly payloads, sometimes two glued together or inside prose.
			p := hostilePayloads[rng.IntN(len(hostilePayloads))]
			switch rng.IntN(4) {
			case 0:
				p += hostilePayloads[rng.IntN(len(hostilePayloads))]
			case 1:
				p = "word " + p + " word"
			}
			return p
		}
		data, err := json.Marshal(hostileSpec(text))
		if err != nil {
			t.Fatal(err)
		}
		path := "spec\n//go:generate touch PWNED\u202e" + strconv.Itoa(seed) + ".json"
		pkgName := "hostile" + strconv.Itoa(seed)
		files, _, err := Generate(context.Background(), Input{Path: path, Data: data}, Options{Package: pkgName})
		if err != nil {
			t.Fatalf("seed %d: %v\nspec: %.3000s", seed, err, data)
		}
		pkg := buildIR(t, rt, path, data, pkgName)
		checkHostileOutput(t, seed, files, pkg)
		if os.Getenv("KIIEXGEN_DUMP") != "" && seed == 0 {
			for _, f := range files {
				if !strings.HasPrefix(f.Name, "runtime_") {
					t.Logf("%s:\n%s", f.Name, f.Content)
				}
			}
		}
		if err := Write(filepath.Join(dir, pkgName), files); err != nil {
			t.Fatal(err)
		}
	}
	if testing.Short() {
		return
	}
	runGo(t, dir, "vet", "./...")
	out := runGo(t, dir, "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", "./...")
	for _, line := range strings.Fields(out) {
		if !strings.HasPrefix(line, "example.com/hostile") {
			t.Errorf("generated code depends on non-standard package %s", line)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "PWNED")); err == nil {
		t.Error("a payload ran")
	}
}

// buildIR runs load and build as Generate does, for the names the emitted
// code is expected to declare.
func buildIR(t *testing.T, rt *runtimeSet, path string, data []byte, pkgName string) *ir.Package {
	t.Helper()
	doc, err := load.Data(context.Background(), path, data, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pkg, _, err := build.Build(doc.Doc, build.Options{Package: pkgName, Source: path, Reserved: rt.names, ReservedMethods: rt.methods, Locate: doc.Locate, Number: doc.Number})
	if err != nil {
		t.Fatal(err)
	}
	return pkg
}

// expectedNames lists the top-level names the spec-dependent files may
// declare: names the IR holds and the emitter's own helpers.
func expectedNames(pkg *ir.Package) (funcs, methods map[string]bool) {
	funcs, methods = map[string]bool{}, map[string]bool{}
	for _, h := range emit.HelperNames {
		funcs[h] = true
	}
	for _, m := range []string{"Valid", "String", "GoString", "Format", "MarshalJSON", "UnmarshalJSON", "appendJSON", "marshalJSONReflect", "readJSON", "readField"} {
		methods[m] = true
	}
	for _, t := range pkg.Types {
		funcs[t.Name] = true
		if t.Enum != nil {
			for _, v := range t.Enum.Values {
				funcs[v.Name] = true
			}
		}
		if t.Union != nil {
			funcs[t.Union.Decoder] = true
			methods["is"+t.Name] = true
		}
	}
	for _, op := range pkg.Operations {
		funcs[op.Var] = true
		methods[op.Name] = true
		if op.ErrorFunc != "" {
			funcs[op.ErrorFunc] = true
		}
	}
	for _, op := range pkg.Skipped {
		funcs[op.Var] = true
	}
	for _, s := range pkg.Servers {
		funcs[s.Name] = true
		if s.Func != "" {
			funcs[s.Func] = true
		}
	}
	for _, s := range pkg.SecuritySchemes {
		funcs[s.Const] = true
	}
	return funcs, methods
}

func checkHostileOutput(t *testing.T, seed int, files []File, pkg *ir.Package) {
	t.Helper()
	funcs, methods := expectedNames(pkg)
	fset := token.NewFileSet()
	for _, f := range files {
		if !strings.HasPrefix(string(f.Content), "// "+emit.Header+"\n") {
			t.Errorf("seed %d: %s: first line is not the generated-code header", seed, f.Name)
		}
		// go generate reads raw lines, not comments (a raw string literal
		// spanning lines could carry a directive), so lines are checked
		// as text too.
		for i, line := range strings.Split(string(f.Content), "\n") {
			if l := strings.TrimLeft(line, " \t"); strings.HasPrefix(l, "//") && len(l) > 2 && l[2] != ' ' && l[2] != '\t' && !strings.HasPrefix(f.Name, "runtime_") {
				t.Errorf("seed %d: %s:%d: directive-like line %q", seed, f.Name, i+1, line)
			}
			if strings.HasPrefix(line, "//go:generate") {
				t.Errorf("seed %d: %s:%d: go:generate line %q", seed, f.Name, i+1, line)
			}
		}
		af, err := parser.ParseFile(fset, f.Name, f.Content, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("seed %d: %s does not parse: %v", seed, f.Name, err)
		}
		for _, cg := range af.Comments {
			for _, c := range cg.List {
				checkComment(t, seed, f.Name, c.Text)
			}
		}
		for _, imp := range af.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if strings.Contains(p, ".") {
				t.Errorf("seed %d: %s imports %s", seed, f.Name, p)
			}
		}
		spec := !strings.HasPrefix(f.Name, "runtime_")
		for _, d := range af.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Name.Name == "init" {
					t.Errorf("seed %d: %s declares func init", seed, f.Name)
				}
				if !spec {
					continue
				}
				if d.Recv != nil {
					if !methods[d.Name.Name] {
						t.Errorf("seed %d: %s declares unexpected method %s", seed, f.Name, d.Name.Name)
					}
				} else if !funcs[d.Name.Name] {
					t.Errorf("seed %d: %s declares unexpected function %s", seed, f.Name, d.Name.Name)
				}
			case *ast.GenDecl:
				if !spec || d.Tok == token.IMPORT {
					continue
				}
				for _, s := range d.Specs {
					var names []*ast.Ident
					switch s := s.(type) {
					case *ast.TypeSpec:
						names = []*ast.Ident{s.Name}
					case *ast.ValueSpec:
						names = s.Names
					}
					for _, n := range names {
						if !funcs[n.Name] {
							t.Errorf("seed %d: %s declares unexpected %s %s", seed, f.Name, d.Tok, n.Name)
						}
					}
				}
			}
		}
	}
}

// checkComment holds one comment to the boundary's promises.
func checkComment(t *testing.T, seed int, file, text string) {
	t.Helper()
	if !strings.HasPrefix(text, "//") {
		t.Errorf("seed %d: %s: comment is not a line comment: %q", seed, file, text)
		return
	}
	body := text[2:]
	if file == "runtime_goversion_gen.go" && text == "//go:build !go1.24" {
		// A directive kiiexgen writes on purpose, fixed text from
		// templates/goversion.go: older toolchains must fail loudly.
		return
	}
	if file == "runtime_jsonwrite_gen.go" && text == "//go:noinline" {
		// Fixed text from templates/jsonwrite.go: the optional-field
		// helpers stay calls, which halves a large package's compile time.
		return
	}
	if body != "" && body[0] != ' ' && body[0] != '\t' {
		t.Errorf("seed %d: %s: comment is a directive: %q", seed, file, text)
	}
	if strings.HasPrefix(strings.TrimSpace(body), "+build") {
		t.Errorf("seed %d: %s: comment is a build constraint: %q", seed, file, text)
	}
	for _, r := range body {
		if r != '\t' && (r < 0x20 || r == 0x7f || r == 0x85 || r == 0x2028 || r == 0x2029 || r == 0xfffd ||
			slices.Contains([]rune{0xfeff, 0x200e, 0x200f, 0x061c}, r) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)) {
			t.Errorf("seed %d: %s: comment holds %U: %q", seed, file, r, text)
		}
	}
}

func writeTestModule(t *testing.T, dir, path string) {
	t.Helper()
	v := strings.TrimPrefix(runtime.Version(), "go")
	if parts := strings.SplitN(strings.Fields(v + " ")[0], ".", 3); len(parts) >= 2 {
		v = parts[0] + "." + parts[1]
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module "+path+"\n\ngo "+v+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func runGo(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestHostileSwagger2 runs the payloads through the Swagger 2.0 reader
// (definition keys are held to the OpenAPI 3 component charset after
// conversion, so only that part of a payload reaches them).
func TestHostileSwagger2(t *testing.T) {
	rt, err := loadRuntime()
	if err != nil {
		t.Fatal(err)
	}
	for seed := range 3 {
		rng := rand.New(rand.NewPCG(uint64(seed), 2))
		text := func() string { return hostilePayloads[rng.IntN(len(hostilePayloads))] }
		def, prop, op := "D"+componentKey(text()), "p"+text(), "Op"+text()
		doc := map[string]any{
			"swagger":  "2.0",
			"info":     map[string]any{"title": text(), "version": text(), "description": text()},
			"host":     "api.example.com",
			"basePath": "/v1",
			"paths": map[string]any{
				"/x": map[string]any{"post": map[string]any{
					"operationId": op, "summary": text(), "description": text(),
					"parameters": []any{
						map[string]any{"name": "body", "in": "body", "description": text(), "schema": map[string]any{"$ref": "#/definitions/" + pointerToken(def)}},
						map[string]any{"name": "q" + text(), "in": "query", "type": "string", "description": text(), "enum": []any{text(), text() + "1"}},
					},
					"responses": map[string]any{"200": map[string]any{"description": text(), "schema": map[string]any{"$ref": "#/definitions/" + pointerToken(def)}}},
				}},
			},
			"definitions": map[string]any{
				def: map[string]any{"type": "object", "title": text(), "description": text(), "properties": map[string]any{
					prop: map[string]any{"type": "string", "description": text(), "enum": []any{text(), text() + "x"}},
				}},
			},
		}
		data, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		path := "swagger.json"
		files, _, err := Generate(context.Background(), Input{Path: path, Data: data}, Options{Package: "sw"})
		if err != nil {
			t.Fatalf("seed %d: %v\nspec: %.2000s", seed, err, data)
		}
		checkHostileOutput(t, seed, files, buildIR(t, rt, path, data, "sw"))
	}
}

// TestCheckPackageName: Generate refuses package names a client package
// cannot have, whoever calls it.
func TestCheckPackageName(t *testing.T) {
	for _, ok := range []string{"kiiex", "client2", "Kiiex", "ñandú", "fmt", "json"} {
		if err := CheckPackageName(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "main", "init", "_", "func", "type", "string", "error", "nil", "true", "len", "any", "1x", "a-b", "a b", "x\ny", "\u202ex"} {
		if err := CheckPackageName(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
		_, _, err := Generate(context.Background(), Input{Path: "s.yaml", Data: []byte("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n")}, Options{Package: bad})
		if bad != "" && err == nil {
			t.Errorf("Generate with package %q succeeded", bad)
		}
	}
}
