package load

import (
	"fmt"
	"net/url"
	"strings"

	"go.yaml.in/yaml/v4"
)

// hoistDefinitions moves the schemas that component schemas keep under
// "definitions" (JSON Schema drafts 4-7's container of reusable
// subschemas, which OpenAPI 3 schemas do not have) into
// components/schemas when $refs point into them, and rewrites those $refs
// (and discriminator mapping values) to the new place. Specs that turned
// JSON Schema files into components do this (Codat's accounting API:
// "#/components/schemas/Item/definitions/itemRef"); kin-openapi cannot
// follow a $ref through a keyword it does not model and refused the whole
// document. Definitions nobody refers to stay where they are (they are
// ignored). Only $refs within the root document are rewritten.
func (l *loader) hoistDefinitions() {
	if l.v2 {
		return
	}
	schemas := val(val(l.root.root, "components"), "schemas")
	if !isMap(schemas) {
		return
	}
	// Only the definitions of component schemas move (and those nested
	// in them): without any, the document's $refs need not be read.
	some := false
	for i := 1; i < len(schemas.Content) && !some; i += 2 {
		some = isMap(val(schemas.Content[i], "definitions"))
	}
	if !some {
		return
	}
	// Every local $ref (and mapping value) is registered under each
	// ".../definitions/<name>" prefix of its pointer, once: hoisting then
	// touches only the refs that point into what moves.
	type target struct {
		node *yaml.Node // the $ref's value
		frag string     // its pointer as written (unescaped)
	}
	under := map[string][]*target{}
	register := func(v *yaml.Node) {
		if v.Kind != yaml.ScalarNode || !strings.HasPrefix(v.Value, "#/") || !strings.Contains(v.Value, "/definitions/") {
			return
		}
		frag, err := url.PathUnescape(v.Value[1:])
		if err != nil {
			frag = v.Value[1:]
		}
		t := &target{node: v, frag: frag}
		// At most maxDefinitionDepth levels of definitions in one
		// $ref: each level is a prefix of the $ref to hash, and a
		// hostile $ref of a million levels would cost time quadratic in
		// its length (one deeper is left as written).
		for i, depth := 0, 0; depth < maxDefinitionDepth; depth++ {
			j := strings.Index(frag[i:], "/definitions/")
			if j < 0 {
				break
			}
			end := i + j + len("/definitions/")
			if k := strings.IndexByte(frag[end:], '/'); k >= 0 {
				end += k
			} else {
				end = len(frag)
			}
			under[frag[:end]] = append(under[frag[:end]], t)
			i = end
		}
	}
	var refs []refUse
	collectRefs(l.root.root, "", "", &refs)
	for _, r := range refs {
		register(r.val)
	}
	forMappings(l.root.root, register)
	if len(under) == 0 {
		return
	}
	taken := map[string]bool{}
	for i := 0; i+1 < len(schemas.Content); i += 2 {
		taken[schemas.Content[i].Value] = true
	}
	type work struct {
		node *yaml.Node
		orig string // its pointer in the document as written
		name string // the component's name, for the new names
	}
	var queue []work
	for i := 0; i+1 < len(schemas.Content); i += 2 {
		queue = append(queue, work{schemas.Content[i+1], join("/components/schemas", schemas.Content[i].Value), schemas.Content[i].Value})
	}
	for len(queue) > 0 {
		w := queue[0]
		queue = queue[1:]
		dk, defs := get(w.node, "definitions")
		if !isMap(w.node) || !isMap(defs) {
			continue
		}
		kept := defs.Content[:0:0]
		for i := 0; i+1 < len(defs.Content); i += 2 {
			k, d := defs.Content[i], defs.Content[i+1]
			orig := join(w.orig+"/definitions", k.Value)
			if len(under[orig]) == 0 || !isMap(d) {
				kept = append(kept, k, d)
				queue = append(queue, work{d, orig, w.name}) // may hold referenced definitions itself
				continue
			}
			name := hoistName(k.Value, w.name, taken)
			taken[name] = true
			now := join("/components/schemas", name)
			for _, t := range under[orig] {
				t.node.Value = "#" + (&url.URL{Fragment: now + t.frag[len(orig):]}).EscapedFragment()
			}
			schemas.Content = append(schemas.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: name, Line: k.Line, Column: k.Column}, d)
			if l.renamed == nil {
				l.renamed = make(map[string]string)
			}
			l.renamed[now] = orig
			l.root.index[now] = nodePos(k)
			l.rep.repair("definitions-hoisted", l.name, nodePos(k), orig,
				fmt.Sprintf("$refs point into %q, a JSON Schema \"definitions\" entry (OpenAPI schemas have no definitions); moved to #%s", k.Value, now))
			queue = append(queue, work{d, orig, name})
		}
		if len(kept) == 0 {
			del(w.node, dk.Value)
		} else {
			defs.Content = kept
		}
	}
}

// hoistName picks the component name of a hoisted definition: its own
// name when free and a valid component name, else the parent's name and
// its own, else numbered.
func hoistName(def, parent string, taken map[string]bool) string {
	clean := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r < 0x80 && (r == '.' || r == '_' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
				return r
			}
			return '_'
		}, s)
	}
	name := clean(def)
	if taken[name] {
		name = clean(parent) + "." + name
	}
	for i, base := 2, name; taken[name]; i++ {
		name = fmt.Sprintf("%s%d", base, i)
	}
	return name
}

// forMappings calls f with every discriminator mapping value under n.
func forMappings(n *yaml.Node, f func(*yaml.Node)) {
	switch n.Kind {
	case yaml.SequenceNode:
		for _, c := range n.Content {
			forMappings(c, f)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Value == "discriminator" {
				entries(val(v, "mapping"), func(_, m *yaml.Node) { f(m) })
				continue
			}
			forMappings(v, f)
		}
	}
}

// maxDefinitionDepth bounds the levels of nested definitions a $ref is
// followed through.
const maxDefinitionDepth = 16
