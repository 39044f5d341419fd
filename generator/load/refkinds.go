package load

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v4"
)

// A $ref stands for an object of the kind its position calls for: a
// parameter in a parameters list, a schema under "schema", and so on.
// Real specs point some of them at a component of another kind (a
// parameter $ref into components/schemas, a schema $ref at a response),
// write "content: {$ref: ...}" where no reference is allowed (a Content
// map, an operation, a properties map), or refer from a Swagger 2.0
// document to parameters and responses in other files (which the 2.0 -> 3
// conversion does not convert). kin-openapi refuses or ignores all of
// these. fixRefKinds repairs them before it sees the document: a target of
// the needed shape is copied in place of the $ref (its own $refs rebased to
// the new place), any other is dropped. Both are warnings (Kind
// wrong-kind-ref), except where the spec is valid and only the tools need
// the copy.
//
// The walk follows $refs into other files, so an operation in a path-item
// file is checked too; each place is visited once, and a copy is walked
// where it lands (so copies of copies are made, up to a budget).

// loc is a file of the load: the root or an external file.
type loc struct {
	p    *parsed
	path string // absolute path of the file
	dir  string // its directory
	key  string // key in loader.files ("" for the root)
}

// refFix is the state of one fixRefKinds pass.
type refFix struct {
	l     *loader
	seen  map[string]bool // file key + "#" + pointer, walked
	dirty map[string]bool // external files changed (re-emitted at the end)
	drops []func()        // deletions, run after the walk
	// active holds the targets whose copies are being walked: a target
	// met again inside its own copy would be copied without end.
	active map[string]bool
	copied int // nodes copied so far (bounded by MaxNodes)
}

func (l *loader) rootLoc() loc {
	return loc{p: l.root, path: filepath.FromSlash(l.rootURL.Path), dir: l.dir}
}

// fixRefKinds runs the pass over the root document and what it refers to.
func (l *loader) fixRefKinds() {
	fx := &refFix{l: l, seen: map[string]bool{}, dirty: map[string]bool{}, active: map[string]bool{}}
	l.schemaRefs = map[string]bool{}
	root := l.rootLoc()
	l.fixTextRefs(root)
	fx.walker(root).doc(l.root.root)
	for _, d := range fx.drops {
		d()
	}
	for key := range fx.dirty {
		if f := l.files[key]; f != nil && f.p != nil {
			f.em = emitJSON(f.p)
		}
	}
}

func (fx *refFix) walker(at loc) *walker {
	w := &walker{v2: fx.l.v2}
	w.ref = func(n *yaml.Node, ptr, want string) { fx.ref(at, w, n, ptr, want) }
	if at.key != "" {
		// Another file gets the schema, response and parameter repairs the root got
		// (repairDoc), with its own name and positions; it is emitted
		// again when they changed it.
		l := fx.l
		repair := func(f func()) {
			name, n := l.name, len(l.rep.list)+l.edits
			l.name, l.inOtherFile, l.other = at.p.file, true, at
			f()
			l.name, l.inOtherFile, l.other = name, false, loc{}
			if len(l.rep.list)+l.edits != n {
				fx.changed(at)
			}
		}
		w.repair = repair
		w.schema = func(s *yaml.Node, ptr string, parent *yaml.Node, prop string) {
			repair(func() { l.repairSchema(s, ptr, parent, prop) })
		}
		w.response = func(r *yaml.Node, ptr string) { repair(func() { l.repairResponse(r, ptr) }) }
		w.param = func(p *yaml.Node, ptr string, header bool) { repair(func() { l.repairParam(p, ptr, header) }) }
	}
	return w
}

// sectionKinds maps a component section to the kind of its entries.
var sectionKinds = map[string]string{
	"schemas": "schema", "parameters": "parameter", "headers": "header", "requestBodies": "requestBody",
	"responses": "response", "pathItems": "pathItem", "callbacks": "callback", "mediaTypes": "mediaType",
	"examples": "example", "links": "link", "securitySchemes": "securityScheme",
}

// docFields are the fields of an OpenAPI document object.
var docFields = map[string]bool{
	"openapi": true, "swagger": true, "info": true, "servers": true, "paths": true, "webhooks": true,
	"components": true, "security": true, "tags": true, "externalDocs": true, "jsonSchemaDialect": true,
}

// targetKind is the kind of component a fragment names, or "" when it
// names something else (a subschema, a path, a whole file).
func targetKind(frag string) string {
	toks := strings.Split(strings.TrimPrefix(frag, "/"), "/")
	switch {
	case len(toks) == 3 && toks[0] == "components":
		return sectionKinds[toks[1]]
	case len(toks) == 2 && toks[0] == "definitions":
		return "schema"
	case len(toks) == 2 && (toks[0] == "parameters" || toks[0] == "responses"):
		return sectionKinds[toks[0]]
	case len(toks) >= 2 && (toks[0] == "paths" || toks[0] == "webhooks"):
		return pathTargetKind(toks[2:])
	}
	return ""
}

// pathTargetKind is the kind of object at a position inside a path item
// (toks: the tokens after the path's), or "" for anything else. Bundlers
// write $refs to the place in paths where they first met an object.
func pathTargetKind(toks []string) string {
	switch {
	case len(toks) == 0:
		return "pathItem"
	case len(toks) == 2 && toks[0] == "parameters":
		return "parameter"
	case !isMethod(toks[0]):
		return ""
	}
	toks = toks[1:]
	switch {
	case len(toks) == 0:
		return "operation"
	case len(toks) == 2 && toks[0] == "parameters":
		return "parameter"
	case len(toks) == 1 && toks[0] == "requestBody":
		return "requestBody"
	case len(toks) == 2 && toks[0] == "responses":
		return "response"
	case len(toks) == 4 && toks[0] == "responses" && toks[2] == "headers":
		return "header"
	}
	return ""
}

// resolve finds the node a $ref written in file at names. ok is false when
// it does not resolve; broken then says why when the $ref is one kiiexgen
// reads and its target is missing ("" for a remote or refused one, which
// is reported elsewhere).
func (l *loader) resolve(at loc, ref string) (n *yaml.Node, where loc, frag string, ok bool, broken string) {
	file, fragEsc, _ := strings.Cut(ref, "#")
	frag, err := url.PathUnescape(fragEsc)
	if err != nil {
		frag = fragEsc
	}
	if frag != "" && !strings.HasPrefix(frag, "/") {
		return nil, loc{}, "", false, "" // an anchor
	}
	where, ok, broken = l.refFile(at, file)
	if !ok {
		return nil, loc{}, "", false, broken
	}
	n, why := resolvePointer(where.p.root, frag)
	if why != "" || n == nil {
		if where.key != at.key {
			why += " in " + where.p.file
		}
		return nil, loc{}, "", false, why
	}
	return n, where, frag, true, ""
}

// followRefs follows the $refs from n, written in at, for at most hops
// steps, and returns the object they lead to: n itself when it holds no
// $ref, nil when one does not resolve, and an object still holding a $ref
// (a non-text one, or after hops steps) as it is.
func (l *loader) followRefs(at loc, n *yaml.Node, hops int) *yaml.Node {
	for range hops {
		r := val(n, "$ref")
		if r == nil || r.Kind != yaml.ScalarNode {
			return n
		}
		t, where, _, ok, _ := l.resolve(at, r.Value)
		if !ok {
			return nil
		}
		n, at = t, where
	}
	return n
}

// fileLoc is the file the repairs are visiting: the root, or the
// referenced file refFix.walker has them visit.
func (l *loader) fileLoc() loc {
	if l.inOtherFile {
		return l.other
	}
	return l.rootLoc()
}

// refFile finds the file a $ref's file part (before "#") names, seen from
// at: at itself for "". ok and broken are as for resolve.
func (l *loader) refFile(at loc, file string) (where loc, ok bool, broken string) {
	if file == "" {
		return at, true, ""
	}
	u, err := url.Parse(file)
	if err != nil || u.Scheme != "" || u.Host != "" || filepath.IsAbs(filepath.FromSlash(u.Path)) || strings.HasPrefix(u.Path, "/") {
		return loc{}, false, ""
	}
	path := filepath.Join(at.dir, filepath.FromSlash(u.Path))
	if _, err := l.inside(path); err != nil {
		return loc{}, false, ""
	}
	f := l.external(path)
	if f.err != nil || f.p == nil {
		return loc{}, false, fileReason(f.err)
	}
	return loc{p: f.p, path: path, dir: filepath.Dir(path), key: (&url.URL{Path: filepath.ToSlash(path)}).String()}, true, ""
}

// shapeOK reports whether n can stand for an object of kind want.
func shapeOK(n *yaml.Node, want string) bool {
	if !isMap(n) {
		return false
	}
	has := func(k string) bool { return val(n, k) != nil }
	switch want {
	case "parameter":
		return has("name") && has("in")
	case "header":
		// A header parameter reads as a header without its name and
		// location.
		in := val(n, "in")
		return (in == nil || in.Value == "header") && (has("schema") || has("content") || has("type"))
	case "requestBody":
		return has("content")
	case "response":
		return !has("in") && !has("type") && !has("properties") && (has("description") || has("content") || has("headers") || has("schema"))
	case "content":
		ok := len(n.Content) > 0
		entries(n, func(k, v *yaml.Node) { ok = ok && isMap(v) && strings.Contains(k.Value, "/") })
		return ok
	case "properties":
		ok := true
		entries(n, func(k, v *yaml.Node) { ok = ok && isMap(v) })
		return ok
	case "mediaType":
		return !has("in") && (has("schema") || has("example") || has("examples") || has("encoding"))
	case "schema":
		// Only a component of another kind is checked for this, and
		// responses, parameters and the rest are never schemas (a
		// response's body schema is taken before this is asked).
		return false
	}
	return true
}

// ref handles one $ref-holding object n at ptr of the file at.
func (fx *refFix) ref(at loc, w *walker, n *yaml.Node, ptr, want string) {
	l := fx.l
	rk, rv := get(n, "$ref")
	if rv == nil || rv.Kind != yaml.ScalarNode {
		return
	}
	target, where, frag, ok, broken := l.resolve(at, rv.Value)
	if want == "schema" && at.key == "" {
		l.schemaRefs[ptr] = true
	}
	if !ok {
		if broken != "" && want == "schema" && at.key != "" {
			// checkRefs handles the root's (dropping unused components).
			fx.changed(at)
			del(n, "$ref")
			l.rep.repair("broken-ref", at.p.file, nodePos(rk), ptr+"/$ref",
				fmt.Sprintf("unresolvable $ref %q: %s; read as any JSON value", rv.Value, broken))
		}
		return
	}
	kind := targetKind(frag)
	external := where.key != at.key
	var msg string // the warning; "" for a valid spec the tools need help with
	switch {
	case want == "content", want == "properties":
		msg = fmt.Sprintf("%q cannot be a $ref (%q); ", want, rv.Value)
	case want == "operation":
		// An Operation Object is never a reference (DigitalOcean keeps
		// each operation in a file of its own); kin-openapi ignores it.
	case want == "mediaType":
		if l.version < "3.2" {
			msg = fmt.Sprintf("a media type cannot be a $ref (%q) before OpenAPI 3.2; ", rv.Value)
		}
	case kind != "" && kind != want:
		msg = fmt.Sprintf("$ref %q stands for %s but points at %s; ", rv.Value, article(want), article(kind))
	case want == "pathItem" && external && docFields[strings.TrimPrefix(frag, "/")]:
		// kin-openapi reads the referenced file as a document, so a
		// path item kept under a document field's name ("#/webhooks")
		// resolves to that field: copy it in place, silently.
	case l.v2 && external && (want == "parameter" || want == "response"):
		// The Swagger 2.0 conversion reads other files as OpenAPI 3:
		// copy the 2.0 object into the root, silently (the spec is valid).
	default:
		if where.key != "" {
			fx.follow(where, target, frag, want)
		}
		return
	}
	file, rptr, p := at.p.file, ptr+"/$ref", nodePos(rk)
	fx.changed(at)
	if want == "operation" {
		msg = fmt.Sprintf("an operation cannot be a $ref (%q); ", rv.Value)
	}
	done := "its target has the shape of one and is copied in place"
	body := false
	if want == "schema" && kind == "response" {
		// The author meant the response's body: use the schema of its
		// only media type, when it has one.
		if c := val(target, "content"); isMap(c) && len(c.Content) == 2 {
			if sch := val(c.Content[1], "schema"); isMap(sch) {
				target, frag = sch, frag+"/content/"+escapeToken(c.Content[0].Value)+"/schema"
				done, body = "the schema of its only media type is copied in place", true
			}
		} else if sch := val(target, "schema"); l.v2 && isMap(sch) {
			target, frag = sch, frag+"/schema"
			done, body = "its schema is copied in place", true
		}
	}
	if want == "schema" && (kind == "parameter" || kind == "header") {
		// The author meant the parameter's (or header's) schema.
		if sch := val(target, "schema"); isMap(sch) {
			target, frag = sch, frag+"/schema"
			done, body = "its schema is copied in place", true
		}
	}
	key := where.key + "#" + frag
	// A target that holds the $ref itself is cyclic from the start.
	cyclic := fx.active[key] || where.key == at.key && strings.HasPrefix(ptr+"/", frag+"/")
	if cyclic {
		if msg == "" {
			msg = fmt.Sprintf("$ref %q: ", rv.Value)
		}
		msg += "its target contains this $ref, so copying it in place never ends; "
	}
	if !cyclic && (body || shapeOK(target, want)) {
		if fx.copied += countNodes(target); fx.copied > MaxNodes {
			l.rep.fail("ref-copy-limit", file, p, rptr, fmt.Sprintf("copying $ref targets in place would make more than %d nodes", MaxNodes))
			return
		}
		cp := copyRebased(target, where, at, p)
		if want == "schema" && len(n.Content) > 2 {
			// Keep the siblings of the $ref; the copy's keys win.
			for i := 0; i+1 < len(n.Content); i += 2 {
				if k := n.Content[i].Value; k != "$ref" && val(cp, k) == nil {
					cp.Content = append(cp.Content, n.Content[i], n.Content[i+1])
				}
			}
		}
		if want == "header" {
			del(cp, "name")
			del(cp, "in")
		}
		*n = *cp
		if msg != "" {
			l.rep.repair("wrong-kind-ref", file, p, rptr, msg+done)
		}
		fx.active[key] = true
		fx.walkAs(at, w, n, ptr, want)
		delete(fx.active, key)
		return
	}
	if msg == "" {
		return // left to the conversion, which reports it
	}
	if kind == "schema" && !l.v2 && (want == "response" || want == "requestBody") {
		// A body given as its schema: the author meant a JSON body of it.
		// The $ref stays as written: it is in the same file.
		ref := str(rv.Value, p)
		schema := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: p.line, Column: p.col}
		set(schema, "$ref", ref, p)
		mt := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: p.line, Column: p.col}
		set(mt, "schema", schema, p)
		content := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: p.line, Column: p.col}
		set(content, "application/json", mt, p)
		*n = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: n.Line, Column: n.Column}
		if want == "response" {
			set(n, "description", str("", p), p)
		}
		set(n, "content", content, p)
		l.rep.repair("wrong-kind-ref", file, p, rptr, msg+"read as a JSON body of that schema")
		return
	}
	switch want {
	case "schema":
		del(n, "$ref")
		msg += "read as any JSON value"
	case "response":
		*n = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: n.Line, Column: n.Column}
		set(n, "description", str("", p), p)
		msg += "read as a response without a body"
	default:
		fx.drop(at, ptr)
		msg += "its target does not have the shape of one; dropped"
	}
	l.rep.repair("wrong-kind-ref", file, p, rptr, msg)
}

// fixTextRefs replaces a description or summary written as a $ref by the
// text it points at, or by nothing when that is not text (Kind text-ref).
func (l *loader) fixTextRefs(at loc) {
	var refs []refUse
	collectRefs(at.p.root, "", "", &refs)
	for _, r := range refs {
		if !r.text {
			continue
		}
		i := strings.LastIndexByte(r.owner, '/')
		parent, _ := resolvePointer(at.p.root, r.owner[:i])
		if !isMap(parent) {
			continue
		}
		name := unescapeToken(r.owner[i+1:])
		target, _, _, ok, _ := l.resolve(at, r.ref)
		text, msg := "", fmt.Sprintf("%s is a $ref (%q), not text; ", name, r.ref)
		if ok && target.Kind == yaml.ScalarNode && !isNull(target) {
			text = target.Value
			msg += "the text it points at is used"
		} else {
			msg += "it does not point at text; left empty"
		}
		set(parent, name, str(text, nodePos(r.key)), nodePos(r.key))
		l.rep.repair("text-ref", at.p.file, nodePos(r.key), r.ptr(), msg)
	}
}

// follow walks a target in another file (once) as an object of kind want.
func (fx *refFix) follow(where loc, target *yaml.Node, frag, want string) {
	if !fx.seen[where.key] {
		// kin-openapi resolves every component of a file it reads, used
		// or not.
		fx.seen[where.key] = true
		w := fx.walker(where)
		if w.repair != nil {
			w.repair(func() { fx.l.repairSecuritySchemes(where) })
		}
		w.doc(where.p.root)
	}
	key := where.key + "#" + frag
	if fx.seen[key] {
		return
	}
	fx.seen[key] = true
	fx.walkAs(where, fx.walker(where), target, frag, want)
}

// walkAs walks n as an object of kind want.
func (fx *refFix) walkAs(at loc, w *walker, n *yaml.Node, ptr, want string) {
	switch want {
	case "pathItem":
		w.pathItem(n, ptr)
	case "operation":
		w.walkOperation(n, ptr)
	case "parameter":
		w.parameter(n, ptr)
	case "header":
		w.header(n, ptr)
	case "requestBody":
		w.requestBody(n, ptr)
	case "response":
		w.walkResponse(n, ptr)
	case "callback":
		w.callback(n, ptr)
	case "schema":
		w.walkSchema(n, ptr, nil, "")
	case "properties":
		holder := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{str("properties", pos{}), n}}
		w.walkSchema(holder, strings.TrimSuffix(ptr, "/properties"), nil, "")
	case "content", "mediaType":
		holder := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		if want == "content" {
			holder.Content = []*yaml.Node{str("content", pos{}), n}
		} else {
			c := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{str("-/-", pos{}), n}}
			holder.Content = []*yaml.Node{str("content", pos{}), c}
		}
		w.content(holder, strings.TrimSuffix(ptr, "/content"))
	}
}

func (fx *refFix) changed(at loc) {
	if at.key != "" {
		fx.dirty[at.key] = true
	}
}

// drop removes the element at ptr of the file at (after the walk, so list
// indexes stay valid while it runs).
func (fx *refFix) drop(at loc, ptr string) {
	i := strings.LastIndexByte(ptr, '/')
	if i < 0 {
		return
	}
	parent, _ := resolvePointer(at.p.root, ptr[:i])
	child, _ := resolvePointer(at.p.root, ptr)
	name := unescapeToken(ptr[i+1:])
	fx.drops = append(fx.drops, func() {
		switch {
		case isMap(parent):
			del(parent, name)
		case isSeq(parent):
			for j, e := range parent.Content {
				if e == child {
					parent.Content = append(parent.Content[:j:j], parent.Content[j+1:]...)
					break
				}
			}
		}
	})
}

func article(kind string) string {
	words := map[string]string{
		"schema": "a schema", "parameter": "a parameter", "header": "a header", "requestBody": "a request body",
		"response": "a response", "pathItem": "a path item", "callback": "a callback", "content": "a content map",
		"mediaType": "a media type", "properties": "a map of properties", "operation": "an operation", "example": "an example", "link": "a link", "securityScheme": "a security scheme",
	}
	if w, ok := words[kind]; ok {
		return w
	}
	return kind
}

// copyRebased deep-copies n, which lives in file from, for use in file to:
// its relative $refs are rewritten to point at the same targets from there.
// A copy from another file takes the position at (of the $ref it
// replaces) throughout, so that what is reported about it points there.
func copyRebased(n *yaml.Node, from, to loc, at pos) *yaml.Node {
	cp := deepCopy(n)
	if from.key == to.key {
		return cp
	}
	setPos(cp, at)
	var refs []refUse
	collectRefs(cp, "", "", &refs)
	for _, r := range refs {
		r.val.Value = rebase(r.val.Value, from, to)
	}
	rebaseMappings(cp, from, to)
	return cp
}

// rebaseMappings rebases the $refs among discriminator mapping values (the
// others are schema names).
func rebaseMappings(n *yaml.Node, from, to loc) {
	switch n.Kind {
	case yaml.SequenceNode:
		for _, c := range n.Content {
			rebaseMappings(c, from, to)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Value == "discriminator" {
				entries(val(v, "mapping"), func(_, m *yaml.Node) {
					if m.Kind == yaml.ScalarNode && (strings.ContainsAny(m.Value, "#/") || strings.HasSuffix(m.Value, ".yaml") ||
						strings.HasSuffix(m.Value, ".yml") || strings.HasSuffix(m.Value, ".json")) {
						m.Value = rebase(m.Value, from, to)
					}
				})
				continue
			}
			rebaseMappings(v, from, to)
		}
	}
}

// rebase rewrites ref, written in file from, to be written in file to.
func rebase(ref string, from, to loc) string {
	file, frag, hasFrag := strings.Cut(ref, "#")
	u, err := url.Parse(file)
	if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(u.Path, "/") {
		return ref
	}
	abs := from.path
	if file != "" {
		abs = filepath.Join(from.dir, filepath.FromSlash(u.Path))
	}
	out := ""
	if abs != to.path {
		rel, err := filepath.Rel(to.dir, abs)
		if err != nil {
			return ref
		}
		out = filepath.ToSlash(rel)
	}
	if hasFrag {
		out += "#" + frag
	}
	return out
}

func countNodes(n *yaml.Node) int {
	c := 1
	for _, e := range n.Content {
		c += countNodes(e)
	}
	return c
}

func setPos(n *yaml.Node, at pos) {
	n.Line, n.Column = at.line, at.col
	for _, c := range n.Content {
		setPos(c, at)
	}
}

func deepCopy(n *yaml.Node) *yaml.Node {
	if n == nil {
		return nil
	}
	c := *n
	if len(n.Content) > 0 {
		c.Content = make([]*yaml.Node, len(n.Content))
		for i, e := range n.Content {
			c.Content[i] = deepCopy(e)
		}
	}
	return &c
}
