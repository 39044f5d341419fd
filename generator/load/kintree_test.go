package load

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v4"

	"github.com/kiiexgen/kiiexgen/generator/build"
	"github.com/kiiexgen/kiiexgen/generator/emit"
	"github.com/kiiexgen/kiiexgen/internal/testnote"
)

// TestKinTreeIsParsedEmit: the tree kinTree builds is the tree go-yaml
// parses from emitJSON's text (kinds, tags, values, styles, lines and
// columns), for every spec of the shared corpora and a set of scalars that
// JSON and YAML spell differently.
func TestKinTreeIsParsedEmit(t *testing.T) {
	docs := map[string][]byte{
		"scalars.yaml": []byte(`openapi: 3.0.3
info: {title: "t\u00e9\t\"x\u2028", version: 1}
paths: {}
x-s:
  - 0x1F
  - 0o17
  - 1_000
  - +5
  - -0
  - -0.0
  - 1e400
  - 99999999999999999999
  - 18446744073709551615
  - 9223372036854775808
  - .5
  - 1.
  - .inf
  - .nan
  - yes
  - ~
  - 2001-12-14
  - !local text
  - !!binary aGVsbG8=
  - "a\x85b"
  - "é ünï 中文 😀"
  - {}
  - []
  - [[], {a: [1, {}]}]
x-k: {"<<": 1, "~": 2, "a/b~c": 3, "": 4}
`),
		"scalars.json": []byte(`{"openapi": "3.0.3", "info": {"title": "\ud83d\ude00 \u0085 \u007f", "version": "1"}, "paths": {},
 "x": [1, -0, 1.5e300, 1E400, -12345678901234567890, true, null, "", {"": []}]}`),
	}
	shared := filepath.Join("..", "..", "..", "shared", "specs")
	var files []string
	for _, sub := range []string{"public", "kiiex-legacy", "large"} {
		m, _ := filepath.Glob(filepath.Join(shared, sub, "*"))
		files = append(files, m...)
	}
	for _, f := range files {
		if strings.HasSuffix(f, ".json") || strings.HasSuffix(f, ".yaml") || strings.HasSuffix(f, ".yml") {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			docs[filepath.Base(f)] = data
		}
	}
	if len(files) == 0 {
		t.Log("shared corpus not present (../shared/specs): built-in documents only")
	}
	for name, data := range docs {
		p, err := parseFile(&reporter{}, name, data)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		em := emitJSON(p)
		var want yaml.Node
		if err := yaml.Unmarshal(em.data, &want); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		got, gem := kinTree(p)
		if d := nodeDiff(got, &want, ""); d != "" {
			t.Errorf("%s: %s", name, d)
		}
		if strings.Join(gem.lines, "\n") != strings.Join(em.lines, "\n") {
			t.Errorf("%s: line tables differ", name)
		}
	}
}

func nodeDiff(a, b *yaml.Node, path string) string {
	if a.Kind != b.Kind || a.Tag != b.Tag || a.Value != b.Value || a.Style != b.Style || a.Line != b.Line || a.Column != b.Column || len(a.Content) != len(b.Content) {
		return fmt.Sprintf("at %s: built {%v %s %q %v %d:%d %d}, parsed {%v %s %q %v %d:%d %d}", path,
			a.Kind, a.Tag, a.Value, a.Style, a.Line, a.Column, len(a.Content), b.Kind, b.Tag, b.Value, b.Style, b.Line, b.Column, len(b.Content))
	}
	for i := range a.Content {
		if d := nodeDiff(a.Content[i], b.Content[i], fmt.Sprintf("%s/%d", path, i)); d != "" {
			return d
		}
	}
	return ""
}

// corpusRoots lists the root files of the shared corpora (../shared/specs):
// the single files, the roots of the multi-file specs named in the public
// MANIFEST.tsv, the legacy KIIEX documents and the large inputs.
func corpusRoots() []string {
	shared := filepath.Join("..", "..", "..", "shared", "specs")
	var roots []string
	if m, err := os.ReadFile(filepath.Join(shared, "public", "MANIFEST.tsv")); err == nil {
		for i, line := range strings.Split(string(m), "\n") {
			if f, _, ok := strings.Cut(line, "\t"); ok && i > 0 {
				roots = append(roots, filepath.Join(shared, "public", f))
			}
		}
	}
	for _, sub := range []string{"kiiex-legacy", "large"} {
		m, _ := filepath.Glob(filepath.Join(shared, sub, "*"))
		roots = append(roots, m...)
	}
	return roots
}

// everydayMaxBytes bounds the specs the corpus-wide load comparisons read
// in the everyday suite: those comparisons load each spec twice, and the
// few specs above it (Stripe, Elasticsearch, Twilio, ...) are most of
// their time. `make corpus` (testnote.Corpus) reads them all.
const everydayMaxBytes = 300 << 10

// everydaySkip reports (and logs) that the spec at p is left to `make
// corpus` for its size.
func everydaySkip(t *testing.T, p string) bool {
	if testnote.Corpus() {
		return false
	}
	fi, err := os.Stat(p)
	if err != nil || fi.Size() <= everydayMaxBytes {
		return false
	}
	t.Logf("%s: %d bytes, left to make corpus", filepath.Base(p), fi.Size())
	return true
}

// specFiles counts the files of a multi-file spec of the public corpus (its
// top folder there); 1 for any other spec.
func specFiles(p string) int {
	public := filepath.Join("..", "..", "..", "shared", "specs", "public")
	rel, err := filepath.Rel(public, p)
	top, _, multi := strings.Cut(filepath.ToSlash(rel), "/")
	if err != nil || !multi || strings.HasPrefix(rel, "..") {
		return 1
	}
	n := 0
	filepath.WalkDir(filepath.Join(public, top), func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

// TestTreeDecodeSameAsText: decoding the tree kinTree builds (what every
// load does) and having kin-openapi parse the emitted text (what loads did
// before) give the same errors and warnings, the same positions, the same
// model and the same generated code, for every spec of the shared corpora
// and the KIIEX spec.
func TestTreeDecodeSameAsText(t *testing.T) {
	roots := append(corpusRoots(), filepath.Join("..", "..", "spec", "kiiex.yaml"))
	if len(roots) == 1 {
		t.Log("shared corpus not present (../shared/specs): the KIIEX spec only")
	}
	if testing.Short() {
		t.Skip("loads the corpus twice")
	}
	type result struct{ diags, model, code string }
	load := func(p string) result {
		doc, err := File(context.Background(), p, Options{})
		var r result
		var out []string
		if err != nil {
			out = append(out, err.Error())
		}
		if doc == nil {
			r.diags = strings.Join(out, "\n")
			return r
		}
		for _, d := range doc.Diagnostics {
			out = append(out, d.String())
		}
		r.diags = strings.Join(out, "\n")
		m, err := json.Marshal(doc.Doc)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		r.model = string(m)
		pkg, warns, err := build.Build(doc.Doc, build.Options{Package: "client", Source: "spec", Locate: doc.Locate, LocateNear: doc.LocateNear, Number: doc.Number})
		if err != nil {
			r.code = "build: " + err.Error()
			return r
		}
		var code strings.Builder
		for _, w := range warns {
			code.WriteString(w.String() + "\n")
		}
		files, err := emit.Emit(pkg)
		if err != nil {
			t.Fatalf("%s: emit: %v", p, err)
		}
		for _, f := range files {
			code.WriteString(f.Name + "\n")
			code.Write(f.Content)
		}
		r.code = code.String()
		return r
	}
	defer func() { decodeText = false }()
	n := 0
	for _, p := range roots {
		if !strings.HasSuffix(p, ".json") && !strings.HasSuffix(p, ".yaml") && !strings.HasSuffix(p, ".yml") {
			continue
		}
		if everydaySkip(t, p) {
			continue
		}
		if files := specFiles(p); files > 500 {
			// DigitalOcean's 2,850 files: loading it twice takes minutes on
			// a busy machine; the other multi-file specs cover the path.
			t.Logf("%s: %d files, skipped", filepath.Base(p), files)
			continue
		}
		n++
		decodeText = false
		got := load(p)
		decodeText = true
		want := load(p)
		name := filepath.Base(p)
		if got.diags != want.diags {
			t.Errorf("%s: diagnostics from the tree:\n%s\nfrom the text:\n%s", name, got.diags, want.diags)
		}
		if got.model != want.model {
			t.Errorf("%s: the models differ", name)
		}
		if got.code != want.code {
			t.Errorf("%s: the generated code differs", name)
		}
	}
	t.Logf("%d specs loaded both ways", n)
}

// TestJSONInPlaceSameAsCopy: the JSON parser's tree checked and indexed in
// place is the tree the expander's copy makes, with the same index and the
// same warnings (duplicate keys), for the JSON specs of the shared corpora
// and documents with duplicate keys.
func TestJSONInPlaceSameAsCopy(t *testing.T) {
	docs := map[string][]byte{
		"dup.json":  []byte(`{"openapi": "3.0.3", "info": {"title": "a", "title": "b", "version": "1"}, "paths": {}, "x": [{"a": 1, "a": [2], "<<": {"b": 3}}]}`),
		"wide.json": []byte(`{"a0": 0, "a1": 1, "a2": 2, "a3": 3, "a4": 4, "a5": 5, "a6": 6, "a7": 7, "a8": 8, "a9": 9, "b0": 0, "b1": 1, "b2": 2, "b3": 3, "b4": 4, "b5": 5, "b6": 6, "a3": "again", "b7": 7, "a0": "and again"}`),
	}
	for _, f := range corpusRoots() {
		if strings.HasSuffix(f, ".json") {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			docs[filepath.Base(f)] = data
		}
	}
	defer func() { jsonInPlace = true }()
	for name, data := range docs {
		parse := func(inPlace bool) (*parsed, string) {
			jsonInPlace = inPlace
			rep := &reporter{}
			p, err := parseFile(rep, name, data)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			return p, fmt.Sprint(rep.list)
		}
		want, wantDiags := parse(false)
		got, gotDiags := parse(true)
		if d := nodeDiff(got.root, want.root, ""); d != "" {
			t.Errorf("%s: %s", name, d)
		}
		if gotDiags != wantDiags {
			t.Errorf("%s: warnings in place %s, copied %s", name, gotDiags, wantDiags)
		}
		if fmt.Sprint(got.index) != fmt.Sprint(want.index) || got.widest != want.widest {
			t.Errorf("%s: the indexes differ", name)
		}
	}
}

// TestScanJSONSameAsDecoder: scanJSON builds the tree the encoding/json
// based parser builds (positions included), and gives up, leaving the
// diagnostic to that parser, on what it refuses.
func TestScanJSONSameAsDecoder(t *testing.T) {
	docs := map[string]string{
		"escapes":  `{"a\"b\\c\/d\u00e9\ud83d\ude00\ud800x": "\t\n\r\b\f", "é中😀": ["", " ", "\u0000"]}`,
		"numbers":  `[0, -0, 1.5, -1.5e10, 1E+2, 2e-3, 12345678901234567890123, 0.0]`,
		"literals": "\n\t [true ,false, null ,{\r\n}, [ ] ]  \n",
		"lines":    "{\n  \"a\": {\n    \"b\": [1,\n 2]},\n\"c\":\"x\"}",
		"scalar":   `"top"`,
	}
	bad := []string{`{"a" 1}`, `{"a": 1,}`, `[1,]`, `[01]`, `[1.]`, `[-]`, `[1e]`, `[tru]`, `[nul]`, `{"a": 1} x`, "[\"a\tb\"]", `["\x"]`, `{a: 1}`, `[1 2]`, `[`, `{"a":`, `"abc`, `[1]]`, strings.Repeat("[", MaxDepth+2) + strings.Repeat("]", MaxDepth+2)}
	for _, f := range corpusRoots() {
		if strings.HasSuffix(f, ".json") {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			docs[filepath.Base(f)] = string(data)
		}
	}
	defer func() { jsonScan = true }()
	for name, doc := range docs {
		jsonScan = false
		want, err := jsonNodes(name, []byte(doc))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, ok := scanJSON([]byte(doc))
		if !ok {
			t.Errorf("%s: scanJSON gave up", name)
			continue
		}
		if d := nodeDiff(got, want, ""); d != "" {
			t.Errorf("%s: %s", name, d)
		}
	}
	for _, doc := range bad {
		if _, ok := scanJSON([]byte(doc)); ok {
			t.Errorf("scanJSON accepted %q", doc)
		}
		jsonScan = false
		_, want := jsonNodes("bad.json", []byte(doc))
		jsonScan = true
		_, got := jsonNodes("bad.json", []byte(doc))
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%q: %v, want %v", doc, got, want)
		}
	}
}

// TestTreeOriginsSameAsText: the Origins addOrigins gives a model decoded
// from kinTree's tree (Key, a Field per key, Sequences of scalar items) are
// those kin-openapi's own parse of the text gives, once fixOrigins has put
// them at their positions in the spec. One difference is kept: kin-openapi
// stamps the inline schema of a parameter written as a list item with the
// item's Key (its "Schema" field is taken for a wrapper's); addOrigins gives
// it the position of its own "schema" key.
func TestTreeOriginsSameAsText(t *testing.T) {
	const spec = `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /pets/{id}:
    get:
      operationId: getPet
      tags: [pets, read]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, enum: [a, b]}}
        - name: q
          in: query
          example: 3
          schema: {type: integer}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
              examples:
                one: {value: {name: x}}
components:
  schemas:
    Pet:
      type: object
      required: [name, tag]
      properties:
        name: {type: string, example: rex}
        tag: {type: string, enum: [x, y]}
`
	origins := func(text bool) []*openapi3.Origin {
		decodeText = text
		defer func() { decodeText = false }()
		d, err := Data(context.Background(), "spec.yaml", []byte(spec), Options{})
		if err != nil {
			t.Fatal(err)
		}
		op := d.Doc.Paths.Value("/pets/{id}").Get
		mt := op.Responses.Value("200").Value.Content["application/json"]
		pet := d.Doc.Components.Schemas["Pet"].Value
		return []*openapi3.Origin{d.Doc.Origin, op.Origin, op.Parameters[0].Value.Origin, op.Parameters[0].Value.Schema.Value.Origin,
			op.Parameters[1].Value.Origin, mt.Origin, mt.Examples["one"].Value.Origin, pet.Origin, pet.Properties["tag"].Value.Origin}
	}
	got, want := origins(false), origins(true)
	if k := got[3].Key; k == nil || k.Line != 9 || k.Column != 48 || k.Name != "schema" {
		t.Errorf("the parameter's schema: Key %s, want its own key at 9:48", originString(got[3]))
	}
	want[3].Key = got[3].Key
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("origin %d:\n got %s\nwant %s", i, originString(got[i]), originString(want[i]))
		}
	}
}

func originString(o *openapi3.Origin) string {
	if o == nil {
		return "nil"
	}
	b, _ := json.Marshal(o)
	return string(b)
}

// TestTreeDecodeErrorSameAsText: a document kin-openapi's decoder refuses
// (a title that is a number, an exclusiveMinimum that is text) fails with
// the errors, at the positions, of loading the text.
func TestTreeDecodeErrorSameAsText(t *testing.T) {
	for _, spec := range []string{
		"openapi: 3.0.3\ninfo: {title: 1, version: \"1\"}\npaths: {}\n",
		"openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\npaths: {}\ncomponents:\n  schemas:\n    A: {type: integer, exclusiveMinimum: yes please}\n",
		"{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {\"/a\": {\"get\": {\"responses\": {\"200\": {\"description\": [1]}}}}}}",
	} {
		load := func(text bool) string {
			decodeText = text
			defer func() { decodeText = false }()
			_, err := Data(context.Background(), "spec.yaml", []byte(spec), Options{})
			if err == nil {
				return ""
			}
			return err.Error()
		}
		got, want := load(false), load(true)
		if want == "" {
			t.Errorf("%q loads: the case tests nothing", spec)
		}
		if got != want {
			t.Errorf("%q:\n got %s\nwant %s", spec, got, want)
		}
	}
}
