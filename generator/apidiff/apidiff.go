// Package apidiff compares the exported Go API of two versions of a
// generated package and describes the changes in words a reviewer can
// paste into a pull request: what was removed or renamed, which types
// changed, which required fields became optional (and so changed from a
// value to a pointer), each marked breaking or compatible.
//
// It compares Go, not OpenAPI: both versions are parsed and type-checked
// with go/parser and go/types, so a change in the generator (a new naming
// rule) is reported as faithfully as a change in the spec. Generated code
// imports only the standard library, which is all the importer resolves;
// anything it cannot resolve is tolerated, since an identifier's type is
// still printed by name.
package apidiff

import (
	"fmt"
	"go/ast"
	"go/build"
	"go/build/constraint"
	"go/constant"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strings"
)

// Change is one difference in the exported API.
type Change struct {
	// Breaking is set when code using the old API may no longer compile
	// or may silently behave differently.
	Breaking bool
	// Text describes the change ("method (*Client).GetX removed").
	Text string
}

// Report is the list of changes, breaking ones first, each group sorted.
type Report struct {
	Changes []Change
}

// Breaking reports whether any change is breaking.
func (r Report) Breaking() bool {
	for _, c := range r.Changes {
		if c.Breaking {
			return true
		}
	}
	return false
}

// Text renders the report as plain lines, "breaking: ..." or
// "compatible: ...". An empty report renders as "".
func (r Report) Text() string {
	var b strings.Builder
	for _, c := range r.Changes {
		if c.Breaking {
			b.WriteString("breaking: ")
		} else {
			b.WriteString("compatible: ")
		}
		b.WriteString(c.Text + "\n")
	}
	return b.String()
}

// Markdown renders the report for a pull-request comment; title names the
// package. An empty report says the API is unchanged.
func (r Report) Markdown(title string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "### Go API changes in %s\n\n", title)
	if len(r.Changes) == 0 {
		b.WriteString("No changes to the exported Go API.\n")
		return b.String()
	}
	var breaking, compatible []string
	for _, c := range r.Changes {
		line := "- " + mdEscaper.Replace(strings.ReplaceAll(c.Text, "\n", " "))
		if c.Breaking {
			breaking = append(breaking, line)
		} else {
			compatible = append(compatible, line)
		}
	}
	if len(breaking) > 0 {
		b.WriteString("**Breaking:**\n\n" + strings.Join(breaking, "\n") + "\n\n")
	}
	if len(compatible) > 0 {
		b.WriteString("Compatible:\n\n" + strings.Join(compatible, "\n") + "\n")
	}
	return b.String()
}

// mdEscaper keeps type spellings (*T, []T, Nullable[T], snake_case) from
// turning into emphasis or links in Markdown.
var mdEscaper = strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "`", "\\`", "<", "&lt;")

// File is one Go source file of a package version.
type File struct {
	Name    string
	Content []byte
}

// Compare describes how the exported API of newer differs from older.
// Files whose build constraint excludes them for the running toolchain are
// left out, as the compiler would. It fails only when a file does not parse.
func Compare(older, newer []File) (Report, error) {
	op, err := load(older)
	if err != nil {
		return Report{}, fmt.Errorf("old package: %w", err)
	}
	np, err := load(newer)
	if err != nil {
		return Report{}, fmt.Errorf("new package: %w", err)
	}
	d := &differ{old: op, new: np, typeRenames: map[string]string{}}
	d.scope(op.Scope(), np.Scope())
	sort.SliceStable(d.changes, func(i, j int) bool {
		a, b := d.changes[i], d.changes[j]
		if a.Breaking != b.Breaking {
			return a.Breaking
		}
		return a.Text < b.Text
	})
	return Report{Changes: d.changes}, nil
}

func load(files []File) (*types.Package, error) {
	fset := token.NewFileSet()
	var parsed []*ast.File
	name := ""
	for _, f := range files {
		af, err := parser.ParseFile(fset, f.Name, f.Content, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		if !builds(af) {
			continue
		}
		if name == "" {
			name = af.Name.Name
		}
		parsed = append(parsed, af)
	}
	if name == "" {
		name = "p"
	}
	conf := types.Config{
		Importer: stdImporter(fset),
		// Errors are tolerated: the API is read from declarations, which
		// type-check independently of function bodies.
		Error:            func(error) {},
		IgnoreFuncBodies: true,
	}
	pkg, _ := conf.Check(name, fset, parsed, nil)
	return pkg, nil
}

// stdImporter resolves standard-library imports from compiler export data
// (fast, cached by the go command), falling back to source.
func stdImporter(fset *token.FileSet) types.Importer {
	return &fallback{gc: importer.Default(), src: importer.ForCompiler(fset, "source", nil)}
}

type fallback struct{ gc, src types.Importer }

func (f *fallback) Import(path string) (*types.Package, error) {
	if p, err := f.gc.Import(path); err == nil {
		return p, nil
	}
	return f.src.Import(path)
}

// builds evaluates a file's //go:build line for the running toolchain.
func builds(f *ast.File) bool {
	for _, cg := range f.Comments {
		if cg.Pos() > f.Package {
			break
		}
		for _, c := range cg.List {
			if !constraint.IsGoBuild(c.Text) {
				continue
			}
			expr, err := constraint.Parse(c.Text)
			if err != nil {
				return true
			}
			return expr.Eval(func(tag string) bool {
				if tag == build.Default.GOOS || tag == build.Default.GOARCH || tag == build.Default.Compiler {
					return true
				}
				for _, r := range build.Default.ReleaseTags {
					if r == tag {
						return true
					}
				}
				return false
			})
		}
	}
	return true
}

type differ struct {
	old, new *types.Package
	changes  []Change
	// typeRenames maps renamed types (old name to new), so that types
	// spelt with them print under the new name.
	typeRenames map[string]string
}

func isType(o types.Object) bool {
	_, ok := o.(*types.TypeName)
	return ok
}

// renameTypes rewrites the renamed package-local type names in a type
// string (identifiers not preceded by a '.', which would be another
// package's).
func (d *differ) renameTypes(s string) string {
	if len(d.typeRenames) == 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			b.WriteByte(c)
			i++
			continue
		}
		j := i
		for j < len(s) && (s[j] == '_' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= '0' && s[j] <= '9') {
			j++
		}
		id := s[i:j]
		if to, ok := d.typeRenames[id]; ok && (i == 0 || s[i-1] != '.') {
			id = to
		}
		b.WriteString(id)
		i = j
	}
	return b.String()
}

func (d *differ) add(breaking bool, format string, args ...any) {
	d.changes = append(d.changes, Change{Breaking: breaking, Text: fmt.Sprintf(format, args...)})
}

// ts prints t with the compared package's own names unqualified, so
// types of the two versions (different *types.Package values) compare by
// spelling; other packages keep their name (json.RawMessage).
func (d *differ) ts(t types.Type) string {
	return d.renameTypes(types.TypeString(t, func(p *types.Package) string {
		if p == d.old || p == d.new {
			return ""
		}
		return p.Name()
	}))
}

func kind(o types.Object) string {
	switch o := o.(type) {
	case *types.Const:
		return "constant"
	case *types.Var:
		return "variable"
	case *types.Func:
		return "function"
	case *types.TypeName:
		if o.IsAlias() {
			return "type alias"
		}
		return "type"
	}
	return "identifier"
}

func exported(s *types.Scope) map[string]types.Object {
	m := map[string]types.Object{}
	if s == nil {
		return m
	}
	for _, n := range s.Names() {
		if o := s.Lookup(n); o.Exported() {
			m[n] = o
		}
	}
	return m
}

// sortedNames returns a map's keys in byte order.
func sortedNames[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// shape is what a renamed package-level object keeps: its kind and type
// (for a type, its underlying type and methods).
func (d *differ) shape(o types.Object) string {
	s := kind(o) + " "
	if tn, ok := o.(*types.TypeName); ok {
		s += d.ts(tn.Type().Underlying())
		for _, m := range d.methodNames(tn.Type()) {
			s += " " + m
		}
		return s
	}
	s += d.ts(o.Type())
	if c, ok := o.(*types.Const); ok {
		s += " = " + c.Val().ExactString()
	}
	return s
}

func (d *differ) scope(os, ns *types.Scope) {
	oldObjs, newObjs := exported(os), exported(ns)
	var removed, added []string
	for _, n := range sortedNames(oldObjs) {
		if _, ok := newObjs[n]; !ok {
			removed = append(removed, n)
		}
	}
	for _, n := range sortedNames(newObjs) {
		if _, ok := oldObjs[n]; !ok {
			added = append(added, n)
		}
	}
	// A removed and an added object of one shape, unique on both sides,
	// were renamed. Types first: once a type's rename is known, the
	// shapes of everything spelt with it (its enum constants, fields of
	// its type) compare under the new name.
	renamed := map[string]string{}
	isNew := map[string]bool{}
	for _, types := range []bool{true, false} {
		// A name that only changed case (a new word split: Invoiceitem
		// to InvoiceItem) is a rename whatever the shape, which many
		// objects share (every string enum type looks alike).
		oldFold, newFold := map[string][]string{}, map[string][]string{}
		for _, n := range removed {
			if isType(oldObjs[n]) == types {
				oldFold[strings.ToLower(n)] = append(oldFold[strings.ToLower(n)], n)
			}
		}
		for _, n := range added {
			if isType(newObjs[n]) == types {
				newFold[strings.ToLower(n)] = append(newFold[strings.ToLower(n)], n)
			}
		}
		for _, k := range sortedNames(oldFold) {
			on, nn := oldFold[k], newFold[k]
			if len(on) == 1 && len(nn) == 1 && kind(oldObjs[on[0]]) == kind(newObjs[nn[0]]) {
				renamed[on[0]], isNew[nn[0]] = nn[0], true
				if types {
					d.typeRenames[on[0]] = nn[0]
				}
			}
		}
		oldShapes, newShapes := map[string][]string{}, map[string][]string{}
		for _, n := range removed {
			if _, done := renamed[n]; done {
				continue
			}
			if isType(oldObjs[n]) == types {
				sh := d.shape(oldObjs[n])
				oldShapes[sh] = append(oldShapes[sh], n)
			}
		}
		for _, n := range added {
			if isNew[n] {
				continue
			}
			if isType(newObjs[n]) == types {
				sh := d.shape(newObjs[n])
				newShapes[sh] = append(newShapes[sh], n)
			}
		}
		for _, sh := range sortedNames(oldShapes) {
			on := oldShapes[sh]
			if nn := newShapes[sh]; len(on) == 1 && len(nn) == 1 {
				renamed[on[0]] = nn[0]
				if types {
					d.typeRenames[on[0]] = nn[0]
				}
			}
		}
	}
	isTarget := map[string]bool{}
	for _, n := range removed {
		o := oldObjs[n]
		if to, ok := renamed[n]; ok {
			isTarget[to] = true
			d.add(true, "%s %s renamed to %s", kind(o), n, to)
			d.object(o, newObjs[to], to)
			continue
		}
		d.add(true, "%s %s removed", kind(o), n)
	}
	for _, n := range added {
		if !isTarget[n] {
			d.add(false, "%s %s added", kind(newObjs[n]), n)
		}
	}
	for _, n := range sortedNames(oldObjs) {
		if no, ok := newObjs[n]; ok {
			d.object(oldObjs[n], no, n)
		}
	}
}

// object compares one package-level object with its counterpart.
func (d *differ) object(o, n types.Object, name string) {
	if kind(o) != kind(n) {
		d.add(true, "%s %s is now a %s", kind(o), name, kind(n))
		return
	}
	switch o := o.(type) {
	case *types.Const:
		nc := n.(*types.Const)
		if ot, nt := d.ts(o.Type()), d.ts(nc.Type()); ot != nt {
			d.add(true, "constant %s changed type from %s to %s", name, ot, nt)
		} else if !constant.Compare(o.Val(), token.EQL, nc.Val()) {
			d.add(true, "constant %s changed value from %s to %s", name, o.Val().ExactString(), nc.Val().ExactString())
		}
	case *types.Func:
		d.signature("function "+name, o.Type(), n.Type())
	case *types.Var:
		if ot, nt := d.ts(o.Type()), d.ts(n.Type()); ot != nt {
			d.add(true, "%s %s changed from %s to %s", kind(o), name, ot, nt)
		}
	case *types.TypeName:
		d.typeName(o, n.(*types.TypeName), name)
	}
}

func (d *differ) typeName(o, n *types.TypeName, name string) {
	ou, nu := o.Type().Underlying(), n.Type().Underlying()
	if o.IsAlias() || n.IsAlias() {
		if ot, nt := d.ts(o.Type()), d.ts(n.Type()); ot != nt {
			d.add(true, "type %s changed from %s to %s", name, ot, nt)
		}
		return
	}
	os, ok1 := ou.(*types.Struct)
	ns, ok2 := nu.(*types.Struct)
	switch {
	case ok1 && ok2:
		d.fields(name, os, ns)
	case ok1 != ok2:
		d.add(true, "type %s changed from %s to %s", name, d.kindOfType(ou), d.kindOfType(nu))
	default:
		if oi, ok := ou.(*types.Interface); ok {
			if ni, ok := nu.(*types.Interface); ok {
				d.iface(name, oi, ni)
				break
			}
		}
		if ot, nt := d.ts(ou), d.ts(nu); ot != nt {
			d.add(true, "type %s changed from %s to %s", name, ot, nt)
		}
	}
	d.methods(name, o.Type(), n.Type())
}

func (d *differ) kindOfType(t types.Type) string {
	switch t.(type) {
	case *types.Struct:
		return "a struct"
	case *types.Interface:
		return "an interface"
	}
	return d.ts(t)
}

// field is an exported struct field with its JSON name.
type field struct {
	typ, tag, json string
	index          int
}

func (d *differ) structFields(s *types.Struct) map[string]field {
	m := map[string]field{}
	for i := 0; i < s.NumFields(); i++ {
		f := s.Field(i)
		if !f.Exported() {
			continue
		}
		tag := s.Tag(i)
		js := strings.Split(reflect.StructTag(tag).Get("json"), ",")[0]
		m[f.Name()] = field{typ: d.ts(f.Type()), tag: tag, json: js, index: i}
	}
	return m
}

func (d *differ) fields(typeName string, os, ns *types.Struct) {
	of, nf := d.structFields(os), d.structFields(ns)
	var removed, added []string
	for _, n := range sortedNames(of) {
		if _, ok := nf[n]; !ok {
			removed = append(removed, n)
		}
	}
	for _, n := range sortedNames(nf) {
		if _, ok := of[n]; !ok {
			added = append(added, n)
		}
	}
	// Renames: same JSON name (a Go-only rename); else the only removed
	// and the only added field, of one type (a renamed property).
	renamed := map[string]string{}
	used := map[string]bool{}
	for _, r := range removed {
		for _, a := range added {
			if !used[a] && of[r].json != "" && of[r].json == nf[a].json {
				renamed[r], used[a] = a, true
				break
			}
		}
	}
	// Else a removed field whose type no other removed field has, and
	// exactly one added field has, was renamed (a renamed property).
	byType := func(names []string, fs map[string]field, skip map[string]bool) map[string][]string {
		m := map[string][]string{}
		for _, n := range names {
			if !skip[n] {
				m[fs[n].typ] = append(m[fs[n].typ], n)
			}
		}
		return m
	}
	paired := map[string]bool{}
	for r := range renamed {
		paired[r] = true
	}
	rt, at := byType(removed, of, paired), byType(added, nf, used)
	for _, r := range removed {
		if paired[r] {
			continue
		}
		if rs, as := rt[of[r].typ], at[of[r].typ]; len(rs) == 1 && len(as) == 1 {
			renamed[r], used[as[0]] = as[0], true
		}
	}
	for _, r := range removed {
		a, ok := renamed[r]
		if !ok {
			d.add(true, "field %s.%s removed", typeName, r)
			continue
		}
		wire := ""
		if of[r].json != nf[a].json {
			wire = fmt.Sprintf(" (JSON %q → %q)", of[r].json, nf[a].json)
		}
		d.add(true, "field %s.%s renamed to %s%s", typeName, r, a, wire)
		o := of[r]
		o.json = nf[a].json // reported with the rename
		d.field(typeName, a, o, nf[a])
	}
	for _, a := range added {
		if used[a] {
			continue
		}
		opt := "optional"
		if !strings.Contains(nf[a].tag, "omitempty") && !strings.Contains(nf[a].tag, "omitzero") {
			opt = "required"
		}
		d.add(false, "field %s.%s added (%s, %s)", typeName, a, nf[a].typ, opt)
	}
	for _, n := range sortedNames(of) {
		if f, ok := nf[n]; ok {
			d.field(typeName, n, of[n], f)
		}
	}
}

func (d *differ) field(typeName, name string, o, n field) {
	switch {
	case o.typ == n.typ:
	case "*"+o.typ == n.typ, "Nullable["+o.typ+"]" == n.typ:
		d.add(true, "field %s.%s became optional: %s → %s", typeName, name, o.typ, n.typ)
	case o.typ == "*"+n.typ, o.typ == "Nullable["+n.typ+"]":
		d.add(true, "field %s.%s became required: %s → %s", typeName, name, o.typ, n.typ)
	default:
		d.add(true, "field %s.%s changed type from %s to %s", typeName, name, o.typ, n.typ)
	}
	if o.typ == n.typ && o.json != n.json {
		d.add(true, "field %s.%s changed JSON name from %q to %q", typeName, name, o.json, n.json)
	}
}

func (d *differ) iface(name string, o, n *types.Interface) {
	om, nm := map[string]string{}, map[string]string{}
	for i := 0; i < o.NumMethods(); i++ {
		om[o.Method(i).Name()] = d.ts(o.Method(i).Type())
	}
	for i := 0; i < n.NumMethods(); i++ {
		nm[n.Method(i).Name()] = d.ts(n.Method(i).Type())
	}
	for _, m := range sortedNames(om) {
		if s, ok := nm[m]; !ok {
			if token.IsExported(m) {
				d.add(true, "interface %s lost method %s", name, m)
			}
		} else if s != om[m] {
			d.add(true, "interface %s method %s changed from %s to %s", name, m, om[m], s)
		}
	}
	for _, m := range sortedNames(nm) {
		if _, ok := om[m]; !ok {
			// Adding a method breaks implementations outside the
			// package; a sealed interface (one unexported method) has
			// none, and its marker methods are no one else's business.
			switch {
			case !sealed(o):
				d.add(true, "interface %s gained method %s", name, m)
			case token.IsExported(m):
				d.add(false, "interface %s gained method %s", name, m)
			}
		}
	}
}

func sealed(i *types.Interface) bool {
	for j := 0; j < i.NumMethods(); j++ {
		if !i.Method(j).Exported() {
			return true
		}
	}
	return false
}

// methodNames lists the exported methods of *T with their signatures.
func (d *differ) methodNames(t types.Type) []string {
	ms := types.NewMethodSet(types.NewPointer(t))
	var out []string
	for i := 0; i < ms.Len(); i++ {
		f := ms.At(i).Obj()
		if f.Exported() {
			out = append(out, f.Name()+d.ts(f.Type()))
		}
	}
	sort.Strings(out)
	return out
}

func (d *differ) methods(typeName string, o, n types.Type) {
	if _, ok := o.Underlying().(*types.Interface); ok {
		return
	}
	collect := func(t types.Type) map[string]*types.Func {
		m := map[string]*types.Func{}
		ms := types.NewMethodSet(types.NewPointer(t))
		for i := 0; i < ms.Len(); i++ {
			if f, ok := ms.At(i).Obj().(*types.Func); ok && f.Exported() {
				m[f.Name()] = f
			}
		}
		return m
	}
	om, nm := collect(o), collect(n)
	recv := func(f *types.Func) string {
		if sig, ok := f.Type().(*types.Signature); ok && sig.Recv() != nil {
			if _, ptr := sig.Recv().Type().(*types.Pointer); ptr {
				return "(*" + typeName + ")"
			}
		}
		return typeName
	}
	// A method whose name only changed case was renamed.
	fold := map[string][]string{}
	for _, m := range sortedNames(nm) {
		if _, ok := om[m]; !ok {
			fold[strings.ToLower(m)] = append(fold[strings.ToLower(m)], m)
		}
	}
	renamedTo := map[string]bool{}
	for _, m := range sortedNames(om) {
		nf, ok := nm[m]
		if !ok {
			if c := fold[strings.ToLower(m)]; len(c) == 1 {
				renamedTo[c[0]] = true
				d.add(true, "method %s.%s renamed to %s", recv(om[m]), m, c[0])
				d.signature("method "+recv(nm[c[0]])+"."+c[0], om[m].Type(), nm[c[0]].Type())
				continue
			}
			d.add(true, "method %s.%s removed", recv(om[m]), m)
			continue
		}
		d.signature("method "+recv(om[m])+"."+m, om[m].Type(), nf.Type())
	}
	for _, m := range sortedNames(nm) {
		if _, ok := om[m]; !ok && !renamedTo[m] {
			d.add(false, "method %s.%s added", recv(nm[m]), m)
		}
	}
}

// signature reports a changed function or method signature: parameter by
// parameter and result by result when their number is unchanged (what a
// reviewer needs: "parameter req changed from *A to *B"), else whole.
func (d *differ) signature(what string, o, n types.Type) {
	ot, nt := d.ts(o), d.ts(n)
	if ot == nt {
		return
	}
	os, ok1 := o.(*types.Signature)
	ns, ok2 := n.(*types.Signature)
	if !ok1 || !ok2 || os.Params().Len() != ns.Params().Len() || os.Results().Len() != ns.Results().Len() || os.Variadic() != ns.Variadic() {
		d.add(true, "%s changed from %s to %s", what, ot, nt)
		return
	}
	tuple := func(role string, a, b *types.Tuple) {
		for i := 0; i < a.Len(); i++ {
			at, bt := d.ts(a.At(i).Type()), d.ts(b.At(i).Type())
			if at == bt {
				continue
			}
			label := fmt.Sprintf("%s %d", role, i+1)
			if name := b.At(i).Name(); name != "" {
				label = role + " " + name
			}
			d.add(true, "%s: %s changed from %s to %s", what, label, at, bt)
		}
	}
	tuple("parameter", os.Params(), ns.Params())
	tuple("result", os.Results(), ns.Results())
}
