package load

import (
	"fmt"
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
func (l *loader) repairTemplateNames(paths *yaml.Node, keys map[string]*yaml.Node) {
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
		l.rep.repair("path-variable-pattern", l.name, nodePos(k), old,
			fmt.Sprintf("path variable names end before a \":\" pattern or a \"*\" (router syntax, not OpenAPI): %s", strings.Join(notes, "; ")))
		k.Value = fixed
	}
}

// pathVarOK reports whether a path variable's name is one the repair may
// produce: no braces or slashes (which would change the template).
func pathVarOK(name string) bool {
	return !strings.ContainsAny(name, "{}/")
}
