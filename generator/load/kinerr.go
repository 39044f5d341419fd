package load

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v4"

	"github.com/kiiexgen/kiiexgen/generator/diag"
)

// warningCodes are kin-openapi validation findings that do not affect code
// generation: they are reported as warnings of the given Kind.
var warningCodes = map[string]string{
	"example-violates-schema":                 "invalid-example",
	"example-examples-mutually-exclusive":     "invalid-example",
	"value-external-value-mutually-exclusive": "invalid-example",
	"value-or-external-value-required":        "invalid-example",
	"default-violates-schema":                 "invalid-default",
	"extra-sibling-fields":                    "unknown-field",
	"info-title-required":                     "info",
	"info-version-required":                   "info",
	"license-name-required":                   "info",
	"url-identifier-mutually-exclusive":       "info",
	"external-docs-url-required":              "info",
	"duplicate-tag":                           "duplicate-tag",
	"duplicate-required-field":                "duplicate-required",
	"server-url-required":                     "server-url",
	"server-url-template-invalid":             "server-url",
	"schema-pattern-regex-invalid":            "schema-pattern",
	"read-only-write-only-mutually-exclusive": "read-only-write-only",
	"schema-multiple-of-not-positive":         "multiple-of",
}

// warningKind returns the warning Kind of a kin-openapi code, or "" when
// the finding is an error.
func warningKind(code string) string {
	if k, ok := warningCodes[code]; ok {
		return k
	}
	if strings.HasSuffix(code, "-for-3-1-plus") || strings.HasSuffix(code, "-for-3-2-plus") || strings.HasSuffix(code, "-before-3-1") {
		if code == "webhooks-field-for-3-1-plus" || code == "type-array-for-3-1-plus" {
			return ""
		}
		return "version-mismatch"
	}
	return ""
}

func multi(err error) []error {
	if err == nil {
		return nil
	}
	if me, ok := err.(openapi3.MultiError); ok {
		return me
	}
	return []error{err}
}

func (l *loader) kinDiag(e error) {
	code := ""
	var coded openapi3.CodedError
	if errors.As(e, &coded) {
		code = coded.Code()
	}
	if code == "conflicting-paths" {
		// Templates that differ only in parameter names ("/x/{a}" and
		// "/x/{b}") trouble a router, not a client: each is its own
		// method, and the request URL is built from the one called.
		return
	}
	file, ptr := l.kinPointer(e)
	if l.v2 {
		ptr = v2Pointer(ptr)
	}
	var dr *openapi3.ServerVariableDefaultRequired
	if errors.As(e, &dr) {
		// kin-openapi takes an empty default for a missing one. An empty
		// default is valid (Azure's "{Endpoint}/luis/v2.0" servers have
		// one: the caller sets the variable); a missing one reads as
		// empty, with a warning.
		if l.has(file, ptr+"/default") {
			return
		}
		p, name := l.position(file, ptr)
		l.rep.repair("server-variable-default", name, p, ptr, "server variable without default (required); read as the empty string")
		return
	}
	msg := kinMessage(e)
	switch code {
	case "info-required", "paths-required":
		ptr, msg = "", fmt.Sprintf("%q is required", strings.TrimSuffix(code, "-required"))
	}
	if code == "example-violates-schema" || code == "default-violates-schema" {
		// Point at the example (or default) itself.
		var cands []string
		var named *openapi3.MediaTypeExampleValidationError
		var pnamed *openapi3.ParameterExampleValidationError
		switch {
		case errors.As(e, &named):
			cands = []string{join(ptr+"/examples", named.ExampleName) + "/value", join(ptr+"/examples", named.ExampleName)}
		case errors.As(e, &pnamed):
			cands = []string{join(ptr+"/examples", pnamed.ExampleName) + "/value", join(ptr+"/examples", pnamed.ExampleName)}
		case code == "default-violates-schema":
			cands = []string{ptr + "/default", ptr + "/schema/default"}
		default:
			cands = []string{ptr + "/example", ptr + "/schema/example", ptr + "/examples"}
		}
		for _, c := range cands {
			if l.has(file, c) {
				ptr = c
				break
			}
		}
		msg = shortenSchemaError(msg)
	}
	var su *openapi3.SecurityRequirementSchemeUndefinedError
	if errors.As(e, &su) && strings.HasPrefix(su.JSONPointer, "/") {
		ptr = su.JSONPointer
	}
	var xs *openapi3.ExtraSiblingFieldsError
	if errors.As(e, &xs) && len(xs.Fields) > 0 && !l.has(file, join(ptr, xs.Fields[0])) && l.has(file, join(ptr+"/schema", xs.Fields[0])) {
		// Depending on how the document was decoded, kin-openapi reports a
		// media type's or parameter's schema by its owner's pointer.
		ptr += "/schema"
	}
	if errors.As(e, &xs) && len(xs.Fields) > 0 && l.has(file, join(ptr, xs.Fields[0])) {
		ptr = join(ptr, xs.Fields[0])
		msg = fmt.Sprintf("unknown field %q ignored", xs.Fields[0])
		if len(xs.Fields) > 1 {
			msg = fmt.Sprintf("unknown fields %q ignored", xs.Fields)
		}
	}
	p, name := l.position(file, ptr)
	if k := warningKind(code); k != "" {
		l.rep.repair(k, name, p, ptr, msg)
		return
	}
	if code == "" {
		code = "invalid"
	}
	l.rep.fail(code, name, p, ptr, msg)
}

// shortenSchemaError keeps the first of the " | "-joined findings of an
// example validation and drops the regular expressions of formats.
func shortenSchemaError(msg string) string {
	parts := strings.Split(msg, " | ")
	msg = parts[0]
	if i := strings.Index(msg, ": string doesn't match pattern"); i >= 0 {
		msg = msg[:i]
	}
	if len(parts) > 1 {
		msg += fmt.Sprintf(" (and %d more)", len(parts)-1)
	}
	return msg
}

// has reports whether ptr exists in file (by URI).
func (l *loader) has(file, ptr string) bool {
	f := l.files[file]
	if f == nil || f.p == nil {
		return false
	}
	_, ok := f.p.index[ptr]
	return ok
}

// position finds the original position of ptr in file (by URI), falling
// back to the nearest enclosing element, and the file's diagnostic name.
func (l *loader) position(file, ptr string) (pos, string) {
	f := l.files[file]
	if f == nil || f.p == nil {
		f = l.files[l.rootURL.String()]
		if f == nil {
			return pos{}, l.name
		}
	}
	for p := ptr; ; {
		if at, ok := f.p.index[p]; ok {
			return at, f.p.file
		}
		i := strings.LastIndexByte(p, '/')
		if i < 0 {
			return pos{}, f.p.file
		}
		p = p[:i]
	}
}

var originType = reflect.TypeFor[*openapi3.Origin]()

// kinPointer finds where a kin-openapi error is: from the innermost Origin
// in its chain (a line of the emitted JSON), else from its context
// wrappers. It returns the file's URI and the pointer.
func (l *loader) kinPointer(e error) (file, ptr string) {
	var origin *openapi3.Origin
	for cur := e; cur != nil; cur = errors.Unwrap(cur) {
		v := reflect.ValueOf(cur)
		if v.Kind() == reflect.Pointer && !v.IsNil() && v.Elem().Kind() == reflect.Struct {
			if f := v.Elem().FieldByName("Origin"); f.IsValid() && f.Type() == originType && !f.IsNil() {
				origin = f.Interface().(*openapi3.Origin)
			}
		}
	}
	if origin != nil && origin.Key != nil {
		if f := l.files[origin.Key.File]; f != nil {
			if p, ok := f.em.pointerAt(origin.Key.Line); ok {
				return origin.Key.File, p
			}
		}
	}
	return l.rootURL.String(), contextPointer(e)
}

var componentSection = map[string]string{
	"schema": "schemas", "parameter": "parameters", "header": "headers", "request body": "requestBodies",
	"response": "responses", "security scheme": "securitySchemes", "example": "examples", "link": "links",
	"callback": "callbacks",
}

// contextPointer builds a pointer from kin-openapi's context wrappers.
func contextPointer(e error) string {
	ptr := ""
	for cur := e; cur != nil; cur = errors.Unwrap(cur) {
		switch w := cur.(type) {
		case *openapi3.SectionValidationError:
			if w.Section == "external docs" {
				ptr = "/externalDocs"
			} else {
				ptr = "/" + w.Section
			}
		case *openapi3.ComponentValidationError:
			ptr = "/components/" + componentSection[w.Section] + "/" + escapeToken(w.Name)
		case *openapi3.PathValidationError:
			ptr = join("/paths", w.Path)
		case *openapi3.OperationValidationError:
			ptr += "/" + strings.ToLower(w.Method)
		case *openapi3.WebhookValidationError:
			ptr = join("/webhooks", w.Name)
		}
	}
	return ptr
}

// kinMessage is the message of a kin-openapi error without its context
// wrappers (the pointer says where) and without multi-line dumps.
func kinMessage(e error) string {
	for {
		var next error
		switch w := e.(type) {
		case *openapi3.SectionValidationError:
			next = w.Cause
		case *openapi3.PathValidationError:
			next = w.Cause
		case *openapi3.OperationValidationError:
			next = w.Cause
		case *openapi3.ComponentValidationError:
			next = w.Cause
		case *openapi3.WebhookValidationError:
			next = w.Cause
		}
		if next == nil {
			break
		}
		e = next
	}
	s := e.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

var (
	lineRE    = regexp.MustCompile(`\bline (\d+)`)
	inPathRE  = regexp.MustCompile(` in (/\S*)$`)
	refFailRE = regexp.MustCompile(`"(#/[^"]*)"`)
)

// kinLoadError reports an error of kin-openapi's loader (decoding or
// reference resolution), positioned as well as its text allows.
func (l *loader) kinLoadError(err error) {
	root := l.rootURL.String()
	var les *yaml.LoadErrors
	if errors.As(err, &les) && len(les.Errors) > 0 {
		for _, e := range les.Errors {
			msg := strings.TrimPrefix(e.Message, "yaml: ")
			ptr := ""
			if m := inPathRE.FindStringSubmatch(msg); m != nil {
				ptr = m[1]
				msg = strings.TrimSuffix(msg, m[0])
			} else if p, ok := l.files[root].em.pointerAt(e.Mark.Line); ok {
				ptr = p
			}
			p, name := l.position(root, ptr)
			l.rep.fail("decode", name, p, ptr, decodeMessage(msg))
		}
		return
	}
	msg := err.Error()
	ptr := ""
	if m := refFailRE.FindStringSubmatch(msg); m != nil {
		ptr = m[1][1:]
	} else if m := lineRE.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		ptr, _ = l.files[root].em.pointerAt(n)
	}
	p, name := l.position(root, ptr)
	l.rep.fail("load", name, p, ptr, strings.TrimPrefix(msg, "failed to unmarshal data: "))
}

// decodeMessage rewords go-yaml's construct errors for spec authors.
func decodeMessage(msg string) string {
	r := strings.NewReplacer("!!str", "string", "!!int", "integer", "!!float", "number", "!!bool", "boolean",
		"!!seq", "list", "!!map", "mapping", "!!null", "null", "cannot construct", "cannot read")
	return r.Replace(msg)
}

var _ = diag.Error
