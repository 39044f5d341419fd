package build

import (
	"mime"
	"net/http"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/kiiexgen/kiiexgen/generator/ir"
)

// mediaClass is how kiiexgen treats a media type.
type mediaClass int

// Classes in order of preference for the typed request body: JSON is the
// default when an operation offers several.
const (
	classJSON mediaClass = iota
	classForm
	classMultipart
	classText
	classRaw
)

// Runtime and standard-library types operations use.
var (
	tFormFile   = &ir.GoType{Kind: ir.Runtime, Name: "FormFile"}
	tReadCloser = &ir.GoType{Kind: ir.Qualified, Pkg: "io", Name: "ReadCloser"}
)

func mediaBase(k string) string {
	k, _, _ = strings.Cut(strings.ToLower(k), ";")
	return strings.TrimSpace(k)
}

// isJSONMedia reports whether a media type's body is JSON: application/json
// with any parameters, every +json structured suffix (vnd.api+json,
// merge-patch+json, problem+json) and text/json.
func isJSONMedia(k string) bool {
	b := mediaBase(k)
	return b == "application/json" || b == "text/json" || strings.HasSuffix(b, "+json")
}

// isTextMedia reports whether a response body of this media type is text the
// caller wants whole (a string): text/* except the unbounded event stream,
// XML and YAML documents, and URL-encoded forms (some OAuth token endpoints).
func isTextMedia(k string) bool {
	b := mediaBase(k)
	switch {
	case b == "text/event-stream":
		return false
	case strings.HasPrefix(b, "text/"):
		return true
	case b == "application/xml", strings.HasSuffix(b, "+xml"), b == "application/yaml", b == "application/x-yaml",
		b == "application/x-www-form-urlencoded":
		return true
	}
	return false
}

// isBinarySchema reports whether s describes raw bytes rather than a JSON
// value: format binary (3.0), contentMediaType without contentEncoding
// (3.1; with base64 it is a JSON string) or a Swagger 2 file.
func isBinarySchema(ref *openapi3.SchemaRef) bool {
	if ref == nil || ref.Value == nil {
		return false
	}
	s := ref.Value
	t := schemaTypes(s)
	if len(t) == 1 && t[0] == "file" {
		return true
	}
	if len(t) > 1 || len(t) == 1 && t[0] != "string" {
		return false
	}
	return s.Format == "binary" || len(t) == 1 && s.ContentMediaType != "" && s.ContentEncoding == ""
}

// hasBinaryAlternative reports whether a oneOf/anyOf offers a binary
// alternative (a file or a URL, say): in a form it is a file part.
func hasBinaryAlternative(ref *openapi3.SchemaRef) bool {
	if ref == nil || ref.Value == nil {
		return false
	}
	for _, alts := range []openapi3.SchemaRefs{ref.Value.OneOf, ref.Value.AnyOf} {
		for _, a := range alts {
			if isBinarySchema(a) {
				return true
			}
		}
	}
	return false
}

// requestClass classifies a request body media type. A media range such as
// */* carries JSON unless its schema is binary.
func requestClass(k string, mt *openapi3.MediaType) mediaClass {
	b := mediaBase(k)
	binary := mt != nil && isBinarySchema(mt.Schema)
	switch {
	case binary && b != "multipart/form-data" && b != "application/x-www-form-urlencoded":
		// Swagger 2 documents inherit a JSON media type for file bodies.
		return classRaw
	case isJSONMedia(k):
		return classJSON
	case b == "application/x-www-form-urlencoded":
		return classForm
	case b == "multipart/form-data":
		return classMultipart
	case strings.HasPrefix(b, "text/"):
		return classText
	case b == "*/*" || b == "application/*":
		if mt != nil && mt.Schema != nil && !isBinarySchema(mt.Schema) {
			return classJSON
		}
	}
	return classRaw
}

// responseKind classifies a success response media type.
func responseKind(k string, mt *openapi3.MediaType) ir.ResultKind {
	b := mediaBase(k)
	switch {
	case mt != nil && isBinarySchema(mt.Schema) && !isTextMedia(k):
		// A file schema is bytes whatever the (often inherited) media type.
		return ir.ResultStream
	case isJSONMedia(k):
		return ir.ResultJSON
	case isTextMedia(k):
		return ir.ResultText
	case b == "*/*" || b == "application/*":
		if mt != nil && mt.Schema != nil && !isBinarySchema(mt.Schema) {
			return ir.ResultJSON
		}
	}
	return ir.ResultStream
}

// pickMedia returns the preferred entry of content: the lowest class, and
// within it application/json first, then key order.
func pickMedia(content openapi3.Content, class func(string, *openapi3.MediaType) int) string {
	best, bestRank := "", 0
	for _, k := range sortedKeys(content) {
		r := class(k, content[k]) * 2
		if mediaBase(k) != "application/json" {
			r++
		}
		if best == "" || r < bestRank {
			best, bestRank = k, r
		}
	}
	return best
}

// sendType is the Content-Type sent for a declared media type: the key
// itself when it names one type, nothing when it is a range (image/*,
// */*+json) the caller or the JSON default has to resolve.
func sendType(k string) string {
	t, params, err := mime.ParseMediaType(k)
	if err != nil || strings.Contains(t, "*") {
		return ""
	}
	return mime.FormatMediaType(t, params)
}

// acceptRange normalises a declared media type for the Accept header, or
// returns "" when it is not a valid media range (application/*+json).
func acceptRange(k string) string {
	t, params, err := mime.ParseMediaType(k)
	if err != nil {
		return ""
	}
	typ, sub, _ := strings.Cut(t, "/")
	if typ == "*" && sub != "*" || strings.Contains(sub, "*") && sub != "*" || strings.Contains(typ, "*") && typ != "*" {
		return ""
	}
	return mime.FormatMediaType(t, params)
}

func (b *builder) requestBody(o *ir.Operation, op *openapi3.Operation, ptr string) {
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return
	}
	rb := op.RequestBody.Value
	bptr := ptr + "/requestBody"
	if strings.HasPrefix(op.RequestBody.Ref, "#/") {
		bptr = op.RequestBody.Ref
	}
	if len(rb.Content) == 0 {
		return
	}
	key := pickMedia(rb.Content, func(k string, mt *openapi3.MediaType) int { return int(requestClass(k, mt)) })
	mt := rb.Content[key]
	if mt == nil {
		mt = &openapi3.MediaType{} // "application/json: ~": a media type without a schema
	}
	sptr := bptr + "/content/" + escape(key) + "/schema"
	body := &ir.Body{Required: rb.Required, ContentType: sendType(key), MediaTypes: sortedKeys(rb.Content)}
	o.Body = body
	switch requestClass(key, mt) {
	case classJSON:
		body.Kind = ir.BodyJSON
		if body.ContentType == "" {
			body.ContentType = "application/json"
		}
		body.Type = tRaw
		if mt.Schema != nil {
			body.Type = b.typeOf(mt.Schema, o.Name+"Request", sptr)
		}
		if rb.Required && body.Type == tRaw && mt.Schema != nil && mt.Schema.Value != nil {
			if t := schemaTypes(mt.Schema.Value); len(t) == 0 || t[0] == "object" {
				body.EmptyObject = true
			}
		}
	case classForm:
		body.Kind = ir.BodyForm
		body.Type = tRaw
		if mt.Schema != nil {
			body.Type = b.typeOf(mt.Schema, o.Name+"Request", sptr)
		}
		if k := kindOf(body.Type); k != ir.KindObject && k != ir.KindAny {
			b.warn(sptr, "form-body", "a URL-encoded form body must be an object; %s takes the body as an io.Reader", o.Name)
			body.Kind, body.Type = ir.BodyRaw, nil
		}
		for _, name := range sortedKeys(mt.Encoding) {
			enc := mt.Encoding[name]
			if enc == nil || enc.Style == "" && enc.Explode == nil {
				continue
			}
			e := ir.FormEncoding{Name: name, Style: enc.Style}
			switch e.Style {
			case "", "form", "spaceDelimited", "pipeDelimited", "deepObject":
			default:
				b.warn(bptr+"/content/"+escape(key)+"/encoding/"+escape(name), "bad-style", "style %q is not defined for a URL-encoded body; form is used", enc.Style)
				e.Style = ""
			}
			if e.Style == "" {
				e.Style = "form"
			}
			e.Explode = e.Style == "form"
			if enc.Explode != nil {
				e.Explode = *enc.Explode
			}
			if e.Style != "form" || !e.Explode {
				body.Encodings = append(body.Encodings, e)
			}
		}
	case classMultipart:
		b.multipartBody(o, body, mt, sptr)
	case classText:
		body.Kind = ir.BodyText
		if body.ContentType == "" {
			body.ContentType = "text/plain"
		}
	default:
		body.Kind = ir.BodyRaw
	}
	if len(rb.Content) > 1 {
		// Named once every operation has its name (operations), so that
		// an operation really called FooWithBody keeps it.
		o.WithBody = o.Name + "WithBody"
	}
}

// multipartBody builds the form struct of a multipart/form-data body: file
// properties become *FormFile (or []FormFile), scalars and lists of scalars
// text parts, everything else a JSON part. A schema without properties
// leaves the caller to encode the form (an io.Reader and its boundary).
func (b *builder) multipartBody(o *ir.Operation, body *ir.Body, mt *openapi3.MediaType, sptr string) {
	var props []*prop
	if mt.Schema != nil && mt.Schema.Value != nil {
		if strings.HasPrefix(mt.Schema.Ref, "#/") {
			sptr = mt.Schema.Ref
		}
		props = b.collectProps([]propSource{{schema: mt.Schema.Value, ptr: sptr}}, sptr)
	}
	if len(props) == 0 {
		body.Kind, body.ContentType = ir.BodyRaw, ""
		return
	}
	body.Kind = ir.BodyMultipart
	t := b.newType(o.Name+"Form", ir.StructType, nil, "")
	t.Params = true
	t.Role = "the multipart/form-data request body of " + o.Method + " " + o.Path
	body.Type = named(t)
	byName := append([]*prop(nil), props...)
	sort.Slice(byName, func(i, j int) bool { return byName[i].name < byName[j].name })
	fn := newNamer(fieldMethodNames...)
	goNames := map[*prop]string{}
	for _, p := range byName {
		goNames[p] = fn.claim(GoName(p.name), "Field")
	}
	for _, p := range props {
		f := &ir.Field{Name: goNames[p], JSONName: p.name, Required: p.required}
		if s := p.ref.Value; s != nil {
			f.Doc = docText(s.Description)
			f.Deprecated = s.Deprecated
		}
		part := &ir.Part{Name: p.name, Field: f}
		textAlt := false
		if enc := mt.Encoding[p.name]; enc != nil {
			part.ContentType = sendType(enc.ContentType)
		}
		s := p.ref.Value
		switch {
		case isBinarySchema(p.ref):
			part.Kind, f.Type = ir.PartFile, pointerTo(tFormFile)
		case hasBinaryAlternative(p.ref):
			part.Kind, f.Type = ir.PartFile, pointerTo(tFormFile)
			textAlt = true
		case s != nil && len(schemaTypes(s)) == 1 && schemaTypes(s)[0] == "array" && isBinarySchema(s.Items):
			part.Kind, f.Type = ir.PartFiles, sliceOf(tFormFile)
		default:
			g := b.typeOf(p.ref, t.Name+GoName(p.name), p.ptr)
			f.Type, _, _ = fieldType(g, p.required, false)
			part.Kind = ir.PartText
			switch kindOf(g) {
			case ir.KindObject, ir.KindAny:
				part.Kind = ir.PartJSON
			case ir.KindArray:
				if e := elemOf(g); e == nil || kindOf(e) == ir.KindObject || kindOf(e) == ir.KindArray || kindOf(e) == ir.KindAny {
					part.Kind = ir.PartJSON
				}
			}
			if part.ContentType != "" && isJSONMedia(part.ContentType) {
				part.Kind = ir.PartJSON
			}
			part.ContentType = ""
		}
		if part.Kind == ir.PartFile || part.Kind == ir.PartFiles {
			if part.ContentType == "" && s != nil && s.ContentMediaType != "" {
				part.ContentType = sendType(s.ContentMediaType)
			}
			if part.ContentType == "" {
				part.ContentType = "application/octet-stream"
			}
		}
		if f.Doc == "" {
			f.Doc = f.Name + " is the \"" + p.name + "\" form field."
			switch part.Kind {
			case ir.PartFile:
				f.Doc = f.Name + " is the \"" + p.name + "\" file."
			case ir.PartFiles:
				f.Doc = f.Name + " are the \"" + p.name + "\" files, one part each."
			}
		}
		if textAlt {
			f.Doc = docText(f.Doc, "The spec also allows a text value here (a oneOf/anyOf): a FormFile without Filename is sent as a plain field.")
		}
		t.Fields = append(t.Fields, f)
		body.Parts = append(body.Parts, part)
	}
}

// elemOf returns the element type of a slice (through aliases and union
// wrappers), or nil.
func elemOf(g *ir.GoType) *ir.GoType {
	if g = bare(g); g != nil && g.Kind == ir.Slice {
		return g.Elem
	}
	return nil
}

// bare looks through pointers, Nullable, aliases and union variant
// wrappers to the type that decides a value's JSON shape.
func bare(g *ir.GoType) *ir.GoType {
	for g != nil {
		switch {
		case g.Kind == ir.Pointer || g.Kind == ir.Nullable:
			g = g.Elem
		case g.Kind == ir.Named && (g.Ref.Kind == ir.AliasType || g.Ref.Kind == ir.WrapperType):
			g = g.Ref.Target
		default:
			return g
		}
	}
	return nil
}

// successes builds the 2xx responses and, when they differ in shape, the
// result struct that carries the status and the body of each.
func (b *builder) successes(o *ir.Operation, list []successSrc) {
	for i, s := range list {
		sc := &ir.Success{Status: s.status}
		if s.rr != nil && len(s.rr.Content) > 0 {
			key := pickMedia(s.rr.Content, func(k string, mt *openapi3.MediaType) int {
				switch responseKind(k, mt) {
				case ir.ResultJSON:
					return 0
				case ir.ResultText:
					return 1
				}
				return 2
			})
			mt := s.rr.Content[key]
			if mt == nil {
				mt = &openapi3.MediaType{}
			}
			sc.Kind = responseKind(key, mt)
			addAccept(o, key)
			if sc.Kind == ir.ResultJSON {
				sc.Type = tRaw
				if mt.Schema != nil {
					hint := o.Name + "Response"
					if i > 0 {
						hint = o.Name + statusWord(s.status) + "Response"
					}
					sc.Type = b.typeOf(mt.Schema, hint, s.ptr+"/content/"+escape(key)+"/schema")
					sc.Nullable = isNullable(mt.Schema.Value)
				}
			}
		}
		o.Successes = append(o.Successes, sc)
	}
	shapes := map[string]bool{}
	for _, s := range o.Successes {
		shapes[shapeOf(s)] = true
	}
	if len(shapes) < 2 {
		return
	}
	t := b.newType(o.Name+"Result", ir.StructType, nil, "")
	t.Params = true
	t.Role = "the result of " + o.Name + ", whose " + o.Method + " " + o.Path + " answers with one of several success responses; StatusCode tells which field is set"
	fn := newNamer(fieldMethodNames...)
	t.Fields = append(t.Fields, &ir.Field{Name: fn.claim("StatusCode", ""), Type: &ir.GoType{Kind: ir.Builtin, Name: "int"},
		Doc: "StatusCode is the HTTP status of the response."})
	for _, s := range o.Successes {
		if s.Kind == ir.ResultNone {
			continue
		}
		code := "2XX"
		if s.Status > 2 {
			code = itoa(s.Status)
		}
		name := statusWord(s.Status)
		var g *ir.GoType
		switch s.Kind {
		case ir.ResultJSON:
			g = s.Type
			if !isNilable(g) {
				g = pointerTo(g)
			}
		case ir.ResultText:
			g = pointerTo(tString)
		default:
			g = tReadCloser
		}
		doc := "%s is the body of a %s response."
		if s.Kind == ir.ResultStream {
			doc = "%s is the body of a %s response, open for reading; the caller must close it."
		}
		f := &ir.Field{Name: fn.claim(name, "Body"), Type: g}
		f.Doc = strings.Replace(strings.Replace(doc, "%s", f.Name, 1), "%s", code, 1)
		s.Field = f
		t.Fields = append(t.Fields, f)
	}
	o.Result = t
}

// statusWord names a success status: OK, Accepted, NoContent; Success for
// the 2XX range.
func statusWord(status int) string {
	if status == 2 {
		return "Success"
	}
	name := GoName(http.StatusText(status))
	if name == "Empty" || http.StatusText(status) == "" {
		name = "Status" + itoa(status)
	}
	return name
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var d []byte
	for n > 0 {
		d = append([]byte{byte('0' + n%10)}, d...)
		n /= 10
	}
	return string(d)
}

// shapeOf tells success responses apart: same kind and same Go type is the
// same shape, so 200 and 201 both returning a Pet keep the simple signature.
func shapeOf(s *ir.Success) string {
	if s.Kind == ir.ResultJSON {
		return "json:" + typeKey(s.Type)
	}
	return string(rune('0' + s.Kind))
}

// addAccept adds a declared media type to the operation's Accept header,
// once, in the order first seen.
func addAccept(o *ir.Operation, k string) {
	r := acceptRange(k)
	if r == "" {
		if !isJSONMedia(k) {
			return
		}
		r = "application/json"
	}
	for _, have := range strings.Split(o.Accept, ", ") {
		if have == r {
			return
		}
	}
	if o.Accept != "" {
		o.Accept += ", "
	}
	o.Accept += r
}

// typeKey spells out a type expression, so that two types are the same
// shape exactly when their keys are equal.
func typeKey(g *ir.GoType) string {
	switch g.Kind {
	case ir.Named:
		return "N" + g.Ref.Name
	case ir.Slice:
		return "[]" + typeKey(g.Elem)
	case ir.Map:
		return "map" + typeKey(g.Elem)
	case ir.Pointer:
		return "*" + typeKey(g.Elem)
	case ir.Nullable:
		return "?" + typeKey(g.Elem)
	}
	return g.Pkg + "." + g.Name
}
