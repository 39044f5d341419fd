package load

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v4"
)

// repairBodies2 makes a Swagger 2.0 operation's request body one thing, as
// Swagger 2.0 requires and the conversion to OpenAPI 3 refuses otherwise:
// at most one body parameter (the first is kept), and no formData
// parameters beside it (the body is kept: it says the whole payload, the
// form fields are then not what is sent). The body and form parameters of
// the path item are first moved into its operations (Swagger 2.0 applies
// them to each operation that does not override them: one of the same
// name and location, or the operation's own body or form, wins), so that
// one operation's own payload can win over the path's without touching
// the others.
func (l *loader) repairBodies2(op *yaml.Node, ptr string) {
	segs := strings.Split(ptr, "/")
	if len(segs) != 4 || segs[1] != "paths" {
		return
	}
	item := val(val(l.root.root, "paths"), unescapeToken(segs[2]))
	l.pushDownBodies2(item, "/paths/"+segs[2])
	list := val(op, "parameters")
	entries, _ := l.paramEntries(list)
	var body *paramRef
	var forms []paramRef
	drop := map[*yaml.Node]string{}
	for i := range entries {
		p := &entries[i]
		switch p.in {
		case "body":
			if body == nil {
				body = p
			} else {
				drop[p.node] = fmt.Sprintf("body parameter %q: a Swagger 2.0 operation has one body at most (%q is kept); dropped", p.name, body.name)
			}
		case "formData":
			forms = append(forms, *p)
		}
	}
	if body != nil {
		for _, f := range forms {
			drop[f.node] = fmt.Sprintf("formData parameter %q beside the body parameter %q (a Swagger 2.0 operation sends one or the other); dropped", f.name, body.name)
		}
	}
	if len(drop) == 0 {
		return
	}
	kept := list.Content[:0:0]
	for i, p := range list.Content {
		if msg, ok := drop[p]; ok {
			l.rep.repair("swagger2-body", l.name, nodePos(p), ptr+"/parameters/"+strconv.Itoa(i), msg)
			continue
		}
		kept = append(kept, p)
	}
	list.Content = kept
}

// pushDownBodies2 moves a Swagger 2.0 path item's body and formData
// parameters into each of its operations that does not declare one of the
// same name and location, and removes them from the path item.
func (l *loader) pushDownBodies2(item *yaml.Node, ptr string) {
	list := val(item, "parameters")
	shared, _ := l.paramEntries(list)
	var move []paramRef
	for _, p := range shared {
		if p.in == "body" || p.in == "formData" {
			move = append(move, p)
		}
	}
	if len(move) == 0 {
		return
	}
	for _, m := range methods {
		op := val(item, m)
		if !isMap(op) {
			continue
		}
		own, _ := l.paramEntries(val(op, "parameters"))
		opList := val(op, "parameters")
		ownBody, ownForm := false, false
		for _, o := range own {
			ownBody = ownBody || o.in == "body"
			ownForm = ownForm || o.in == "formData"
		}
		for _, p := range move {
			// The operation's own payload wins: a path's body does not
			// join an operation that sends a form, nor a path's form
			// field one that sends a body.
			overridden := false
			for _, o := range own {
				overridden = overridden || o.in == p.in && o.name == p.name
			}
			if overridden {
				continue // Swagger 2.0's own override
			}
			if p.in == "body" && (ownBody || ownForm) || p.in == "formData" && ownBody {
				what := "body"
				if ownForm && !ownBody {
					what = "form"
				}
				i := slices.Index(list.Content, p.node)
				l.rep.repair("swagger2-body", l.name, nodePos(p.node), ptr+"/parameters/"+strconv.Itoa(i),
					fmt.Sprintf("the path's %s parameter %q does not apply to %s, which sends a %s of its own (a Swagger 2.0 operation sends one body or one form)", p.in, p.name, strings.ToUpper(m), what))
				continue
			}
			if !isSeq(opList) {
				at := nodePos(op)
				opList = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: at.line, Column: at.col}
				set(op, "parameters", opList, at)
			}
			opList.Content = append(opList.Content, p.node)
		}
	}
	kept := list.Content[:0:0]
	for _, n := range list.Content {
		moved := false
		for _, p := range move {
			moved = moved || p.node == n
		}
		if !moved {
			kept = append(kept, n)
		}
	}
	list.Content = kept
	l.edits++ // the same document, said another way
}
