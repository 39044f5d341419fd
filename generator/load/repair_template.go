package load

import (
	"fmt"
	"net/url"
	"strings"

	"go.yaml.in/yaml/v4"
)

// repairTemplateNames rewrites the path variables that carry a router's
// pattern syntax, {id:[0-9]+} or {rest*}, as plain {id} and {rest}.
// OpenAPI has no such syntax, but specs generated from gorilla/mux,
// Starlette or RFC 6570 templates keep it, and kin-openapi (like most
// tools) reads everything from ":" on, and a trailing "*", as not part of
// the name. A path parameter declared under the whole text ("insight_id:"
// for {insight_id:}) is renamed with its variable; the name of a path
// parameter is never sent, only its value.
func (l *loader) repairTemplateNames(paths *yaml.Node, keys map[string]*yaml.Node) (moves [][2]string) {
	for i := 0; i+1 < len(paths.Content); i += 2 {
		k, item := paths.Content[i], paths.Content[i+1]
		if !strings.Contains(k.Value, "{") || !isMap(item) {
			continue
		}
		var renames [][2]string // variable -> plain name
		vars := map[string]bool{}
		for _, m := range pathVarRE.FindAllStringSubmatch(k.Value, -1) {
			vars[m[1]] = true
		}
		for _, m := range pathVarRE.FindAllStringSubmatch(k.Value, -1) {
			v := m[1]
			plain, _, _ := strings.Cut(v, ":")
			plain = strings.TrimSuffix(plain, "*")
			if plain == v || plain == "" || vars[plain] || !pathVarOK(plain) {
				continue
			}
			renames = append(renames, [2]string{v, plain})
			vars[plain] = true
		}
		if len(renames) == 0 {
			continue
		}
		lists := []*yaml.Node{val(item, "parameters")}
		for _, m := range methods {
			lists = append(lists, val(val(item, m), "parameters"))
		}
		fixed := k.Value
		for _, r := range renames {
			fixed = strings.Replace(fixed, "{"+r[0]+"}", "{"+r[1]+"}", 1)
		}
		if other, ok := keys[fixed]; ok && other != k {
			continue // the rewritten path is another path; kin-openapi reports the clash
		}
		var notes []string
		for _, r := range renames {
			note := fmt.Sprintf("{%s} read as {%s}", r[0], r[1])
			renamed := false
			for _, list := range lists {
				if !isSeq(list) {
					continue
				}
				for _, p := range list.Content {
					// A $ref'd parameter (a component) is renamed where
					// it is: every path using it has its template.
					p = l.localTarget(p)
					if name, in := val(p, "name"), val(p, "in"); name != nil && in != nil && in.Value == "path" && name.Value == r[0] {
						name.Value = r[1]
						renamed = true
					}
				}
			}
			if renamed {
				note += fmt.Sprintf(", its parameter %q named %q", r[0], r[1])
			}
			notes = append(notes, note)
		}
		old := join("/paths", k.Value)
		delete(keys, k.Value)
		keys[fixed] = k
		if l.renamed == nil {
			l.renamed = make(map[string]string)
		}
		if o, ok := l.renamed[old]; ok {
			delete(l.renamed, old)
			old = o
		}
		l.renamed[join("/paths", fixed)] = old
		l.root.index[join("/paths", fixed)] = nodePos(k)
		moves = append(moves, [2]string{join("/paths", k.Value), join("/paths", fixed)})
		l.rep.repair("path-variable-pattern", l.name, nodePos(k), old,
			fmt.Sprintf("path variable names end before a \":\" pattern or a \"*\" (router syntax, not OpenAPI): %s", strings.Join(notes, "; ")))
		k.Value = fixed
	}
	return moves
}

// pathVarOK reports whether a path variable's name is one the repair may
// produce: no braces or slashes (which would change the template).
func pathVarOK(name string) bool {
	return !strings.ContainsAny(name, "{}/")
}

// localTarget follows local $refs from n (a few hops) to the object they
// name; n itself when it holds none, or when they lead nowhere.
func (l *loader) localTarget(n *yaml.Node) *yaml.Node {
	for range 8 {
		r := val(n, "$ref")
		if r == nil || r.Kind != yaml.ScalarNode || !strings.HasPrefix(r.Value, "#") {
			return n
		}
		t, _, _, ok, _ := l.resolve(l.rootLoc(), r.Value)
		if !ok {
			return n
		}
		n = t
	}
	return n
}

// rewritePathRefs points the document's local $refs into renamed path items
// at their new names (bundlers write $refs to the place in paths where they
// met an object first). moves maps old pointers to new ones.
func (l *loader) rewritePathRefs(moves [][2]string) {
	if len(moves) == 0 {
		return
	}
	var refs []refUse
	collectRefs(l.root.root, "", "", &refs)
	for _, r := range refs {
		if !strings.HasPrefix(r.ref, "#/paths/") {
			continue
		}
		frag, err := url.PathUnescape(r.ref[1:])
		if err != nil {
			continue
		}
		for _, m := range moves {
			if frag == m[0] || strings.HasPrefix(frag, m[0]+"/") {
				r.val.Value = "#" + (&url.URL{Fragment: m[1] + frag[len(m[0]):]}).EscapedFragment()
				break
			}
		}
	}
}
