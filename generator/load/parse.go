package load

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v4"

	"github.com/kiiexgen/kiiexgen/generator/diag"
)

// Limits that keep hostile input from exhausting memory, time or the stack.
const (
	// MaxInputSize is the largest spec file (or referenced file) accepted.
	MaxInputSize = 64 << 20
	// MaxNodes is the most YAML nodes a document may have once its aliases
	// are expanded (the billion-laughs guard).
	MaxNodes = 1_000_000
	// MaxDepth is the deepest nesting of mappings and sequences accepted.
	// kin-openapi decodes and validates recursively, so nothing deeper ever
	// reaches it.
	MaxDepth = 1000
	// PointerBudget bounds the total length of the JSON pointers of a
	// document's elements, PointerBudget times the file size plus 16 MiB.
	// Every stage names elements by pointer, so a long key (a path with
	// thousands of parameters) repeated in the pointer of every element
	// below it would make time and memory quadratic in the file size. Real
	// specs stay below 3 times.
	PointerBudget = 16
	// MaxOriginWidth is the widest mapping (most keys) of a document that
	// kin-openapi decodes as YAML; a wider one it decodes as JSON (see
	// loadOpenAPI3).
	MaxOriginWidth = 10000
)

// jsonInPlace is false only in tests comparing the in-place pass with the
// copy (TestJSONInPlaceSameAsCopy).
var jsonInPlace = true

// maxOriginWidth is MaxOriginWidth; tests lower it to decode every
// document as JSON.
var maxOriginWidth = MaxOriginWidth

// pos is a 1-based line and column in a file.
type pos struct{ line, col int }

func nodePos(n *yaml.Node) pos { return pos{n.Line, n.Column} }

// parsed is one file read into a plain node tree: aliases expanded, merge
// keys applied, duplicate keys resolved, every mapping key a string. index
// maps the JSON pointers of the file as written (without the leading "#")
// to their positions.
type parsed struct {
	file   string // name used in diagnostics
	root   *yaml.Node
	index  map[string]pos
	widest int // the most keys of a mapping
}

// parseFile turns raw bytes into a parsed tree, or reports why it cannot.
// Warnings (duplicate keys) go to rep.
func parseFile(rep *reporter, file string, data []byte) (*parsed, error) {
	if len(data) > MaxInputSize {
		return nil, diag.Errorf(file, 0, 0, "", "file is %d bytes, larger than the %d-byte limit", len(data), MaxInputSize)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // UTF-8 byte order mark
	if i := bytes.IndexByte(data, 0); i >= 0 {
		l, c := offsetPos(data, i)
		return nil, diag.Errorf(file, l, c, "", "binary data (NUL byte), not a YAML or JSON document")
	}
	if !utf8.Valid(data) {
		i := invalidUTF8(data)
		l, c := offsetPos(data, i)
		return nil, diag.Errorf(file, l, c, "", "invalid UTF-8 (byte 0x%02x); a spec must be UTF-8 text", data[i])
	}
	if isBlank(data) {
		return nil, diag.Errorf(file, 0, 0, "", "empty document")
	}
	var root *yaml.Node
	var jsonErr error
	if looksLikeJSON(data) {
		// JSON is read by a JSON parser: faster, and it takes JSON that
		// YAML refuses (surrogate pair escapes such as "\ud83d\udc4d").
		root, jsonErr = jsonNodes(file, data)
	}
	if root == nil || jsonErr != nil {
		var err error
		root, err = parseYAML(data)
		if err != nil {
			if jsonErr != nil {
				// Broken JSON is best described by the JSON parser.
				return nil, jsonErr
			}
			return nil, yamlError(file, err)
		}
	}
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return nil, diag.Errorf(file, 0, 0, "", "empty document")
		}
		root = root.Content[0]
	}
	size, err := checkExpansion(file, root)
	if err != nil {
		return nil, err
	}
	// About one pointer in two nodes (a key and its value) is indexed:
	// sized once, the map is not rebuilt as it grows.
	p := &parsed{file: file, index: make(map[string]pos, size/2)}
	x := &expander{rep: rep, file: file, p: p, active: make(map[*yaml.Node]bool), ptrBudget: PointerBudget*len(data) + 16<<20}
	// The parser's tree is checked and indexed in place rather than
	// copied; what an alias repeats is copied (see copy), since repairs
	// change nodes and must change one place only.
	x.inPlace = jsonInPlace
	p.root, err = x.copy(root, "", 0)
	if err != nil {
		return nil, err
	}
	if p.root.Kind == yaml.ScalarNode && p.root.Tag == "!!null" {
		return nil, diag.Errorf(file, 0, 0, "", "empty document")
	}
	p.index[""] = nodePos(p.root)
	return p, nil
}

// yamlError turns a go-yaml error into positioned diagnostics.
func yamlError(file string, err error) error {
	var list diag.List
	var les *yaml.LoadErrors
	var le *yaml.LoadError
	switch {
	case errors.As(err, &les):
		for _, e := range les.Errors {
			list = append(list, loadErrorDiag(file, e))
		}
	case errors.As(err, &le):
		list = append(list, loadErrorDiag(file, le))
	default:
		list = diag.Errorf(file, 0, 0, "", "invalid YAML: %v", err)
	}
	if len(list) == 0 {
		list = diag.Errorf(file, 0, 0, "", "invalid YAML: %v", err)
	}
	return list
}

func loadErrorDiag(file string, e *yaml.LoadError) diag.Diagnostic {
	msg := strings.TrimPrefix(e.Message, "yaml: ")
	switch msg {
	case "no documents in stream":
		msg = "empty document"
	case "expected single document, found multiple":
		msg = "more than one YAML document in the file"
	case fmt.Sprintf("exceeded max depth of %d", MaxDepth):
		msg = fmt.Sprintf("nesting deeper than %d levels", MaxDepth)
	default:
		msg = "invalid YAML: " + msg
		if e.ContextMsg != "" && e.ContextMark.Line > 0 {
			msg += fmt.Sprintf(" (%s started at line %d)", e.ContextMsg, e.ContextMark.Line)
		}
	}
	return diag.Diagnostic{Severity: diag.Error, File: file, Line: e.Mark.Line, Col: e.Mark.Column, Message: msg}
}

func isBlank(data []byte) bool {
	for _, line := range bytes.Split(data, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) > 0 && line[0] != '#' {
			return false
		}
	}
	return true
}

// offsetPos converts a byte offset into a 1-based line and column (in runes).
func offsetPos(data []byte, off int) (line, col int) {
	line = 1 + bytes.Count(data[:off], []byte("\n"))
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	return line, 1 + utf8.RuneCount(data[start:off])
}

func invalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return 0
}

// checkExpansion measures, without expanding anything, how many nodes and
// how deep the tree under root becomes once its aliases are expanded, and
// refuses alias cycles, more than MaxNodes nodes (alias bombs) and more
// than MaxDepth levels. It takes time in the size of the unexpanded tree,
// and returns the size of the expanded one.
func checkExpansion(file string, root *yaml.Node) (int, error) {
	type measure struct{ size, depth int }
	memo := make(map[*yaml.Node]measure) // for anchored nodes
	active := make(map[*yaml.Node]bool)
	var firstErr error
	var walk func(n *yaml.Node, level int) measure
	walk = func(n *yaml.Node, level int) measure {
		if firstErr != nil {
			return measure{}
		}
		if level > MaxDepth {
			firstErr = diag.Errorf(file, n.Line, n.Column, "", "nesting deeper than %d levels", MaxDepth)
			return measure{}
		}
		if n.Kind == yaml.AliasNode {
			t := n.Alias
			if t == nil {
				firstErr = diag.Errorf(file, n.Line, n.Column, "", "unknown YAML alias *%s", n.Value)
				return measure{}
			}
			if active[t] {
				firstErr = diag.Errorf(file, n.Line, n.Column, "", "YAML alias *%s refers to a node that contains it (alias cycle)", n.Value)
				return measure{}
			}
			if m, ok := memo[t]; ok {
				if level+m.depth > MaxDepth {
					firstErr = diag.Errorf(file, n.Line, n.Column, "", "nesting deeper than %d levels (through YAML alias *%s)", MaxDepth, n.Value)
				}
				return m
			}
			return walk(t, level)
		}
		if n.Anchor != "" {
			active[n] = true
			defer delete(active, n)
		}
		m := measure{size: 1}
		for _, c := range n.Content {
			cm := walk(c, level+1)
			m.size += cm.size
			m.depth = max(m.depth, cm.depth+1)
			if m.size > MaxNodes && firstErr == nil {
				if len(memo) == 0 && len(active) == 0 {
					firstErr = diag.Errorf(file, n.Line, n.Column, "", "document has more than %d nodes", MaxNodes)
				} else {
					firstErr = diag.Errorf(file, n.Line, n.Column, "", "YAML aliases expand to more than %d nodes (alias bomb?)", MaxNodes)
				}
			}
		}
		if n.Anchor != "" {
			memo[n] = m
		}
		return m
	}
	m := walk(root, 0)
	return m.size, firstErr
}

// expander copies a go-yaml node tree into a plain tree: alias nodes become
// copies of their anchors (counted against MaxNodes, with cycles refused),
// merge keys are applied, duplicate keys are resolved last-wins, and keys
// become plain strings. It records the position of every pointer on the way.
type expander struct {
	rep    *reporter
	file   string
	p      *parsed
	count  int
	active map[*yaml.Node]bool // anchored nodes being copied (cycle guard)
	// ptrBytes sums the lengths of the pointers copied so far, up to
	// ptrBudget.
	ptrBytes, ptrBudget int
	// inPlace reuses the nodes of a tree that needs no copying (one the
	// JSON parser built), only rebuilding the Content of its collections.
	inPlace bool
}

func (x *expander) copy(n *yaml.Node, ptr string, depth int) (*yaml.Node, error) {
	if depth > MaxDepth {
		return nil, diag.Errorf(x.file, n.Line, n.Column, "#"+ptr, "nesting deeper than %d levels", MaxDepth)
	}
	x.count++
	if x.count > MaxNodes {
		return nil, diag.Errorf(x.file, n.Line, n.Column, "#"+ptr, "document expands to more than %d YAML nodes (alias bomb?)", MaxNodes)
	}
	x.ptrBytes += len(ptr)
	if x.ptrBytes > x.ptrBudget {
		return nil, diag.Errorf(x.file, n.Line, n.Column, "", "the JSON pointers of the document's elements total more than %d bytes (%d times its size plus 16 MiB): keys so long, repeated in the pointer of every element below them, make it too costly to read", x.ptrBudget, PointerBudget)
	}
	if n.Kind == yaml.AliasNode {
		t := n.Alias
		if t == nil {
			return nil, diag.Errorf(x.file, n.Line, n.Column, "#"+ptr, "unknown YAML alias *%s", n.Value)
		}
		if x.active[t] {
			return nil, diag.Errorf(x.file, n.Line, n.Column, "#"+ptr, "YAML alias *%s refers to a node that contains it (alias cycle)", n.Value)
		}
		if x.inPlace {
			// The anchored node is in the tree where it was written; the
			// alias gets a copy of its own, or a repair of one place (a
			// header's name removed) would change the other (the
			// parameter it was written as).
			x.inPlace = false
			defer func() { x.inPlace = true }()
		}
		return x.copy(t, ptr, depth)
	}
	if n.Anchor != "" {
		if x.active[n] {
			return nil, diag.Errorf(x.file, n.Line, n.Column, "#"+ptr, "YAML anchor &%s contains itself (alias cycle)", n.Anchor)
		}
		x.active[n] = true
		defer delete(x.active, n)
	}
	c := n
	if !x.inPlace {
		c = &yaml.Node{Kind: n.Kind, Style: n.Style, Tag: n.Tag, Value: n.Value, Line: n.Line, Column: n.Column}
	}
	switch n.Kind {
	case yaml.ScalarNode:
		return c, nil
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			c.Kind, c.Tag = yaml.ScalarNode, "!!null"
			return c, nil
		}
		return x.copy(n.Content[0], ptr, depth)
	case yaml.SequenceNode:
		items := n.Content // c may be n
		c.Content = make([]*yaml.Node, 0, len(items))
		for i, e := range items {
			p := ptr + "/" + strconv.Itoa(i)
			if _, ok := x.p.index[p]; !ok {
				x.p.index[p] = nodePos(e)
			}
			ce, err := x.copy(e, p, depth+1)
			if err != nil {
				return nil, err
			}
			c.Content = append(c.Content, ce)
		}
		return c, nil
	case yaml.MappingNode:
		return x.mapping(n, c, ptr, depth)
	}
	return nil, diag.Errorf(x.file, n.Line, n.Column, "#"+ptr, "unsupported YAML node kind %d", n.Kind)
}

func (x *expander) mapping(n, c *yaml.Node, ptr string, depth int) (*yaml.Node, error) {
	if c == n && plainKeys(n) {
		// In place, with no key to resolve, merge or drop: the entries stay
		// where they are (what the loop below would rebuild them as).
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := ptr + "/" + escapeToken(k.Value)
			x.p.index[p] = nodePos(k)
			cv, err := x.copy(v, p, depth+1)
			if err != nil {
				return nil, err
			}
			if k.Tag != "!!str" || k.Style != 0 || k.Anchor != "" {
				n.Content[i] = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k.Value, Line: k.Line, Column: k.Column}
			}
			n.Content[i+1] = cv
		}
		x.p.widest = max(x.p.widest, len(n.Content)/2)
		return n, nil
	}
	type pair struct{ k, v *yaml.Node }
	pairs := make([]pair, 0, len(n.Content)/2)
	var merges []*yaml.Node
	// seen indexes pairs by key once there are many; a small mapping (most
	// of them) is searched.
	var seen map[string]int
	find := func(key string) (int, bool) {
		if seen != nil {
			j, ok := seen[key]
			return j, ok
		}
		for j := range pairs {
			if pairs[j].k.Value == key {
				return j, true
			}
		}
		return 0, false
	}
	add := func(pr pair) {
		if seen == nil && len(pairs) >= 16 {
			seen = make(map[string]int, len(n.Content)/2)
			for j := range pairs {
				seen[pairs[j].k.Value] = j
			}
		}
		if seen != nil {
			seen[pr.k.Value] = len(pairs)
		}
		pairs = append(pairs, pr)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.AliasNode && k.Alias != nil && k.Alias.Kind == yaml.ScalarNode {
			k = k.Alias
		}
		if k.Kind != yaml.ScalarNode {
			return nil, diag.Errorf(x.file, k.Line, k.Column, "#"+ptr, "mapping key is a %s; keys must be strings", kindName(k.Kind))
		}
		if k.Tag == "!!merge" {
			mv, err := x.copy(v, ptr, depth)
			if err != nil {
				return nil, err
			}
			merges = append(merges, mv)
			continue
		}
		p := ptr + "/" + escapeToken(k.Value)
		if j, dup := find(k.Value); dup {
			prev := pairs[j].k
			x.rep.repair("duplicate-key", x.file, nodePos(k), p,
				fmt.Sprintf("duplicate key %q (first at line %d); the last one is used", k.Value, prev.Line))
		}
		x.p.index[p] = nodePos(k)
		cv, err := x.copy(v, p, depth+1)
		if err != nil {
			return nil, err
		}
		ck := k
		if !x.inPlace || k.Tag != "!!str" || k.Style != 0 || k.Anchor != "" {
			ck = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k.Value, Line: k.Line, Column: k.Column}
		}
		if j, dup := find(k.Value); dup {
			pairs[j] = pair{ck, cv}
		} else {
			add(pair{ck, cv})
		}
	}
	// Merge keys: explicit keys win, then earlier merge sources.
	for _, m := range merges {
		srcs := []*yaml.Node{m}
		if m.Kind == yaml.SequenceNode {
			srcs = m.Content
		}
		for _, s := range srcs {
			if s.Kind != yaml.MappingNode {
				return nil, diag.Errorf(x.file, s.Line, s.Column, "#"+ptr, "YAML merge key (<<) needs a mapping or a list of mappings")
			}
			for i := 0; i+1 < len(s.Content); i += 2 {
				k := s.Content[i]
				if _, ok := find(k.Value); ok {
					continue
				}
				p := ptr + "/" + escapeToken(k.Value)
				if _, ok := x.p.index[p]; !ok {
					x.p.index[p] = nodePos(k)
				}
				add(pair{k, s.Content[i+1]})
			}
		}
	}
	x.p.widest = max(x.p.widest, len(pairs))
	c.Content = make([]*yaml.Node, 0, 2*len(pairs))
	for _, p := range pairs {
		c.Content = append(c.Content, p.k, p.v)
	}
	return c, nil
}

// plainKeys reports whether every key of the mapping n is a scalar (not
// an alias, not a merge key) and no two are the same.
func plainKeys(n *yaml.Node) bool {
	if len(n.Content)%2 != 0 {
		return false
	}
	for i := 0; i < len(n.Content); i += 2 {
		if k := n.Content[i]; k.Kind != yaml.ScalarNode || k.Tag == "!!merge" {
			return false
		}
	}
	if len(n.Content) <= 32 {
		for i := 0; i < len(n.Content); i += 2 {
			for j := i + 2; j < len(n.Content); j += 2 {
				if n.Content[i].Value == n.Content[j].Value {
					return false
				}
			}
		}
		return true
	}
	seen := make(map[string]struct{}, len(n.Content)/2)
	for i := 0; i < len(n.Content); i += 2 {
		if _, dup := seen[n.Content[i].Value]; dup {
			return false
		}
		seen[n.Content[i].Value] = struct{}{}
	}
	return true
}

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "sequence"
	case yaml.ScalarNode:
		return "scalar"
	case yaml.AliasNode:
		return "alias"
	case yaml.DocumentNode:
		return "document"
	}
	return "node"
}

// escapeToken escapes one JSON pointer reference token (RFC 6901).
func escapeToken(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// unescapeToken reverses escapeToken.
func unescapeToken(s string) string {
	if !strings.Contains(s, "~") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
}
