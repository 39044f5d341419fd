package load

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v4"
)

// checkShape reports top-level elements of the wrong kind (a "paths" that
// is a list, ...) with a clearer message than decoding would give.
func (l *loader) checkShape() {
	r := l.root.root
	want := map[string]yaml.Kind{
		"info": yaml.MappingNode, "paths": yaml.MappingNode, "components": yaml.MappingNode,
		"webhooks": yaml.MappingNode, "externalDocs": yaml.MappingNode,
		"servers": yaml.SequenceNode, "tags": yaml.SequenceNode, "security": yaml.SequenceNode,
	}
	if l.v2 {
		want = map[string]yaml.Kind{
			"info": yaml.MappingNode, "paths": yaml.MappingNode, "definitions": yaml.MappingNode,
			"parameters": yaml.MappingNode, "responses": yaml.MappingNode, "securityDefinitions": yaml.MappingNode,
			"tags": yaml.SequenceNode, "security": yaml.SequenceNode, "schemes": yaml.SequenceNode,
			"consumes": yaml.SequenceNode, "produces": yaml.SequenceNode,
		}
	}
	entries(r, func(k, v *yaml.Node) {
		if kind, ok := want[k.Value]; ok {
			l.wantKind(k, v, "/"+escapeToken(k.Value), kind)
		}
	})
	if !l.v2 {
		entries(val(r, "components"), func(k, v *yaml.Node) {
			// Specification extensions may hold any value.
			if !strings.HasPrefix(k.Value, "x-") {
				l.wantKind(k, v, "/components/"+escapeToken(k.Value), yaml.MappingNode)
			}
		})
	}
	entries(val(r, "paths"), func(k, item *yaml.Node) {
		p := join("/paths", k.Value)
		if strings.HasPrefix(k.Value, "x-") {
			return
		}
		if !l.wantKind(k, item, p, yaml.MappingNode) {
			return
		}
		entries(item, func(mk, op *yaml.Node) {
			switch {
			case mk.Value == "parameters":
				l.wantKind(mk, op, p+"/parameters", yaml.SequenceNode)
			case isMethod(mk.Value):
				if l.wantKind(mk, op, join(p, mk.Value), yaml.MappingNode) {
					entries(op, func(ok, ov *yaml.Node) {
						switch ok.Value {
						case "parameters", "tags", "security", "servers":
							l.wantKind(ok, ov, join(join(p, mk.Value), ok.Value), yaml.SequenceNode)
						case "responses", "requestBody", "callbacks":
							l.wantKind(ok, ov, join(join(p, mk.Value), ok.Value), yaml.MappingNode)
						}
					})
				}
			}
		})
	})
}

func isMethod(s string) bool {
	for _, m := range methods {
		if s == m {
			return true
		}
	}
	return false
}

// wantKind reports v (the value of key k) unless it is of the wanted kind
// or null.
func (l *loader) wantKind(k, v *yaml.Node, ptr string, kind yaml.Kind) bool {
	if v.Kind == kind || (v.Kind == yaml.ScalarNode && v.Tag == "!!null") {
		return true
	}
	what := kindName(v.Kind)
	if v.Kind == yaml.ScalarNode {
		what = "scalar " + scalarText(v)
	}
	l.rep.fail("wrong-kind", l.name, nodePos(k), ptr,
		fmt.Sprintf("%q must be a %s, not a %s", k.Value, kindName(kind), what))
	return false
}

// repairDoc applies the lenient repairs to the tree.
func (l *loader) repairDoc() {
	l.repairInfo()
	l.repairPaths()
	l.repairSecuritySchemes(l.rootLoc())
	l.repairWebhooks()
	w := &walker{v2: l.v2, schema: l.repairSchema, response: l.repairResponse, operation: l.repairOperation, param: l.repairParam}
	w.doc(l.root.root)
	l.dropNamelessComponents()
}

// repairWebhooks drops what kin-openapi refuses of the webhooks, which a
// client has no use for: a 3.0 document's (webhooks are 3.1's) and webhooks
// written as null.
func (l *loader) repairWebhooks() {
	w := val(l.root.root, "webhooks")
	if !l.v2 && !l.v31 && w != nil {
		// webhooks are OpenAPI 3.1's; a 3.0 document that has them is
		// refused by kin-openapi, and a client does not use them.
		k, _ := get(l.root.root, "webhooks")
		del(l.root.root, "webhooks")
		l.rep.repair("webhooks-in-3.0", l.name, nodePos(k), "/webhooks", "webhooks are OpenAPI 3.1's, not 3.0's; dropped (a client does not use them)")
		return
	}
	if !isMap(w) {
		return
	}
	kept := w.Content[:0:0]
	for i := 0; i+1 < len(w.Content); i += 2 {
		k, v := w.Content[i], w.Content[i+1]
		if v.Kind == yaml.ScalarNode && isNull(v) {
			l.rep.repair("null-webhook", l.name, nodePos(k), join("/webhooks", k.Value), fmt.Sprintf("webhook %q is null; dropped", k.Value))
			continue
		}
		kept = append(kept, k, v)
	}
	w.Content = kept
}

// repairInfo supplies a missing info object or its required title and
// version: generation does not need them, and the package doc then names
// the file instead.
func (l *loader) repairInfo() {
	r := l.root.root
	at := pos{line: 1, col: 1}
	if !l.v2 && !l.v31 { // paths is optional from OpenAPI 3.1 on
		if p := val(r, "paths"); p == nil || isNull(p) {
			// A components-only document (a shared schema library) still
			// makes a models package.
			set(r, "paths", &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: 1, Column: 1}, at)
			l.rep.repair("missing-paths", l.name, at, "/paths", "the document has no paths; read as an empty paths object (models only)")
		}
	}
	info := val(r, "info")
	if info == nil || isNull(info) {
		info = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: 1, Column: 1}
		set(info, "title", str("-", at), at)
		set(info, "version", str("-", at), at)
		set(r, "info", info, at)
		l.rep.repair("missing-info", l.name, at, "/info", "the document has no info object (required); title and version \"-\" are used")
		return
	}
	if !isMap(info) {
		return
	}
	l.repairStringFields(info, "/info", "info")
	for _, field := range []string{"title", "version"} {
		if v := val(info, field); v == nil || isNull(v) {
			k, _ := get(r, "info")
			p := at
			if k != nil {
				p = nodePos(k)
			}
			set(info, field, str("-", p), p)
			l.rep.repair("missing-info", l.name, p, "/info/"+field, fmt.Sprintf("info has no %s (required); \"-\" is used", field))
		}
	}
}

// repairPaths gives path keys their leading "/".
func (l *loader) repairPaths() {
	paths := val(l.root.root, "paths")
	if !isMap(paths) {
		return
	}
	keys := make(map[string]*yaml.Node)
	for i := 0; i+1 < len(paths.Content); i += 2 {
		keys[paths.Content[i].Value] = paths.Content[i]
	}
	var moves [][2]string // old pointer -> new, for the $refs into them
	for i := 0; i+1 < len(paths.Content); i += 2 {
		k := paths.Content[i]
		if strings.HasPrefix(k.Value, "/") || strings.HasPrefix(k.Value, "x-") {
			continue
		}
		fixed := "/" + k.Value
		old := join("/paths", k.Value)
		if other, ok := keys[fixed]; ok {
			l.rep.fail("path-collision", l.name, nodePos(k), old,
				fmt.Sprintf("path %q lacks its leading \"/\" and, with it, collides with path %q at line %d", k.Value, fixed, other.Line))
			continue
		}
		keys[fixed] = k
		if l.renamed == nil {
			l.renamed = make(map[string]string)
		}
		l.renamed[join("/paths", fixed)] = old
		l.root.index[join("/paths", fixed)] = nodePos(k)
		l.rep.repair("path-missing-slash", l.name, nodePos(k), old,
			fmt.Sprintf("path %q does not start with \"/\"; read as %q", k.Value, fixed))
		moves = append(moves, [2]string{old, join("/paths", fixed)})
		k.Value = fixed
		keys[fixed] = k
	}
	for _, m := range l.repairTemplateNames(paths, keys) {
		// A path renamed twice (slash, then pattern) moves once.
		for i := range moves {
			if moves[i][1] == m[0] {
				moves[i][1], m[0] = m[1], ""
			}
		}
		if m[0] != "" {
			moves = append(moves, m)
		}
	}
	l.rewritePathRefs(moves)
}

// repairOperation gives an operation without responses a default
// response without a body.
func (l *loader) repairOperation(op *yaml.Node, ptr string) {
	l.repairStringFields(op, ptr, "operation")
	l.dropNamelessParams(op, ptr)
	if !l.v2 {
		l.repairBodyContent(val(op, "requestBody"), ptr+"/requestBody")
	}
	if l.v2 {
		l.repairBodies2(op, ptr)
	}
	l.repairPathParams(op, ptr)
	r := val(op, "responses")
	if r != nil && !isNull(r) && !(isMap(r) && len(r.Content) == 0) {
		return
	}
	at := l.at(ptr)
	def := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: at.line, Column: at.col}
	set(def, "description", str("", at), at)
	responses := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: at.line, Column: at.col}
	set(responses, "default", def, at)
	set(op, "responses", responses, at)
	what := "has no responses (required)"
	if r != nil && !isNull(r) {
		what = "has an empty responses object (at least one response is required)"
	}
	l.rep.repair("missing-responses", l.name, at, ptr, "operation "+what+"; read as having one default response without a body")
}

// repairResponse gives a response without a description an empty one.
func (l *loader) repairResponse(r *yaml.Node, ptr string) {
	l.repairStringFields(r, ptr, "response")
	if !l.v2 {
		l.dropBadLinks(val(r, "links"), ptr+"/links")
	}
	if d := val(r, "description"); d != nil {
		if d.Kind == yaml.ScalarNode && d.Tag == "!!null" {
			*d = *str("", nodePos(d))
			l.edits++ // silent, but the file must be written again
		}
		return
	}
	at := l.at(ptr)
	if l.inOtherFile {
		at = nodePos(r)
	}
	set(r, "description", str("", at), at)
	l.rep.repair("missing-description", l.name, at, ptr, "response has no description (required); an empty one is used")
}

// at returns the original position of a pointer (of the repaired tree).
func (l *loader) at(ptr string) pos {
	for n, o := range l.renamed {
		if strings.HasPrefix(ptr, n+"/") {
			ptr = o + ptr[len(n):]
			break
		}
	}
	for {
		if p, ok := l.root.index[ptr]; ok {
			return p
		}
		i := strings.LastIndexByte(ptr, '/')
		if i < 0 {
			return pos{}
		}
		ptr = ptr[:i]
	}
}

func isNull(n *yaml.Node) bool { return n != nil && n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

// boolValue reads a scalar written as a boolean (or as the string "true" or
// "false").
func boolValue(n *yaml.Node) (value, ok bool) {
	if n == nil || n.Kind != yaml.ScalarNode {
		return false, false
	}
	switch strings.ToLower(n.Value) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

// repairSchema makes the schema-level repairs on s.
func (l *loader) repairSchema(s *yaml.Node, ptr string, parent *yaml.Node, prop string) {
	l.repairRequiredBool(s, ptr, parent, prop)
	l.repairRequiredString(s, ptr)
	l.repairStringFields(s, ptr, "schema")
	if !l.v2 {
		l.repairTypeFile(s, ptr)
	}
	l.repairTypeAlias(s, ptr)
	l.repairNullTypeName(s, ptr)
	l.repairNullability(s, ptr)
	l.repairItems(s, ptr)
	l.repairEnum(s, ptr)
	l.repairSchemaExamples(s, ptr)
	l.repairMapping(s, ptr)
}

// repairNullTypeName reads a YAML null in a type list (type: [string, null])
// as the type name "null", which is what the author meant.
func (l *loader) repairNullTypeName(s *yaml.Node, ptr string) {
	_, t := get(s, "type")
	if t == nil || t.Kind != yaml.SequenceNode {
		return
	}
	for _, e := range t.Content {
		if e.Kind == yaml.ScalarNode && isNull(e) {
			e.Value, e.Tag, e.Style = "null", "!!str", 0
			l.rep.repair("type-null-unquoted", l.name, nodePos(e), ptr+"/type",
				"YAML null in a type list; read as the type name \"null\"")
		}
	}
}

// repairItems gives an array schema without items (or with a JSON Schema
// tuple list, which OpenAPI 3.0 does not have) items of any type.
func (l *loader) repairItems(s *yaml.Node, ptr string) {
	k, it := get(s, "items")
	if it != nil && it.Kind == yaml.SequenceNode {
		set(s, "items", &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: it.Line, Column: it.Column}, nodePos(k))
		l.rep.repair("tuple-items", l.name, nodePos(k), ptr+"/items",
			"a list of item schemas (a tuple) is not OpenAPI; elements are read as any JSON value")
		return
	}
	if it != nil {
		return
	}
	tk, t := get(s, "type")
	if t == nil || !(t.Kind == yaml.ScalarNode && t.Value == "array" || t.Kind == yaml.SequenceNode && hasScalar(t, "array")) {
		return
	}
	set(s, "items", &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: t.Line, Column: t.Column}, nodePos(tk))
	l.rep.repair("array-missing-items", l.name, nodePos(tk), ptr,
		"array schema without items; elements are read as any JSON value")
}

func hasScalar(seq *yaml.Node, v string) bool {
	for _, e := range seq.Content {
		if e.Kind == yaml.ScalarNode && e.Value == v {
			return true
		}
	}
	return false
}

func (l *loader) repairRequiredBool(s *yaml.Node, ptr string, parent *yaml.Node, prop string) {
	k, rv := get(s, "required")
	if rv == nil || rv.Kind != yaml.ScalarNode {
		return
	}
	b, ok := boolValue(rv)
	if !ok {
		return
	}
	rp := ptr + "/required"
	del(s, "required")
	if parent == nil {
		l.rep.repair("schema-required-bool", l.name, nodePos(k), rp,
			fmt.Sprintf("\"required: %s\" on a schema that is not an object property has no meaning; removed", rv.Value))
		return
	}
	if !b {
		l.rep.repair("property-required-bool", l.name, nodePos(k), rp,
			fmt.Sprintf("\"required: false\" on property %q is not valid OpenAPI; removed (properties are optional unless listed in the object's required)", prop))
		return
	}
	list := val(parent, "required")
	if list == nil || list.Kind != yaml.SequenceNode {
		// A boolean there is repaired when the parent is visited, which
		// happened before: the walk is top-down.
		list = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: k.Line, Column: k.Column}
		set(parent, "required", list, nodePos(k))
	}
	// The names listed so far, kept per list: an object with thousands of
	// such properties must not rescan its list for each.
	listed := l.listed[list]
	if listed == nil {
		if l.listed == nil {
			l.listed = make(map[*yaml.Node]map[string]bool)
		}
		listed = make(map[string]bool, len(list.Content))
		for _, e := range list.Content {
			listed[e.Value] = true
		}
		l.listed[list] = listed
	}
	if listed[prop] {
		l.rep.repair("property-required-bool", l.name, nodePos(k), rp,
			fmt.Sprintf("\"required: true\" on property %q is not valid OpenAPI; removed (the object already lists it as required)", prop))
		return
	}
	listed[prop] = true
	list.Content = append(list.Content, str(prop, nodePos(k)))
	l.rep.repair("property-required-bool", l.name, nodePos(k), rp,
		fmt.Sprintf("\"required: true\" on property %q is not valid OpenAPI; moved to the object's required list", prop))
}

func (l *loader) repairTypeFile(s *yaml.Node, ptr string) {
	k, t := get(s, "type")
	if t == nil || t.Kind != yaml.ScalarNode || t.Value != "file" {
		return
	}
	t.Value, t.Tag = "string", "!!str"
	msg := "\"type: file\" is Swagger 2.0; read as \"type: string, format: binary\""
	if f := val(s, "format"); f == nil {
		set(s, "format", str("binary", nodePos(t)), nodePos(k))
	} else if f.Value != "binary" {
		msg = fmt.Sprintf("\"type: file\" is Swagger 2.0; read as \"type: string\" (format %q kept)", f.Value)
	}
	l.rep.repair("type-file", l.name, nodePos(k), ptr+"/type", msg)
}

// typeAliases are type names taken from programming languages that specs
// use for JSON Schema's (written by hand, or by generators that export a
// language's types), with the format they imply. Any other unknown type
// stays an error: it is a typo whose meaning cannot be guessed.
var typeAliases = map[string][2]string{
	"int":     {"integer", ""},
	"int32":   {"integer", "int32"},
	"int64":   {"integer", "int64"},
	"long":    {"integer", "int64"},
	"bool":    {"boolean", ""},
	"float":   {"number", "float"},
	"double":  {"number", "double"},
	"decimal": {"number", ""},
}

// repairTypeAlias reads "type: int" (and the other typeAliases) as the
// JSON Schema type it names.
func (l *loader) repairTypeAlias(s *yaml.Node, ptr string) {
	k, t := get(s, "type")
	if t == nil {
		return
	}
	if t.Kind == yaml.MappingNode {
		// A schema written where its type's name belongs (Codat:
		// "itemType": {"type": {"type": "string", "enum": [...]}}): no
		// one reading; the schema takes any JSON value.
		del(s, "type")
		l.rep.repair("type-not-name", l.name, nodePos(k), ptr+"/type", "\"type\" is a mapping, not a type name; dropped (any JSON value)")
		return
	}
	one := func(e *yaml.Node) {
		a, ok := typeAliases[e.Value]
		if e.Kind != yaml.ScalarNode || !ok {
			return
		}
		msg := fmt.Sprintf("%q is not a JSON Schema type; read as %q", e.Value, a[0])
		if a[1] != "" && val(s, "format") == nil && t.Kind == yaml.ScalarNode {
			set(s, "format", str(a[1], nodePos(e)), nodePos(k))
			msg = fmt.Sprintf("%q is not a JSON Schema type; read as %q, format %q", e.Value, a[0], a[1])
		}
		e.Value, e.Tag, e.Style = a[0], "!!str", 0
		l.rep.repair("type-alias", l.name, nodePos(e), ptr+"/type", msg)
	}
	if t.Kind == yaml.SequenceNode {
		for _, e := range t.Content {
			one(e)
		}
		return
	}
	one(t)
}

// repairNullability converts between OpenAPI 3.0's nullable and 3.1's
// "null" type.
func (l *loader) repairNullability(s *yaml.Node, ptr string) {
	k, t := get(s, "type")
	if !l.v31 {
		if t != nil && t.Kind == yaml.ScalarNode && t.Value == "null" {
			del(s, "type")
			l.rep.repair("type-null", l.name, nodePos(k), ptr+"/type", "\"type: null\" is OpenAPI 3.1; read as any JSON value")
			return
		}
		if t == nil || t.Kind != yaml.SequenceNode {
			return
		}
		var types []*yaml.Node
		null := false
		for _, e := range t.Content {
			if e.Kind == yaml.ScalarNode && (e.Value == "null" || isNull(e)) {
				null = true
				continue
			}
			types = append(types, e)
		}
		kind, version := "type-array-in-3.0", "OpenAPI 3.1"
		if l.v2 {
			kind = "type-array-in-2.0"
		}
		if len(types) != 1 || types[0].Kind != yaml.ScalarNode {
			// Several types: only 3.1 can say that; any JSON value is
			// the reading that accepts every one of them.
			del(s, "type")
			l.rep.repair(kind, l.name, nodePos(k), ptr+"/type",
				fmt.Sprintf("a list of several types is %s; read as any JSON value", version))
			return
		}
		set(s, "type", str(types[0].Value, nodePos(types[0])), nodePos(k))
		msg := fmt.Sprintf("a list as type is %s; read as \"type: %s\"", version, types[0].Value)
		if null {
			flag := "nullable"
			if l.v2 {
				flag = "x-nullable"
			}
			set(s, flag, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true", Line: t.Line, Column: t.Column}, nodePos(k))
			msg += fmt.Sprintf(" with \"%s: true\"", flag)
		}
		l.rep.repair(kind, l.name, nodePos(k), ptr+"/type", msg)
		return
	}
	nk, nv := get(s, "nullable")
	if nv == nil {
		return
	}
	b, ok := boolValue(nv)
	if !ok || t == nil {
		return // kin-openapi still reads it; nothing obvious to do
	}
	del(s, "nullable")
	if !b {
		l.rep.repair("nullable-in-3.1", l.name, nodePos(nk), ptr+"/nullable", "\"nullable\" is not an OpenAPI 3.1 keyword; \"nullable: false\" removed")
		return
	}
	switch t.Kind {
	case yaml.ScalarNode:
		set(s, "type", &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: t.Line, Column: t.Column,
			Content: []*yaml.Node{t, str("null", nodePos(nk))}}, nodePos(k))
	case yaml.SequenceNode:
		for _, e := range t.Content {
			if e.Value == "null" {
				goto done
			}
		}
		t.Content = append(t.Content, str("null", nodePos(nk)))
	}
done:
	l.rep.repair("nullable-in-3.1", l.name, nodePos(nk), ptr+"/nullable", "\"nullable\" is not an OpenAPI 3.1 keyword; \"null\" added to the type instead")
}

// repairEnum converts enum values written in the wrong JSON type when
// every one of them converts.
func (l *loader) repairEnum(s *yaml.Node, ptr string) {
	k, e := get(s, "enum")
	t := val(s, "type")
	if e == nil || e.Kind != yaml.SequenceNode || len(e.Content) == 0 || t == nil || t.Kind != yaml.ScalarNode {
		return
	}
	var want string // the tag the values should have
	switch t.Value {
	case "string":
		want = "!!str"
	case "integer":
		want = "!!int"
	case "number":
		want = "!!float"
	case "boolean":
		want = "!!bool"
	default:
		return
	}
	type change struct {
		n        *yaml.Node
		tag, val string
	}
	var changes []change
	for _, v := range e.Content {
		if v.Kind != yaml.ScalarNode {
			return
		}
		if isNull(v) || v.Tag == want || (want == "!!float" && v.Tag == "!!int") {
			continue
		}
		switch want {
		case "!!str":
			changes = append(changes, change{v, "!!str", v.Value})
			continue
		case "!!int":
			if _, err := strconv.ParseInt(strings.TrimSpace(v.Value), 10, 64); err == nil && v.Tag == "!!str" {
				changes = append(changes, change{v, "!!int", strings.TrimSpace(v.Value)})
				continue
			}
		case "!!float":
			if f := strings.TrimSpace(v.Value); v.Tag == "!!str" && jsonNumber.MatchString(f) {
				changes = append(changes, change{v, "!!float", f})
				continue
			}
		case "!!bool":
			if b, ok := boolValue(v); ok && v.Tag == "!!str" {
				changes = append(changes, change{v, "!!bool", strconv.FormatBool(b)})
				continue
			}
		}
		return // a value that does not convert: left to validation
	}
	if len(changes) == 0 {
		return
	}
	for _, c := range changes {
		c.n.Tag, c.n.Value, c.n.Style = c.tag, c.val, 0
	}
	what := map[string]string{"!!str": "strings", "!!int": "integers", "!!float": "numbers", "!!bool": "booleans"}[want]
	l.rep.repair("enum-type-mismatch", l.name, nodePos(k), ptr+"/enum",
		fmt.Sprintf("enum values of a schema of type %s are not all %s; read as %s", t.Value, what, what))
}

var pathVarRE = regexp.MustCompile(`\{([^{}/]+)\}`)

// paramRef is one entry of a parameters list with its name and location
// (resolved through a local $ref to components/parameters).
type paramRef struct {
	list *yaml.Node
	node *yaml.Node
	name string
	in   string
}

// paramEntries lists a parameters list's entries; unknown is set when an
// entry is a $ref that does not lead to a parameter (its name and location
// are then unknown).
func (l *loader) paramEntries(list *yaml.Node) (out []paramRef, unknown bool) {
	if list == nil || list.Kind != yaml.SequenceNode {
		return nil, false
	}
	for _, e := range list.Content {
		target := l.followRefs(l.rootLoc(), e, 8)
		n, in := val(target, "name"), val(target, "in")
		if n == nil || in == nil {
			unknown = unknown || target == nil || hasRef(target)
			continue
		}
		out = append(out, paramRef{list: list, node: e, name: n.Value, in: in.Value})
	}
	return out, unknown
}

// repairPathParams makes an operation's path parameters match its path
// template: a declared path parameter the template does not contain can
// never be sent and is dropped; a template variable nobody declares becomes
// a required string parameter.
func (l *loader) repairPathParams(op *yaml.Node, ptr string) {
	segs := strings.Split(ptr, "/")
	if len(segs) != 4 || segs[1] != "paths" {
		return
	}
	path := unescapeToken(segs[2])
	vars := map[string]bool{}
	var order []string
	for _, m := range pathVarRE.FindAllStringSubmatch(path, -1) {
		if !vars[m[1]] {
			vars[m[1]] = true
			order = append(order, m[1])
		}
	}
	item := val(val(l.root.root, "paths"), path)
	declared := map[string]bool{}
	unknown := false
	for _, level := range []*yaml.Node{val(item, "parameters"), val(op, "parameters")} {
		entries, u := l.paramEntries(level)
		unknown = unknown || u
		for _, p := range entries {
			if p.in != "path" {
				continue
			}
			if vars[p.name] {
				declared[p.name] = true
				continue
			}
			// The path's own parameters are shared by its operations,
			// which all have its template: one not in it is dropped for all.
			for i, e := range p.list.Content {
				if e == p.node {
					p.list.Content = append(p.list.Content[:i:i], p.list.Content[i+1:]...)
					break
				}
			}
			l.rep.repair("path-parameter-unused", l.name, nodePos(p.node), ptr+"/parameters",
				fmt.Sprintf("path parameter %q does not occur in the path %s; dropped", p.name, path))
		}
	}
	for _, v := range order {
		if declared[v] || unknown {
			continue
		}
		at := l.at(ptr)
		list := val(op, "parameters")
		if list == nil || list.Kind != yaml.SequenceNode {
			list = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: at.line, Column: at.col}
			set(op, "parameters", list, at)
		}
		p := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: at.line, Column: at.col}
		set(p, "name", str(v, at), at)
		set(p, "in", str("path", at), at)
		set(p, "required", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true", Line: at.line, Column: at.col}, at)
		if l.v2 {
			set(p, "type", str("string", at), at)
		} else {
			schema := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: at.line, Column: at.col}
			set(schema, "type", str("string", at), at)
			set(p, "schema", schema, at)
		}
		list.Content = append(list.Content, p)
		l.rep.repair("path-parameter-missing", l.name, at, ptr,
			fmt.Sprintf("path variable {%s} has no parameter; read as a required string parameter", v))
	}
}
