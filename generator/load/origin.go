package load

import (
	"reflect"
	"runtime"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v4"
)

// fixOrigins rewrites every Origin of the loaded model, which kin-openapi
// read off the JSON it was handed, to the position in the file the user
// wrote (File as in diagnostics, Line and Column of the element; EndLine
// and EndColumn are cleared, not being known). Later stages can use
// Origins as they are.
func (l *loader) fixOrigins(doc *openapi3.T) {
	if l.made != nil && len(l.files) == 1 {
		// A single file decoded without kin-openapi's Origins: the model
		// holds those addOrigins made and no others. Each is fixed on its
		// own (fixOrigin only reads the loader), so they are fixed in
		// chunks on several goroutines.
		procs := runtime.GOMAXPROCS(0)
		size := max(len(l.made)/(2*procs)+1, 1024)
		var jobs []job
		for start := 0; start < len(l.made); start += size {
			chunk := l.made[start:min(start+size, len(l.made))]
			jobs = append(jobs, job{weight: len(chunk), run: func() error {
				for _, o := range chunk {
					l.fixOrigin(o)
				}
				return nil
			}})
		}
		runJobs(jobs, procs)
		l.made = nil
		return
	}
	seen := make(map[uintptr]bool)
	fixed := make(map[*openapi3.Origin]bool)
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if v.IsNil() {
				return
			}
			if v.Type() == originType {
				if o := v.Interface().(*openapi3.Origin); !fixed[o] {
					fixed[o] = true
					l.fixOrigin(o)
				}
				return
			}
			if seen[v.Pointer()] {
				return
			}
			seen[v.Pointer()] = true
			// Map-like types keep their entries unexported.
			switch m := v.Interface().(type) {
			case *openapi3.Paths:
				for _, e := range m.Map() {
					walk(reflect.ValueOf(e))
				}
			case *openapi3.Responses:
				for _, e := range m.Map() {
					walk(reflect.ValueOf(e))
				}
			case *openapi3.Callback:
				for _, e := range m.Map() {
					walk(reflect.ValueOf(e))
				}
			}
			walk(v.Elem())
		case reflect.Struct:
			for i := range v.NumField() {
				if f := v.Type().Field(i); f.IsExported() && mayHoldOrigin(f.Type) {
					walk(v.Field(i))
				}
			}
		case reflect.Slice, reflect.Array:
			if !mayHoldOrigin(v.Type().Elem()) {
				return
			}
			for i := range v.Len() {
				walk(v.Index(i))
			}
		case reflect.Map:
			if !mayHoldOrigin(v.Type().Elem()) {
				return
			}
			it := v.MapRange()
			for it.Next() {
				walk(it.Value())
			}
		}
	}
	walk(reflect.ValueOf(doc))
}

var openapi3Pkg = reflect.TypeFor[openapi3.T]().PkgPath()

// mayHoldOrigin reports whether values of type t can lead to an Origin:
// kin-openapi's own types and containers of them, not data (any).
func mayHoldOrigin(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	return t.Kind() == reflect.Struct && t.PkgPath() == openapi3Pkg
}

func (l *loader) fixOrigin(o *openapi3.Origin) {
	fix := func(loc *openapi3.Location) {
		f := l.files[loc.File]
		if f == nil || f.p == nil {
			return
		}
		ptr, ok := f.em.pointerAt(loc.Line)
		if !ok {
			return
		}
		p, name := l.position(loc.File, ptr)
		loc.File, loc.Line, loc.Column, loc.EndLine, loc.EndColumn = name, p.line, p.col, 0, 0
	}
	if o.Key != nil {
		fix(o.Key)
	}
	for i := range o.Fields {
		fix(&o.Fields[i])
	}
	for _, locs := range o.Sequences {
		for i := range locs {
			fix(&locs[i])
		}
	}
}

// addOrigins gives a model that kin-openapi decoded without Origins (from
// JSON, see loadOpenAPI3, or from the tree kinTree built, see decodeTree)
// the Origins its YAML decoder gives the text it parses: each object's Key
// is the line of the emitted JSON that starts with it (the line of its key,
// or of the item of a list), Fields place each of its keys and Sequences
// the scalar items of its lists, so that fixOrigins and kinPointer place
// findings as exactly as for any document. tree is the
// document as kinTree builds it, which the model is walked along. An object
// that does not start a line (the first entry of an object in a list) or
// that cannot be found in the tree (a field kin-openapi names differently
// from the JSON key) keeps no Origin; its findings are placed by their
// context. The model is the tree just decoded (no $ref is resolved yet), so
// every object is reached once.
func (l *loader) addOrigins(doc *openapi3.T, tree *yaml.Node) {
	l.made = addOriginsN(doc, tree, l.rootURL.String(), runtime.GOMAXPROCS(0), originSplitMin)
}

// originSplitMin is the fewest lines of emitted text a mapping spans for
// its entries to be walked on goroutines of their own.
const originSplitMin = 1000

// addOriginsN is addOrigins on up to procs goroutines: the entries of a
// mapping of at least minLines lines (the path items, the component
// schemas) are walked in chunks by walkers of their own once the rest is
// walked. Every object is reached once, so the walkers set disjoint
// Origins; it returns them all.
func addOriginsN(doc *openapi3.T, tree *yaml.Node, file string, procs, minLines int) []*openapi3.Origin {
	w := &originWalker{file: file}
	if procs >= 2 {
		total := lastLine(tree) - tree.Line + 1
		w.split = &originSplit{min: minLines, target: max(total/(2*procs), minLines/4)}
	}
	w.walk(reflect.ValueOf(doc), tree.Content[0], itemKey(tree.Content[0]), 0)
	if w.split == nil || len(w.split.jobs) == 0 {
		return w.made
	}
	jobs := make([]job, len(w.split.jobs))
	walkers := make([]*originWalker, len(w.split.jobs))
	for i, j := range w.split.jobs {
		walkers[i] = &originWalker{file: file}
		jobs[i] = job{weight: j.weight, run: func() error {
			for _, e := range j.entries {
				walkers[i].walk(e.v, e.n, e.at, e.depth)
			}
			return nil
		}}
	}
	runJobs(jobs, procs)
	made := w.made
	for _, sw := range walkers {
		made = append(made, sw.made...)
	}
	return made
}

// originWalker walks a model along its tree, giving it Origins (made).
type originWalker struct {
	file  string
	made  []*openapi3.Origin
	split *originSplit // on the document's walker: what is left to others
}

type originSplit struct {
	min, target int // lines
	jobs        []originJob
}

// originJob is a chunk of entries of a mapping.
type originJob struct {
	weight  int
	entries []originEntry
}

// originEntry is a walk call left for later.
type originEntry struct {
	v     reflect.Value
	n     *yaml.Node
	at    key
	depth int
}

// An element's Key is the key above it (a list item's: its own first
// key), at that key's line, as kin-openapi records it.
func keyOf(k *yaml.Node) key { return key{k.Line, k.Value} }

func itemKey(item *yaml.Node) key {
	if item.Kind == yaml.MappingNode && len(item.Content) > 0 {
		return keyOf(item.Content[0])
	}
	return key{}
}

// entries walks the entries of the mapping n, whose model value for a key
// lookup gives, or leaves them to chunks when the mapping is large.
func (w *originWalker) entries(n *yaml.Node, lookup func(string) reflect.Value, depth int) {
	s := w.split
	if s == nil || len(n.Content) < 4 || lastLine(n)-n.Line+1 < s.min {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if e := lookup(n.Content[i].Value); e.IsValid() {
				w.walk(e, n.Content[i+1], keyOf(n.Content[i]), depth)
			}
		}
		return
	}
	for _, c := range chunkMapping(n, s.target) {
		j := originJob{weight: c.weight}
		for i := 0; i+1 < len(c.node.Content); i += 2 {
			if e := lookup(c.node.Content[i].Value); e.IsValid() {
				j.entries = append(j.entries, originEntry{e, c.node.Content[i+1], keyOf(c.node.Content[i]), depth})
			}
		}
		s.jobs = append(s.jobs, j)
	}
}

func (w *originWalker) walk(v reflect.Value, n *yaml.Node, at key, depth int) {
	file := w.file
	if depth > 4*MaxDepth {
		return // not a tree after all: never loop
	}
	depth++
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || v.Type() == originType {
			return
		}
		var lookup func(string) reflect.Value
		switch m := v.Interface().(type) {
		case *openapi3.Paths:
			lookup = func(k string) reflect.Value { return reflect.ValueOf(m.Value(k)) }
		case *openapi3.Responses:
			lookup = func(k string) reflect.Value { return reflect.ValueOf(m.Value(k)) }
		case *openapi3.Callback:
			lookup = func(k string) reflect.Value { return reflect.ValueOf(m.Value(k)) }
		}
		if lookup != nil && n.Kind == yaml.MappingNode {
			w.entries(n, lookup, depth)
		}
		w.walk(v.Elem(), n, at, depth)
	case reflect.Struct:
		plan := planOf(v.Type())
		if plan.origin != nil && at.line > 0 {
			if o := v.FieldByIndex(plan.origin); o.IsNil() && o.CanSet() {
				// As kin-openapi's parse records them: every key of the
				// object, and the scalar items of its lists.
				origin := &openapi3.Origin{Key: &openapi3.Location{File: file, Line: at.line, Name: at.name}}
				if n.Kind == yaml.MappingNode {
					origin.Fields = make(openapi3.FieldLocations, 0, len(n.Content)/2)
					for i := 0; i+1 < len(n.Content); i += 2 {
						k, val := n.Content[i], n.Content[i+1]
						origin.Fields = append(origin.Fields, openapi3.Location{File: file, Line: k.Line, Column: k.Column, Name: k.Value})
						if val.Kind != yaml.SequenceNode {
							continue
						}
						var locs []openapi3.Location
						for _, item := range val.Content {
							if item.Kind == yaml.ScalarNode {
								locs = append(locs, openapi3.Location{File: file, Line: item.Line, Column: item.Column, Name: item.Value})
							}
						}
						if len(locs) > 0 {
							if origin.Sequences == nil {
								origin.Sequences = make(map[string][]openapi3.Location)
							}
							origin.Sequences[k.Value] = locs
						}
					}
				}
				o.Set(reflect.ValueOf(origin))
				w.made = append(w.made, origin)
			}
		}
		if plan.ref != nil {
			// A $ref's target is placed where it is written.
			if v.FieldByIndex(plan.ref).String() == "" {
				w.walk(v.FieldByIndex(plan.value), n, at, depth)
			}
			return
		}
		if plan.schema != nil {
			w.walk(v.FieldByIndex(plan.schema), n, at, depth)
			return
		}
		for _, f := range plan.kids {
			c := v.Field(f.index)
			switch c.Kind() {
			case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface:
				if c.IsNil() {
					continue
				}
			}
			if f.name == "" {
				w.walk(c, n, at, depth)
			} else if k, cn := get(n, f.name); cn != nil {
				w.walk(c, cn, keyOf(k), depth)
			}
		}
	case reflect.Slice, reflect.Array:
		if n.Kind != yaml.SequenceNode {
			return
		}
		for i := range min(v.Len(), len(n.Content)) {
			w.walk(v.Index(i), n.Content[i], itemKey(n.Content[i]), depth)
		}
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String || n.Kind != yaml.MappingNode {
			return
		}
		kt := v.Type().Key()
		w.entries(n, func(k string) reflect.Value { return v.MapIndex(reflect.ValueOf(k).Convert(kt)) }, depth)
	}
}

// key is where an element's Key is: the line (of the emitted JSON) and the
// name of the key above it.
type key struct {
	line int
	name string
}

// originPlan is what addOrigins needs to know of a struct type of
// kin-openapi's model, read once per type.
type originPlan struct {
	origin     []int       // the *Origin field, or nil
	ref, value []int       // a $ref wrapper's Ref and Value, or nil
	schema     []int       // AdditionalProperties' Schema, or nil
	kids       []planField // the fields that can lead to Origins
}

// planField is a field by index and JSON name ("" for an embedded struct
// whose fields are the object's own).
type planField struct {
	index int
	name  string
}

var originPlans sync.Map // reflect.Type -> *originPlan

func planOf(t reflect.Type) *originPlan {
	if p, ok := originPlans.Load(t); ok {
		return p.(*originPlan)
	}
	p := &originPlan{}
	if f, ok := t.FieldByName("Origin"); ok && f.Type == originType {
		p.origin = f.Index
	}
	ref, rok := t.FieldByName("Ref")
	val, vok := t.FieldByName("Value")
	if rok && vok && ref.Type.Kind() == reflect.String && val.Type.Kind() == reflect.Pointer {
		p.ref, p.value = ref.Index, val.Index
	}
	if t == reflect.TypeFor[openapi3.AdditionalProperties]() {
		f, _ := t.FieldByName("Schema")
		p.schema = f.Index
	}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case !mayHoldOrigin(f.Type):
		case f.Anonymous && name == "":
			p.kids = append(p.kids, planField{i, ""})
		case name != "" && name != "-":
			p.kids = append(p.kids, planField{i, name})
		}
	}
	originPlans.Store(t, p)
	return p
}
