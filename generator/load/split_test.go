package load

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"
)

// sameTree reports the first difference between the whole parse's tree
// and the split parse's (comments aside: the loader never reads them), or
// "". Aliases must lead to the corresponding anchored node.
func sameTree(whole, split *yaml.Node) string {
	seen := make(map[*yaml.Node]*yaml.Node)
	var walk func(a, b *yaml.Node, at string) string
	walk = func(a, b *yaml.Node, at string) string {
		if a == nil || b == nil {
			if a != b {
				return at + ": one node is nil"
			}
			return ""
		}
		if m, ok := seen[a]; ok {
			if m != b {
				return at + ": a shared node is not shared in the split tree"
			}
			return ""
		}
		seen[a] = b
		if a.Kind != b.Kind || a.Style != b.Style || a.Tag != b.Tag || a.Value != b.Value || a.Anchor != b.Anchor ||
			a.Line != b.Line || a.Column != b.Column || len(a.Content) != len(b.Content) {
			return fmt.Sprintf("%s: whole {%v %v %q %q &%s %d:%d %d} split {%v %v %q %q &%s %d:%d %d}", at,
				a.Kind, a.Style, a.Tag, a.Value, a.Anchor, a.Line, a.Column, len(a.Content),
				b.Kind, b.Style, b.Tag, b.Value, b.Anchor, b.Line, b.Column, len(b.Content))
		}
		if a.Kind == yaml.AliasNode {
			if d := walk(a.Alias, b.Alias, at+"*"); d != "" {
				return d
			}
		}
		for i := range a.Content {
			if d := walk(a.Content[i], b.Content[i], fmt.Sprintf("%s/%d", at, i)); d != "" {
				return d
			}
		}
		return ""
	}
	return walk(whole, split, "")
}

// checkSplit parses data whole and in n pieces; it reports whether the
// split parse was used, and fails when it was and differs.
func checkSplit(t *testing.T, name string, data []byte, n int) bool {
	t.Helper()
	split := parseYAMLSplit(data, n, 2)
	if split == nil {
		return false
	}
	whole, err := parseYAMLWhole(data)
	if err != nil {
		t.Errorf("%s: %d pieces parsed, but the whole file does not: %v", name, n, err)
		return true
	}
	if d := sameTree(whole, split); d != "" {
		t.Errorf("%s, %d pieces: trees differ at %s", name, n, d)
	}
	return true
}

// yamlSpecs lists the YAML specs the split parse is checked on: KIIEX's,
// the legacy KIIEX documents and the public corpus (when present).
func yamlSpecs(t *testing.T) []string {
	files := []string{filepath.Join("..", "..", "spec", "kiiex.yaml")}
	dir := filepath.Join("..", "..", "..", "shared", "specs")
	for _, pat := range []string{"kiiex-legacy/*.yaml", "public/*.yaml", "public/*.yml", "public/*/*.yaml", "public/*/*.yml"} {
		m, _ := filepath.Glob(filepath.Join(dir, pat))
		files = append(files, m...)
	}
	if len(files) == 1 {
		t.Logf("shared specs not found at %s: only spec/kiiex.yaml is checked", dir)
	}
	return files
}

// TestSplitParseSameAsWhole parses every YAML spec at hand in 2 to 8
// pieces and compares the tree with the whole parse's, node by node,
// positions included.
func TestSplitParseSameAsWhole(t *testing.T) {
	used := 0
	for i, f := range yamlSpecs(t) {
		if i > 0 && everydaySkip(t, f) {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range []int{2, 3, 4, 8} {
			if checkSplit(t, filepath.Base(f), data, n) {
				used++
			} else if strings.HasSuffix(f, "kiiex.yaml") && filepath.Base(filepath.Dir(f)) == "spec" {
				t.Errorf("spec/kiiex.yaml is not parsed in %d pieces", n)
			}
		}
	}
	t.Logf("%d split parses compared", used)
}

// splitDoc is a document with two sections large enough to be cut inside.
func splitDoc(paths, components string) string {
	return "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n" + paths + "components:\n  schemas:\n" + components
}

func TestSplitParseCases(t *testing.T) {
	many := func(format string, n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, format, i, i, i)
		}
		return b.String()
	}
	paths := many("  /p%d:\n    get:\n      operationId: op%d\n      description: |+\n        text %d\n\n\n", 40)
	schemas := many("    S%d:\n      type: object\n      properties: {a: {type: string}} # %d\n      example: [%d, 'x']\n", 40)
	cases := []struct {
		name string
		in   string
		// split: the split parse is used (else it must fall back).
		split bool
	}{
		{"plain", splitDoc(paths, schemas), true},
		{"crlf", strings.ReplaceAll(splitDoc(paths, schemas), "\n", "\r\n"), true},
		{"document start", "---\n" + splitDoc(paths, schemas), true},
		{"comments between keys", strings.ReplaceAll(splitDoc(paths, schemas), "\n  /p", "\n# a comment\n  # another\n  /p"), true},
		{"compact sequences", "tags:\n- name: a\n- name: b\n" + splitDoc(paths, schemas) + "security:\n- k: []\n", true},
		{"anchors inside a piece", splitDoc(paths+"  /a: &a\n    get: {}\n  /b: *a\n", schemas), true},
		{"duplicate section", splitDoc(paths, schemas) + "paths:\n" + paths, true},
		{"quoted keys", splitDoc(strings.ReplaceAll(paths, "  /p", "  \"/p"), schemas), false}, // "/p1:" is an unclosed quote
		{"quoted keys closed", splitDoc(strings.ReplaceAll(strings.ReplaceAll(paths, "  /p", "  \"/p"), ":\n    get", "\":\n    get"), schemas), true},

		{"alias across pieces", "x: &a {b: 1}\n" + splitDoc(paths+"  /z: *a\n", schemas+"    Z: *a\n"), false},
		{"second document", splitDoc(paths, schemas) + "---\na: 1\n", false},
		{"document end", splitDoc(paths, schemas) + "...\n", false},
		{"directive", "%YAML 1.2\n---\n" + splitDoc(paths, schemas), false},
		{"content after ---", "--- # c\n" + splitDoc(paths, schemas), true},
		{"tagged document", "--- !!map\n" + splitDoc(paths, schemas), false},
		{"lone CR", splitDoc(paths, schemas) + "a: 1\rb: 2\n", false},
		{"NEL", splitDoc(paths, schemas) + "a: \"x\u0085y\"\n", false},
		{"LS", splitDoc(paths, schemas) + "a: \"x\u2028y\"\n", false},
		{"flow top", "{openapi: 3.0.3,\npaths: {},\n" + strings.Repeat("x: 1,\n", 50) + "}\n", false},
		{"indented top", "  openapi: 3.0.3\n  paths: {}\n" + strings.Repeat("  x: 1\n", 50), false},
		{"quoted scalar across a cut", "x: \"a\ny: b\"\n", false}, // the only cut is at y
		{"flow across a cut", "x: [a,\ny: b]\n", false},
		{"flow across an inner cut", "p:\n  a: {b: 1,\n  c: 2}\n", false},
		{"shallower line in a section", splitDoc(paths+" /odd: 1\n"+paths, schemas), false},
		{"syntax error late", splitDoc(paths, schemas) + "x: [\n", false},
		{"tab indentation", splitDoc(paths, schemas) + "x:\n\ty: 1\n", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(tc.in)
			whole, werr := parseYAMLWhole(data)
			for _, n := range []int{2, 3, 5} {
				used := checkSplit(t, tc.name, data, n)
				if used != tc.split {
					t.Errorf("%d pieces: split parse used = %v, want %v", n, used, tc.split)
				}
			}
			// parseYAML's answer is the whole parse's, error included.
			got, err := parseYAML(data)
			if (err == nil) != (werr == nil) || err != nil && err.Error() != werr.Error() {
				t.Fatalf("parseYAML error %v, whole parse %v", err, werr)
			}
			if err == nil {
				if d := sameTree(whole, got); d != "" {
					t.Errorf("parseYAML differs from the whole parse at %s", d)
				}
			}
		})
	}
}

// TestSplitCutsInsideSections pins where the cuts are: at the top-level
// keys and at the keys of the sections (not of deeper mappings), and not
// inside a section with a line shallower than its keys.
func TestSplitCutsInsideSections(t *testing.T) {
	in := "openapi: 3.0.3\ninfo:\n  title: t\npaths:\n  /a:\n    get: {}\n  /b:\n    x: |\n      y\n  # c\n  /c: {}\nodd:\n  a: 1\n \"b\": 2\n  c: 3\nz: 1\n"
	var got []string
	for _, c := range yamlCuts([]byte(in), nil) {
		got = append(got, fmt.Sprintf("%d:%s", c.line, c.header))
	}
	want := []string{"2:", "4:", "7:paths:", "11:paths:", "12:", "16:"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("cuts %v, want %v", got, want)
	}
}

// FuzzSplitParse: whenever the split parse answers, the whole parse
// succeeds with the same tree.
func FuzzSplitParse(f *testing.F) {
	f.Add([]byte(splitDoc("  /a:\n    get: {}\n  /b: x\n", "    A: {}\n    B:\n      type: string\n")), uint8(2))
	f.Add([]byte("a: 1\nb: \"x\ny\"\nc: [1,\nd]\ne: &e 1\nf: *e\n"), uint8(3))
	f.Add([]byte("a:\n  x: |+\n    t\n\n  y: 1\nb:\n- 1\n- 2\nc: 3\n"), uint8(4))
	f.Add([]byte("a:\n  b: 1\n c: 2\n  d: 3\ne: 1\n"), uint8(2))
	f.Add([]byte("---\na: 1\n---\nb: 2\n"), uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, n uint8) {
		checkSplit(t, "fuzz", data, 2+int(n%6))
	})
}

// TestCutPickerSameAsAll: keeping only the cuts nearest the targets
// chooses the pieces that choosing among all the cuts does.
func TestCutPickerSameAsAll(t *testing.T) {
	for _, f := range yamlSpecs(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all := yamlCuts(data, nil)
		for _, n := range []int{2, 3, 4, 7} {
			targets := make([]int, n-1)
			for k := range targets {
				targets[k] = len(data) * (k + 1) / n
			}
			got := choosePieces(yamlCuts(data, targets), len(data), n)
			want := choosePieces(all, len(data), n)
			if len(got) != len(want) {
				t.Errorf("%s, %d pieces: %d chosen, want %d", filepath.Base(f), n, len(got), len(want))
				continue
			}
			for i := range got {
				if got[i].off != want[i].off || got[i].end != want[i].end {
					t.Errorf("%s, %d pieces: piece %d is [%d,%d), want [%d,%d)", filepath.Base(f), n, i, got[i].off, got[i].end, want[i].off, want[i].end)
				}
			}
		}
	}
}

// TestSplitJSONSameAsOne: the JSON scanner reading ahead on a second
// goroutine builds the tree one scanner builds (positions included), for
// the JSON specs at hand and documents where the guess is wrong (a list,
// a mapping too deep, minified text) or the text is broken; and the
// read-ahead is taken for Twilio's spec.
func TestSplitJSONSameAsOne(t *testing.T) {
	docs := map[string][]byte{
		"list at the middle": []byte("{\n  \"a\": {\n    \"x\": 1\n  },\n  \"tags\": [\n    \"t1\",\n    \"t2\",\n    \"t3\"\n  ],\n  \"b\": {\n    \"y\": 2\n  }\n}\n"),
		"deep":               []byte("{\n  \"a\": {\n    \"b\": {\n      \"c\": {\n        \"d\": 1\n      },\n      \"e\": 2\n    },\n    \"f\": 3\n  },\n  \"g\": 4\n}\n"),
		"minified":           []byte(`{"a":{"b":1},"c":{"d":[1,2]}}`),
		"broken":             []byte("{\n  \"a\": {\n    \"x\": 1,\n    \"y\": \n  },\n  \"b\": {\n    \"z\": 2\n  }\n}\n"),
		"truncated":          []byte("{\n  \"a\": {\n    \"x\": 1,\n    \"y\": 2,\n    \"z\": 3\n"),
		"crlf":               []byte("{\r\n  \"a\": {\r\n    \"x\": 1,\r\n    \"y\": [1,\r\n 2],\r\n    \"z\": 3\r\n  },\r\n  \"b\": 2\r\n}\r\n"),
	}
	for _, f := range corpusRoots() {
		if strings.HasSuffix(f, ".json") && specFiles(f) == 1 {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			docs[filepath.Base(f)] = data
		}
	}
	for name, data := range docs {
		want, wok := scanJSONN(data, 1, 0)
		before := jsonSpecTaken.Load()
		got, ok := scanJSONN(data, 2, 0)
		if ok != wok {
			t.Errorf("%s: scanned %v with a read-ahead, %v without", name, ok, wok)
			continue
		}
		if ok {
			if d := sameTree(want, got); d != "" {
				t.Errorf("%s: trees differ at %s", name, d)
			}
		}
		if strings.HasPrefix(name, "twilio") && jsonSpecTaken.Load() == before {
			t.Errorf("%s: the read-ahead was not taken", name)
		}
	}
}

// FuzzSplitJSON: the JSON scanner with a read-ahead accepts what it
// accepts alone, and builds the same tree.
func FuzzSplitJSON(f *testing.F) {
	f.Add([]byte("{\n  \"a\": {\n    \"b\": {\n      \"c\": 1\n    },\n    \"d\": [1,\n    2]\n  },\n  \"e\": 4\n}\n"))
	f.Add([]byte("{\n  \"a\": {\n    \"x\": 1,\n    \"y\": \n  },\n  \"b\": {\n    \"z\": 2\n  }\n}\n"))
	f.Add([]byte("{\n  \"t\": [\n    \"a\",\n    {\"b\": 1}\n  ],\n  \"c\": {\n    \"d\": \"\\\"x\\n\"\n  }\n}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		want, wok := scanJSONN(data, 1, 0)
		got, ok := scanJSONN(data, 2, 0)
		if ok != wok {
			t.Fatalf("scanned %v with a read-ahead, %v without", ok, wok)
		}
		if ok {
			if d := sameTree(want, got); d != "" {
				t.Fatalf("trees differ at %s", d)
			}
		}
	})
}
