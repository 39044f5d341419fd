package load

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v4"

	"github.com/kiiexgen/kiiexgen/generator/diag"
)

// refUse is one "$ref" in the root document.
type refUse struct {
	owner string     // pointer of the object holding the $ref
	ref   string     // its value
	key   *yaml.Node // the "$ref" key (for its position)
	val   *yaml.Node // its value
	obj   *yaml.Node // the object holding it
	// text marks a $ref standing for a description or summary (text
	// fields are never references, though specs write them so).
	text bool
}

func (r refUse) ptr() string { return r.owner + "/$ref" }

// nameMaps are the keys whose value is a map of user-chosen names, whose
// entries are never data ("default" in responses is a response).
var nameMaps = map[string]bool{
	"paths": true, "webhooks": true, "responses": true, "examples": true, "schemas": true,
	"parameters": true, "headers": true, "requestBodies": true, "securitySchemes": true,
	"links": true, "callbacks": true, "pathItems": true, "properties": true,
	"patternProperties": true, "$defs": true, "definitions": true, "dependentSchemas": true,
	"content": true, "encoding": true, "securityDefinitions": true,
}

// collectRefs finds the $refs of a tree. Values that are data (examples,
// defaults, enums, extensions) are not searched; in a map of names (a
// property named "$ref" or "default", a response "default") every entry is
// an object.
func collectRefs(n *yaml.Node, ptr, key string, out *[]refUse) {
	w := refCollector{base: ptr, out: out}
	w.walk(n, key)
}

// refCollector is collectRefs' walk. The pointer of the object holding a
// $ref is spelled only for the objects that hold one: spelling every
// node's pointer on the way cost a string per node of the document.
type refCollector struct {
	base string
	toks []string // the path below base, one entry per level (unescaped)
	out  *[]refUse
}

// owner spells the pointer of the current object.
func (w *refCollector) owner() string {
	if len(w.toks) == 0 {
		return w.base
	}
	var b strings.Builder
	b.WriteString(w.base)
	for _, t := range w.toks {
		b.WriteByte('/')
		b.WriteString(escapeToken(t))
	}
	return b.String()
}

func (w *refCollector) walk(n *yaml.Node, key string) {
	switch n.Kind {
	case yaml.SequenceNode:
		if key == "examples" {
			return // a JSON Schema examples list: data
		}
		for i, e := range n.Content {
			w.toks = append(w.toks, strconv.Itoa(i))
			w.walk(e, "")
			w.toks = w.toks[:len(w.toks)-1]
		}
	case yaml.MappingNode:
		names := nameMaps[key]
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if names && k.Value == "$ref" && v.Kind == yaml.ScalarNode && len(n.Content) == 2 {
				// A whole map given as a $ref ("properties: {$ref:
				// file}"): not a name, since a name maps to an object.
				*w.out = append(*w.out, refUse{owner: w.owner(), ref: v.Value, key: k, val: v, obj: n})
				continue
			}
			if !names {
				switch {
				case k.Value == "$ref":
					if v.Kind == yaml.ScalarNode {
						*w.out = append(*w.out, refUse{owner: w.owner(), ref: v.Value, key: k, val: v, obj: n, text: key == "description" || key == "summary"})
					}
					continue
				case k.Value == "example", k.Value == "default", k.Value == "enum", k.Value == "const",
					k.Value == "value", strings.HasPrefix(k.Value, "x-"):
					continue
				}
			}
			if v.Kind != yaml.MappingNode && v.Kind != yaml.SequenceNode {
				continue // a scalar holds no $ref
			}
			childKey := k.Value
			if names {
				childKey = "" // an entry named "properties" is not a properties map
			}
			w.toks = append(w.toks, k.Value)
			w.walk(v, childKey)
			w.toks = w.toks[:len(w.toks)-1]
		}
	}
}

// keyIndex finds the entries of large mappings by key in constant time, so
// that resolving one $ref per component of a document with thousands of
// components takes linear, not quadratic, time. A mapping's index is built
// on first use; the tree must not change while a keyIndex is in use.
type keyIndex map[*yaml.Node]map[string]*yaml.Node

// val is the package's val, indexed for mappings of more than a few keys.
func (ix keyIndex) val(m *yaml.Node, key string) *yaml.Node {
	if ix == nil || len(m.Content) < 32 {
		return val(m, key)
	}
	idx, ok := ix[m]
	if !ok {
		idx = make(map[string]*yaml.Node, len(m.Content)/2)
		for i := len(m.Content) - 2; i >= 0; i -= 2 { // the first of equal keys wins, as in val
			idx[m.Content[i].Value] = m.Content[i+1]
		}
		ix[m] = idx
	}
	return idx[key]
}

// resolvePointer finds the node at an RFC 6901 pointer ("" is the root).
func resolvePointer(root *yaml.Node, ptr string) (*yaml.Node, string) {
	return keyIndex(nil).resolve(root, ptr)
}

func (ix keyIndex) resolve(root *yaml.Node, ptr string) (*yaml.Node, string) {
	if ptr == "" {
		return root, ""
	}
	if !strings.HasPrefix(ptr, "/") {
		return nil, "not a JSON pointer"
	}
	n := root
	toks := strings.Split(ptr[1:], "/")
	done := func(i int) string {
		if i == 0 {
			return ""
		}
		return "/" + strings.Join(toks[:i], "/")
	}
	for i, tok := range toks {
		name := unescapeToken(tok)
		switch n.Kind {
		case yaml.MappingNode:
			v := ix.val(n, name)
			if v == nil {
				return nil, fmt.Sprintf("no %q in #%s", name, done(i))
			}
			n = v
		case yaml.SequenceNode:
			j, err := strconv.Atoi(name)
			if err != nil || j < 0 || j >= len(n.Content) {
				return nil, fmt.Sprintf("no item %q in #%s", name, done(i))
			}
			n = n.Content[j]
		default:
			return nil, fmt.Sprintf("#%s is a scalar", done(i))
		}
	}
	return n, ""
}

// component returns the pointer of the component (in "components", or a
// Swagger 2.0 definition, parameter or response) that ptr is in, or "".
func (l *loader) component(ptr string) string {
	toks := strings.SplitN(ptr, "/", 5) // "", components, kind, name, rest
	if l.v2 {
		if len(toks) >= 3 && (toks[1] == "definitions" || toks[1] == "parameters" || toks[1] == "responses") {
			return "/" + toks[1] + "/" + toks[2]
		}
		return ""
	}
	if len(toks) >= 4 && toks[1] == "components" {
		return "/components/" + toks[2] + "/" + toks[3]
	}
	return ""
}

// checkRefs checks every $ref of the root document: the reference policy,
// and whether it resolves. Unused components holding $refs that do not
// resolve are dropped; used ones are errors.
func (l *loader) checkRefs() {
	var refs []refUse
	collectRefs(l.root.root, "", "", &refs)
	if len(refs) == 0 {
		return
	}
	l.ix = keyIndex{}
	defer func() { l.ix = nil }()
	broken := make(map[int]string) // index in refs -> reason
	targets := make([]string, len(refs))
	for i, r := range refs {
		target, reason, ok := l.checkRef(r)
		if !ok {
			continue // policy error, reported
		}
		if reason != "" {
			broken[i] = reason
		}
		targets[i] = target
	}

	// Components reachable from outside "components".
	edges := make(map[string][]string)
	var queue []string
	reached := make(map[string]bool)
	for i, r := range refs {
		t := targets[i]
		if t == "" {
			continue
		}
		if oc := l.component(r.owner); oc != "" {
			edges[oc] = append(edges[oc], t)
		} else if !reached[t] {
			reached[t] = true
			queue = append(queue, t)
		}
	}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		for _, t := range edges[c] {
			if !reached[t] {
				reached[t] = true
				queue = append(queue, t)
			}
		}
	}

	dropped := make(map[string]bool)
	var order []string
	for i, r := range refs {
		reason, bad := broken[i]
		if !bad {
			continue
		}
		oc := l.component(r.owner)
		if oc == "" || reached[oc] {
			if owner, _ := resolvePointer(l.root.root, r.owner); l.schemaRefs[r.owner] && isMap(owner) {
				del(owner, "$ref")
				l.rep.repair("broken-ref", l.name, nodePos(r.key), r.ptr(), fmt.Sprintf("unresolvable $ref %q: %s; read as any JSON value", r.ref, reason))
				continue
			}
			l.rep.fail("broken-ref", l.name, nodePos(r.key), r.ptr(), fmt.Sprintf("unresolvable $ref %q: %s", r.ref, reason))
			continue
		}
		if !dropped[oc] {
			dropped[oc] = true
			order = append(order, oc)
			l.rep.repair("broken-ref-unused", l.name, nodePos(r.key), r.ptr(),
				fmt.Sprintf("unresolvable $ref %q (%s) in component %s, which no operation uses; the component is dropped", r.ref, reason, shortComp(oc)))
		}
	}
	l.collapseRefChains(refs, broken)
	l.ix = nil // the tree changes now

	// Unused components that refer to dropped ones go too (following the
	// $refs backwards from each dropped component, so a long chain of them
	// takes linear time).
	owners := make([]string, len(refs))
	into := make(map[string][]int) // target component -> indexes of the refs to it
	for i, r := range refs {
		owners[i] = l.component(r.owner)
		if targets[i] != "" {
			into[targets[i]] = append(into[targets[i]], i)
		}
	}
	for q := 0; q < len(order); q++ {
		for _, i := range into[order[q]] {
			oc := owners[i]
			if oc == "" || dropped[oc] || reached[oc] {
				continue
			}
			dropped[oc] = true
			order = append(order, oc)
			r := refs[i]
			l.rep.repair("broken-ref-unused", l.name, nodePos(r.key), r.ptr(),
				fmt.Sprintf("$ref %q refers to dropped component %s; component %s, which no operation uses, is dropped too", r.ref, shortComp(targets[i]), shortComp(oc)))
		}
	}
	// Delete them, each mapping filtered once.
	gone := make(map[string]map[string]bool) // parent pointer -> names
	var parents []string
	for _, c := range order {
		i := strings.LastIndexByte(c, '/')
		if gone[c[:i]] == nil {
			gone[c[:i]] = make(map[string]bool)
			parents = append(parents, c[:i])
		}
		gone[c[:i]][unescapeToken(c[i+1:])] = true
	}
	for _, pp := range parents {
		parent, _ := resolvePointer(l.root.root, pp)
		if parent == nil || parent.Kind != yaml.MappingNode {
			continue
		}
		kept := parent.Content[:0]
		for i := 0; i+1 < len(parent.Content); i += 2 {
			if !gone[pp][parent.Content[i].Value] {
				kept = append(kept, parent.Content[i], parent.Content[i+1])
			}
		}
		parent.Content = kept
	}
}

// collapseRefChains points every $ref whose target is a component schema
// holding nothing but a $ref (A0: {$ref: A1}, A1: {$ref: A2}, ...) straight
// at the end of the chain. kin-openapi resolves such a chain anew from each
// component on it, which takes time quadratic in its length; an object
// holding only a $ref stands for its target, so the document means the same.
// Only chains of local component schemas are followed; a chain that runs
// in a cycle is broken (see chainEnd).
func (l *loader) collapseRefChains(refs []refUse, broken map[int]string) {
	end := make(map[*yaml.Node]string) // chain member -> the $ref its chain ends with ("": leave alone)
	chainEnd := func(n *yaml.Node) string {
		var path []*yaml.Node
		on := make(map[*yaml.Node]bool)
		result, prev := "", ""
		for cur := n; ; {
			if e, ok := end[cur]; ok {
				result = e
				break
			}
			if on[cur] {
				// A cycle of $refs and nothing else (A: {$ref: B}, B:
				// {$ref: A}) says nothing about the value; kin-openapi
				// refused the document. The component the walk came
				// back to takes any JSON value, and the chain ends there.
				ptr, _ := url.PathUnescape(strings.TrimPrefix(prev, "#"))
				l.rep.repair("ref-cycle", l.name, nodePos(cur), ptr,
					"a cycle of schemas that are only $refs to each other (no schema at the end); read as any JSON value")
				*cur = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: cur.Line, Column: cur.Column}
				result = prev
				break
			}
			on[cur] = true
			path = append(path, cur)
			ref := pureRef(cur)
			prev = ref
			next := l.schemaComponent(ref)
			if next == nil || pureRef(next) == "" {
				result = ref
				break
			}
			cur = next
		}
		for _, p := range path {
			end[p] = result
		}
		return result
	}
	for i, r := range refs {
		if _, bad := broken[i]; bad {
			continue
		}
		t := l.schemaComponent(r.ref)
		if t == nil || pureRef(t) == "" {
			continue
		}
		if e := chainEnd(t); e != "" && e != r.ref {
			if v := val(r.obj, "$ref"); v != nil && v.Kind == yaml.ScalarNode {
				v.Value = e
			}
		}
	}
}

// pureRef returns the $ref of an object that holds a local $ref and
// nothing else, or "".
func pureRef(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.MappingNode || len(n.Content) != 2 || n.Content[0].Value != "$ref" ||
		n.Content[1].Kind != yaml.ScalarNode || !strings.HasPrefix(n.Content[1].Value, "#/") {
		return ""
	}
	return n.Content[1].Value
}

// schemaComponent returns the node of the component schema (or Swagger 2.0
// definition) a local $ref names, or nil.
func (l *loader) schemaComponent(ref string) *yaml.Node {
	if !strings.HasPrefix(ref, "#/") {
		return nil
	}
	frag, err := url.PathUnescape(ref[1:])
	if err != nil {
		return nil
	}
	toks := strings.Split(frag, "/")
	if l.v2 && (len(toks) != 3 || toks[1] != "definitions") || !l.v2 && (len(toks) != 4 || toks[1] != "components" || toks[2] != "schemas") {
		return nil
	}
	n, _ := l.ix.resolve(l.root.root, frag)
	return n
}

func shortComp(c string) string {
	return "#" + c
}

// checkRef applies the reference policy to r (reporting violations, ok
// false) and returns the pointer of the local component it targets (if
// any) and why it does not resolve ("" if it does).
func (l *loader) checkRef(r refUse) (target, reason string, ok bool) {
	ref := r.ref
	if strings.HasPrefix(ref, "#") {
		frag, err := url.PathUnescape(ref[1:])
		if err != nil {
			frag = ref[1:]
		}
		if frag != "" && !strings.HasPrefix(frag, "/") {
			return "", "", true // a 3.1 anchor; left to kin-openapi
		}
		if _, why := l.ix.resolve(l.root.root, frag); why != "" {
			reason = why
		}
		return l.component(frag), reason, true
	}
	u, err := url.Parse(ref)
	if err != nil {
		l.rep.fail("bad-ref", l.name, nodePos(r.key), r.ptr(), fmt.Sprintf("$ref %q is not a valid URI: %v", ref, errors.Unwrap(err)))
		return "", "", false
	}
	if err := l.refPolicy(u, ref); err != nil {
		l.rep.fail("ref-refused", l.name, nodePos(r.key), r.ptr(), err.Error())
		return "", "", false
	}
	if u.Scheme != "" {
		return "", "", true // remote, allowed: kin-openapi fetches it
	}
	f := l.external(filepath.Join(l.dir, filepath.FromSlash(u.Path)))
	if f.err != nil {
		return "", fileReason(f.err), true
	}
	frag := u.Fragment
	if frag != "" && strings.HasPrefix(frag, "/") {
		if _, why := l.ix.resolve(f.p.root, frag); why != "" {
			return "", why + " in " + f.p.file, true
		}
	}
	return "", "", true
}

func fileReason(err error) string {
	if l, ok := err.(diag.List); ok && len(l) > 0 {
		return l[0].String()
	}
	if errors.Is(err, os.ErrNotExist) {
		return "no such file"
	}
	return err.Error()
}

// refPolicy decides whether a $ref's URI may be read.
func (l *loader) refPolicy(u *url.URL, ref string) error {
	switch u.Scheme {
	case "http", "https":
		if !l.opts.AllowRemoteRefs {
			return fmt.Errorf("remote $ref %q refused; pass -allow-remote-refs to allow", ref)
		}
		return nil
	case "", "file":
		if u.Host != "" {
			return fmt.Errorf("$ref %q names a host; only files in the spec's directory may be referenced", ref)
		}
	default:
		return fmt.Errorf("$ref %q: scheme %q is not supported", ref, u.Scheme)
	}
	if u.Scheme == "file" || filepath.IsAbs(filepath.FromSlash(u.Path)) || strings.HasPrefix(u.Path, "/") {
		return fmt.Errorf("$ref %q is an absolute path; only files in the spec's directory may be referenced", ref)
	}
	if _, err := l.inside(filepath.Join(l.dir, filepath.FromSlash(u.Path))); err != nil {
		return fmt.Errorf("$ref %q points outside %s", ref, l.rootName())
	}
	return nil
}

// inside checks that path is in l.refRoot (after resolving symbolic links)
// and returns it relative to l.dir, the spec's directory (so a file of a
// sibling folder is named ../common/x.yaml in diagnostics).
func (l *loader) inside(path string) (string, error) {
	path = filepath.Clean(path)
	if !within(l.refRoot, path) {
		return "", errors.New("outside")
	}
	if real, err := filepath.EvalSymlinks(path); err == nil && !within(l.refRoot, real) {
		return "", errors.New("outside")
	}
	rel, err := filepath.Rel(l.dir, path)
	if err != nil {
		return "", errors.New("outside")
	}
	return filepath.ToSlash(rel), nil
}

// rootName names the directory $refs may reach, for messages.
func (l *loader) rootName() string {
	if l.refRoot == l.dir {
		return "the spec's directory (-ref-root allows a wider one)"
	}
	return "the $ref root " + l.opts.RefRoot
}

// within reports whether path is dir or below it.
func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// external reads, guards and parses a referenced file (once).
func (l *loader) external(path string) *srcFile {
	key := (&url.URL{Path: filepath.ToSlash(path)}).String()
	if f, ok := l.files[key]; ok {
		return f
	}
	f := &srcFile{}
	l.files[key] = f
	rel, err := l.inside(path)
	if err != nil {
		f.err = fmt.Errorf("%s is outside %s", path, l.rootName())
		return f
	}
	data, err := ReadFile(path)
	if err != nil {
		f.err = fmt.Errorf("%s: %w", rel, unwrapPathError(err))
		return f
	}
	f.p, f.err = parseFile(l.rep, rel, data)
	if f.err == nil {
		f.em = emitJSON(f.p)
	}
	return f
}

// remoteTimeout bounds each remote fetch, connection to last byte.
var remoteTimeout = 30 * time.Second

// remote fetches an http(s) document (only with AllowRemoteRefs), reading
// at most MaxInputSize bytes within remoteTimeout.
func (l *loader) remote(u *url.URL) *srcFile {
	key := u.String()
	if f, ok := l.files[key]; ok {
		return f
	}
	f := &srcFile{}
	l.files[key] = f
	ctx, cancel := context.WithTimeout(l.ctx, remoteTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, key, nil)
	if err != nil {
		f.err = err
		return f
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.err = err
		return f
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		f.err = fmt.Errorf("GET %s: %s", key, resp.Status)
		return f
	}
	data, err := readLimited(resp.Body)
	if err != nil {
		f.err = fmt.Errorf("GET %s: %w", key, err)
		return f
	}
	f.p, f.err = parseFile(l.rep, key, data)
	if f.err == nil {
		f.em = emitJSON(f.p)
	}
	return f
}

// readURI is the openapi3.ReadFromURIFunc of the load: it enforces the
// reference policy itself (see the SECURITY note on
// openapi3.Loader.ReadFromURIFunc) and serves the guarded, emitted form of
// each file.
func (l *loader) readURI(_ *openapi3.Loader, u *url.URL) ([]byte, error) {
	c := *u
	c.Fragment = ""
	if f, ok := l.files[c.String()]; ok && f.p != nil {
		f.ensureData()
		return f.em.data, nil
	}
	var f *srcFile
	switch c.Scheme {
	case "http", "https":
		if !l.opts.AllowRemoteRefs {
			return nil, fmt.Errorf("remote $ref %q refused; pass -allow-remote-refs to allow", c.String())
		}
		f = l.remote(&c)
	case "", "file":
		if c.Host != "" {
			return nil, fmt.Errorf("$ref %q names a host; refused", c.String())
		}
		p := filepath.FromSlash(c.Path)
		if !filepath.IsAbs(p) {
			p = filepath.Join(l.dir, p)
		}
		if _, err := l.inside(p); err != nil {
			return nil, fmt.Errorf("$ref to %q refused: outside %s", c.Path, l.rootName())
		}
		f = l.external(p)
	default:
		return nil, fmt.Errorf("$ref %q: scheme %q is not supported", c.String(), c.Scheme)
	}
	if f.err != nil {
		return nil, errors.New(fileReason(f.err))
	}
	return f.em.data, nil
}
