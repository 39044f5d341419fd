package build

import (
	"fmt"
	"hash/fnv"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/kiiexgen/kiiexgen/generator/ir"
)

// methodOrder fixes the order operations of one path are visited in.
var methodOrder = []string{"GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"}

// operations builds every operation in (path, method) order, so names that
// collide are numbered the same way on every run.
func (b *builder) operations() []*ir.Operation {
	if b.doc.Paths == nil {
		return nil
	}
	var out []*ir.Operation
	seenIDs := map[string]string{}
	paths := b.doc.Paths.Map()
	for _, path := range sortedKeys(paths) {
		item := paths[path]
		if item == nil {
			continue
		}
		ops := item.Operations()
		for _, method := range methodOrder {
			op := ops[method]
			if op == nil {
				continue
			}
			ptr := "#/paths/" + escape(path) + "/" + strings.ToLower(method)
			id := op.OperationID
			if id == "" {
				id = derivedName(method, path, len(ops) > 1)
			} else if prev, ok := seenIDs[id]; ok {
				b.warn(ptr+"/operationId", "duplicate-operation-id", "operationId %q is also used by %q; this method gets a numbered name", id, prev)
			}
			seenIDs[id] = method + " " + path
			out = append(out, b.operation(path, method, item, op, id, ptr))
		}
	}
	for _, o := range out {
		if o.WithBody != "" {
			o.WithBody = b.methods.claim(o.WithBody, "")
		}
	}
	return out
}

// derivedName names an operation without an operationId from its method
// and path ("GET /Accounts/{Sid}" -> GetAccountsSid). An APEX-style path that
// already starts with a verb ("/GetDepositTicket") keeps its name alone,
// unless the path carries several operations.
func derivedName(method, path string, several bool) string {
	name := GoName(path)
	if name == "Empty" {
		name = "Root"
	}
	words := splitWords(strings.Trim(path, "/"))
	if !several && len(words) > 0 && apexVerbs[GoName(words[0])] {
		return name
	}
	return GoName(strings.ToLower(method)) + name
}

// apexVerbs are first words that make a path read as a function name.
var apexVerbs = map[string]bool{
	"Get": true, "Set": true, "Create": true, "Update": true, "Delete": true, "Cancel": true, "Send": true,
	"Submit": true, "Add": true, "Remove": true, "List": true, "Subscribe": true, "Unsubscribe": true,
	"Suscribe": true, "Unsuscribe": true, "Authenticate": true, "Register": true, "Validate": true,
	"Activate": true, "Generate": true, "Schedule": true, "Modify": true, "Log": true, "Ping": true,
}

func (b *builder) operation(path, method string, item *openapi3.PathItem, op *openapi3.Operation, id, ptr string) *ir.Operation {
	o := &ir.Operation{
		ID:          id,
		Method:      method,
		Path:        path,
		Summary:     strings.TrimSpace(op.Summary),
		Description: strings.TrimSpace(op.Description),
		Tags:        op.Tags,
		Deprecated:  op.Deprecated,
	}
	o.Name = b.methods.claim(GoName(id), "Call")
	if t, ok := op.Extensions["x-kiiex-transport"].(string); ok && !strings.EqualFold(t, "http") {
		o.SkipReason = fmt.Sprintf("served over %s only (x-kiiex-transport)", t)
		if strings.EqualFold(t, "websocket") {
			o.Transport = "websocket"
			b.ws = append(b.ws, wsPending{op: o, ext: op.Extensions, ptr: ptr})
		}
	}
	o.Var = b.names.claim("op"+o.Name, "")
	o.Idempotent = b.idempotent(method, op, ptr)

	b.params(o, item, op, ptr)
	b.requestBody(o, op, ptr)
	b.responses(o, op, ptr)
	o.Security = b.security(op, ptr)
	if len(o.Errors) > 0 {
		o.ErrorFunc = b.errorFunc(o)
	}
	return o
}

func (b *builder) params(o *ir.Operation, item *openapi3.PathItem, op *openapi3.Operation, ptr string) {
	type src struct {
		p   *openapi3.Parameter
		ptr string
	}
	var list []src
	index := map[string]int{}
	add := func(params openapi3.Parameters, base string) {
		for i, pr := range params {
			if pr == nil || pr.Value == nil {
				continue
			}
			p := pr.Value
			pp := fmt.Sprintf("%s/parameters/%d", base, i)
			if p.In == "header" && reservedHeaders[strings.ToLower(p.Name)] {
				// OpenAPI 3 (Parameter Object): such a definition SHALL be
				// ignored; the client sets these headers itself.
				b.warn(pp, "reserved-header", "header parameter %q is ignored, as OpenAPI requires for Accept, Content-Type and Authorization; set it with a request editor if needed", p.Name)
				continue
			}
			key := p.In + "\x00" + p.Name
			if j, ok := index[key]; ok {
				list[j] = src{p, pp} // operation level overrides path level
				continue
			}
			index[key] = len(list)
			list = append(list, src{p, pp})
		}
	}
	add(item.Parameters, "#/paths/"+escape(o.Path))
	add(op.Parameters, ptr)
	if len(list) == 0 {
		return
	}
	t := b.newType(o.Name+"Params", ir.StructType, nil, "")
	t.Params = true
	t.Doc = fmt.Sprintf("%s holds the parameters of %s.", t.Name, o.Name)
	o.ParamsType = t
	fn := newNamer(fieldMethodNames...)
	// Name fields in (in, name) order so numbering does not depend on the
	// order the spec lists them.
	sorted := append([]src(nil), list...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].p.In != sorted[j].p.In {
			return inRank(sorted[i].p.In) < inRank(sorted[j].p.In)
		}
		return sorted[i].p.Name < sorted[j].p.Name
	})
	goNames := map[*openapi3.Parameter]string{}
	for _, s := range sorted {
		goNames[s.p] = fn.claim(GoName(s.p.Name), "Param")
	}
	for _, s := range list {
		p := s.p
		in := ir.ParamIn(p.In)
		switch in {
		case ir.InPath, ir.InQuery, ir.InHeader, ir.InCookie:
		default:
			b.warn(s.ptr, "unknown-parameter-location", "parameter %q is in %q, which is not a parameter location; it is ignored", p.Name, p.In)
			continue
		}
		required := p.Required || in == ir.InPath
		var g *ir.GoType
		schema, sptr := p.Schema, s.ptr+"/schema"
		style := ""
		if schema == nil {
			for _, mt := range sortedKeys(p.Content) {
				if c := p.Content[mt]; c != nil && c.Schema != nil {
					schema, sptr = c.Schema, s.ptr+"/content/"+escape(mt)+"/schema"
					if isJSONMedia(mt) {
						style = "json"
					}
					break
				}
			}
		}
		if schema == nil {
			g = tString
		} else {
			g = b.typeOf(schema, t.Name+GoName(p.Name), sptr)
		}
		if style == "" {
			style = b.paramStyle(p, in, s.ptr)
		}
		if schema != nil && in == ir.InPath && style != "json" && !pathScalar(g) && !flatObject(g) {
			b.warn(s.ptr, "object-parameter", "path parameter %q can hold an object (or a union with one); its members are sent in %s style, and a member that is itself an object or array as its JSON text", p.Name, style)
		}
		f := &ir.Field{Name: goNames[p], JSONName: p.Name, Required: required, Doc: docText(p.Description), Deprecated: p.Deprecated}
		f.Type, _, _ = fieldType(g, required, false)
		t.Fields = append(t.Fields, f)
		// explode defaults to true for form style only (OpenAPI 3, Parameter
		// Object).
		explode := style == "form"
		if p.Explode != nil {
			explode = *p.Explode
		}
		o.Params = append(o.Params, &ir.Param{Name: p.Name, In: in, Field: f, Style: style, Explode: explode, AllowReserved: p.AllowReserved})
	}
}

// pathScalar reports whether every value of g has a path form of its own: a
// scalar, a list of scalars (comma-joined, simple style), or a union of
// those (its variants marshal to their scalar).
func pathScalar(g *ir.GoType) bool {
	g = bare(g)
	if g.Kind == ir.Named && g.Ref.Kind == ir.UnionType {
		for _, v := range g.Ref.Union.Variants {
			if !pathScalar(v.Type) {
				return false
			}
		}
		return len(g.Ref.Union.Variants) > 0
	}
	switch kindOf(g) {
	case ir.KindObject, ir.KindAny:
		return false
	case ir.KindArray:
		e := elemOf(g)
		return e != nil && pathScalar(e) && kindOf(e) != ir.KindArray
	}
	return true
}

// flatObject reports whether g is a struct whose members all have a path
// form of their own (scalars), so that the style table writes it fully.
func flatObject(g *ir.GoType) bool {
	g = bare(g)
	if g.Kind != ir.Named || g.Ref.Kind != ir.StructType || g.Ref.Extra != nil || len(g.Ref.Fields) == 0 {
		return false
	}
	for _, f := range g.Ref.Fields {
		if !pathScalar(f.Type) || kindOf(f.Type) == ir.KindArray {
			return false
		}
	}
	return true
}

// paramStyle returns the parameter's style, or its location's default when
// it declares none or one the location does not allow.
func (b *builder) paramStyle(p *openapi3.Parameter, in ir.ParamIn, ptr string) string {
	def := map[ir.ParamIn]string{ir.InPath: "simple", ir.InQuery: "form", ir.InHeader: "simple", ir.InCookie: "form"}[in]
	if p.Style == "" {
		return def
	}
	allowed := map[ir.ParamIn][]string{
		ir.InPath:   {"simple", "label", "matrix"},
		ir.InQuery:  {"form", "spaceDelimited", "pipeDelimited", "deepObject"},
		ir.InHeader: {"simple"},
		ir.InCookie: {"form"},
	}[in]
	for _, a := range allowed {
		if p.Style == a {
			return a
		}
	}
	b.warn(ptr, "bad-style", "style %q is not allowed for a %s parameter; %q is used", p.Style, in, def)
	return def
}

// reservedHeaders are the header names a parameter may not define.
var reservedHeaders = map[string]bool{"accept": true, "content-type": true, "authorization": true}

func inRank(in string) int {
	switch in {
	case "path":
		return 0
	case "query":
		return 1
	case "header":
		return 2
	}
	return 3
}

// successSrc is a declared 2xx response.
type successSrc struct {
	status int
	rr     *openapi3.Response
	ptr    string
}

func (b *builder) responses(o *ir.Operation, op *openapi3.Operation, ptr string) {
	if op.Responses == nil {
		return
	}
	codes := op.Responses.Map()
	var succ []successSrc
	type errSrc struct {
		key    string
		status int
		rr     *openapi3.Response
		ptr    string
	}
	var errs []errSrc
	for _, k := range sortedKeys(codes) {
		rr := codes[k]
		if rr == nil || rr.Value == nil {
			continue
		}
		rptr := ptr + "/responses/" + escape(k)
		if strings.HasPrefix(rr.Ref, "#/") {
			rptr = rr.Ref
		}
		status := 0
		switch {
		case k == "default":
		case len(k) == 3 && (k[1] == 'X' || k[1] == 'x') && (k[2] == 'X' || k[2] == 'x'):
			status = int(k[0] - '0')
		default:
			n, err := strconv.Atoi(k)
			if err != nil {
				b.warn(rptr, "bad-status", "response key %q is not a status code; ignored", k)
				continue
			}
			status = n
		}
		if status != 0 && status < 100 && (status < 1 || status > 5) || status >= 600 {
			b.warn(rptr, "bad-status", "response key %q is not a status code; ignored", k)
			continue
		}
		switch {
		case status == 2 || status >= 200 && status < 300:
			succ = append(succ, successSrc{status, rr.Value, rptr})
		case status >= 100 && status < 200 || status == 1:
			// Informational statuses never reach the caller.
		default:
			errs = append(errs, errSrc{k, status, rr.Value, rptr})
		}
	}
	// Exact statuses before the 2XX range, which only applies to the rest.
	sort.SliceStable(succ, func(i, j int) bool { return succ[i].status > 2 && succ[j].status == 2 })
	b.successes(o, succ)
	for _, e := range errs {
		for _, k := range sortedKeys(e.rr.Content) {
			addAccept(o, k)
		}
		key := pickMedia(e.rr.Content, func(k string, mt *openapi3.MediaType) int {
			if requestClass(k, mt) == classJSON {
				return 0
			}
			return 1
		})
		mt := e.rr.Content[key]
		if mt == nil || mt.Schema == nil || requestClass(key, mt) != classJSON {
			continue
		}
		hint := o.Name + e.key + "Error"
		if e.key == "default" {
			hint = o.Name + "DefaultError"
		}
		g := b.typeOf(mt.Schema, hint, e.ptr+"/content/"+escape(key)+"/schema")
		o.Errors = append(o.Errors, ir.ErrorBody{Status: e.status, Type: g})
	}
}

// security resolves the operation's requirement list (its own, else the
// document's) into sorted scheme-name sets.
func (b *builder) security(op *openapi3.Operation, ptr string) [][]string {
	reqs := b.doc.Security
	if op.Security != nil {
		reqs = *op.Security
	}
	known := map[string]bool{}
	if b.doc.Components != nil {
		for name := range b.doc.Components.SecuritySchemes {
			known[name] = true
		}
	}
	var out [][]string
	for _, req := range reqs {
		set := []string{}
		ok := true
		for _, name := range sortedKeys(req) {
			if !known[name] {
				b.warn(ptr, "unknown-security-scheme", "security requirement names %q, which components.securitySchemes does not declare; that alternative is ignored", name)
				ok = false
				continue
			}
			set = append(set, name)
		}
		if ok {
			out = append(out, set)
		}
	}
	return out
}

// errorFunc names the function mapping o's error statuses to body types.
// Operations with the same table share one function (KIIEX declares the
// same 400/401 envelope on every call). The name is spelt from the table
// itself, never from the order operations are met, so adding an operation
// elsewhere never renames a helper existing code refers to.
func (b *builder) errorFunc(o *ir.Operation) string {
	name := errorFuncName(o.Errors)
	if f, ok := b.errorFuncs[name]; ok {
		return f
	}
	// Distinct tables give distinct names except in contrived cases (a
	// type called And401X); the namer keeps those apart.
	f := b.names.claim(name, "")
	b.errorFuncs[name] = f
	return f
}

// maxErrorFuncName bounds the spelt-out name; longer tables are named by a
// hash of their spelling, which is still content-derived.
const maxErrorFuncName = 80

// errorFuncName spells an error table: for each body type, in order of its
// first status, the statuses decoded into it joined by "And", then the
// type (errorBody400And401GenericResponse404NotFound). The table can be
// read back from the name, so distinct tables get distinct names.
func errorFuncName(errs []ir.ErrorBody) string {
	var order []string
	statuses := map[string][]string{}
	for _, e := range errs {
		w := typeWord(e.Type)
		if _, ok := statuses[w]; !ok {
			order = append(order, w)
		}
		var st string
		switch {
		case e.Status == 0:
			st = "Default"
		case e.Status < 10:
			st = fmt.Sprintf("%dXX", e.Status)
		default:
			st = strconv.Itoa(e.Status)
		}
		statuses[w] = append(statuses[w], st)
	}
	var sb strings.Builder
	sb.WriteString("errorBody")
	for _, w := range order {
		sb.WriteString(strings.Join(statuses[w], "And"))
		sb.WriteString(w)
	}
	name := sb.String()
	if len(name) <= maxErrorFuncName {
		return name
	}
	h := fnv.New32a()
	h.Write([]byte(name))
	return fmt.Sprintf("errorBody%sEtc%08x", order[0], h.Sum32())
}

// typeWord spells a Go type as one identifier fragment.
func typeWord(g *ir.GoType) string {
	switch g.Kind {
	case ir.Named:
		return g.Ref.Name
	case ir.Builtin, ir.Runtime:
		return GoName(g.Name)
	case ir.Qualified:
		return GoName(path.Base(g.Pkg)) + GoName(g.Name)
	case ir.Slice:
		return "SliceOf" + typeWord(g.Elem)
	case ir.Map:
		return "MapOf" + typeWord(g.Elem)
	case ir.Pointer:
		return "PtrTo" + typeWord(g.Elem)
	case ir.Nullable:
		return "NullableOf" + typeWord(g.Elem)
	}
	return "Value"
}

// idempotent decides whether repeating the call is safe. The spec decides
// through x-kiiex-idempotent or x-idempotent (an APEX API sends reads as
// POST, so the method alone would make none of them retryable); without a
// mark, RFC 9110 section 9.2.2 decides by method. A mark that is not a
// boolean is ignored with a warning.
func (b *builder) idempotent(method string, op *openapi3.Operation, ptr string) bool {
	for _, key := range []string{"x-kiiex-idempotent", "x-idempotent"} {
		v, ok := op.Extensions[key]
		if !ok {
			continue
		}
		if on, ok := v.(bool); ok {
			return on
		}
		b.warn(ptr+"/"+key, "idempotent-mark", "%s must be true or false; ignored", key)
	}
	switch strings.ToUpper(method) {
	case "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE":
		return true
	}
	return false
}
