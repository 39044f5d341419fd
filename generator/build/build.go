// Package build turns a loaded OpenAPI document into kiiexgen's IR. It owns
// every Go decision: the one collision-aware namer, the type mapping of
// DESIGN.md, union analysis, and the shape of each client method. Its output
// is deterministic: it never depends on Go map iteration order.
package build

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/kiiexgen/kiiexgen/generator/diag"
	"github.com/kiiexgen/kiiexgen/generator/ir"
)

// Options configure the build.
type Options struct {
	// Package is the Go package name.
	Package string
	// Source is the spec path as given (for headers and diagnostics).
	Source string
	// NumberFloat64 maps `number` to float64 instead of the exact Decimal.
	NumberFloat64 bool
	// Reserved lists the package-scope identifiers of the runtime; generated
	// names avoid them.
	Reserved []string
	// ReservedMethods lists the runtime's methods on *Client.
	ReservedMethods []string
	// Locate maps a JSON pointer to a position in Source (0, 0 if unknown).
	Locate func(pointer string) (line, col int)
	// LocateNear, when set, positions diagnostics: like Locate, but an
	// element without a position of its own gets its nearest enclosing
	// element's.
	LocateNear func(pointer string) (line, col int)
	// Strict turns build warnings into errors.
	Strict bool
	// Number returns a number's text as written in the spec, for exact
	// integers beyond float64's 2^53 (nil: only the float64 is known).
	Number func(pointer string) (string, bool)
}

type builder struct {
	doc   *openapi3.T
	opts  Options
	names *namer // package scope
	// methods is the *Client method scope.
	methods *namer
	// named maps a schema to the Go type made for it, so a schema reached
	// twice (by $ref) yields one type and recursion terminates.
	named map[*openapi3.Schema]*ir.Type
	types []*ir.Type
	diags diag.List
	// unionFixups run after all types exist (variant checks read fields).
	unions []*unionWork
	// errorFuncs maps an error-table signature to its shared function name.
	errorFuncs map[string]string
	// visiting holds the schemas whose type is being decided (cycle guard).
	visiting map[*openapi3.Schema]bool
	// fillSeen marks structs already given (or denied) a discriminator fill.
	fillSeen map[*ir.Type]bool
	// poly maps a polymorphic base schema (discriminator, subtypes through
	// allOf) to its union; polyOrder lists them in component-name order.
	poly      map[*openapi3.Schema]*polyBase
	polyOrder []*polyBase
	// ws are the WebSocket operations, for their subscription extensions.
	ws []wsPending
}

// Build makes the IR for doc. Warnings come back in the list; errors stop
// the build and are returned as a diag.List.
func Build(doc *openapi3.T, opts Options) (*ir.Package, diag.List, error) {
	b := &builder{
		doc:     doc,
		opts:    opts,
		names:   newNamer(opts.Reserved...),
		methods: newNamer(opts.ReservedMethods...),
		named:   map[*openapi3.Schema]*ir.Type{},

		errorFuncs: map[string]string{},
		visiting:   map[*openapi3.Schema]bool{},
		fillSeen:   map[*ir.Type]bool{},
		poly:       map[*openapi3.Schema]*polyBase{},
	}
	if b.opts.Number == nil {
		b.opts.Number = func(string) (string, bool) { return "", false }
	}
	if b.opts.Locate == nil {
		b.opts.Locate = func(string) (int, int) { return 0, 0 }
	}
	if b.opts.LocateNear == nil {
		b.opts.LocateNear = b.opts.Locate
	}
	pkg := &ir.Package{Name: opts.Package, Source: opts.Source}
	if doc.Info != nil {
		pkg.Title, pkg.Version, pkg.Description = doc.Info.Title, doc.Info.Version, strings.TrimSpace(doc.Info.Description)
	}
	pkg.Servers = b.servers()
	pkg.SecuritySchemes = b.securitySchemes()

	// Components first, in name order, so they get their names before any
	// inline type can take them.
	b.findPolyBases()
	if doc.Components != nil {
		for _, name := range sortedKeys(doc.Components.Schemas) {
			ref := doc.Components.Schemas[name]
			if ref == nil || ref.Value == nil {
				continue
			}
			b.componentType(name, ref)
		}
	}
	b.finishPolyBases()
	ops := b.operations()
	for _, op := range ops {
		if op.SkipReason != "" {
			pkg.Skipped = append(pkg.Skipped, op)
		} else {
			pkg.Operations = append(pkg.Operations, op)
		}
	}
	pkg.APEX = b.isAPEX(pkg)
	if pkg.APEX {
		// Only APEX packages get the WebSocket session.
		b.subscriptions(b.ws, ops)
		for _, op := range pkg.Operations {
			op.Note = apexNotes[op.ID]
			op.Rejectable = rejectable(singleJSON(op))
			if op.Rejectable {
				op.Note = docText(op.Note, `An answer with status "Rejected" (HTTP 200 all the same) means the order was not taken in: it is returned as an *APIError matching ErrRejected, with the server's errormsg as its Message, not as a result.`)
			}
		}
	}
	b.variantCycles()
	b.finishUnions()
	b.breakCycles()

	sort.Slice(b.types, func(i, j int) bool { return b.types[i].Name < b.types[j].Name })
	pkg.Types = b.types
	sort.Slice(pkg.Operations, func(i, j int) bool { return pkg.Operations[i].Name < pkg.Operations[j].Name })
	sort.Slice(pkg.Skipped, func(i, j int) bool { return pkg.Skipped[i].Name < pkg.Skipped[j].Name })

	b.diags.Sort()
	// A schema reached on several routes may report the same finding
	// more than once.
	b.diags = slices.Compact(b.diags)
	if b.opts.Strict {
		for i := range b.diags {
			b.diags[i].Severity = diag.Error
		}
	}
	if b.diags.HasErrors() {
		return nil, nil, b.diags
	}
	if err := checkIdentifiers(pkg); err != nil {
		return nil, nil, err
	}
	return pkg, b.diags, nil
}

// isAPEX reports whether the spec follows the AlphaPoint APEX conventions:
// an explicit x-kiiex-apex marker, or a POST /AuthenticateUser call.
func (b *builder) isAPEX(pkg *ir.Package) bool {
	if v, ok := b.doc.Extensions["x-kiiex-apex"].(bool); ok {
		return v
	}
	for _, op := range append(append([]*ir.Operation{}, pkg.Operations...), pkg.Skipped...) {
		if op.ID == "AuthenticateUser" && op.Method == "POST" && op.Path == "/AuthenticateUser" {
			return true
		}
	}
	return false
}

// apexNotes tell, on the generated methods of the APEX session calls, what
// the runtime does around them, so that there is one obvious way to log in
// (the helpers) and out (the generated LogOut).
var apexNotes = map[string]string{
	"AuthenticateUser": "This call alone does not start a session the client keeps: to log in, use LoginWithAPIKey or LoginWithPassword, which build and sign the request, store the session token for every later call and report a needed second factor (*TwoFactorRequiredError, then Complete2FA). Call AuthenticateUser directly only to inspect the raw answer; pass its token to SetSessionToken to use it.",
	"Authenticate2FA":  "This call alone does not keep the session: after a login that returned *TwoFactorRequiredError, use Complete2FA, which sends the pending login's token and stores the new session token.",
	"LogOut":           "The client forgets its session token once the call returns, whether or not it succeeded.",
}

// rejectable reports whether a success body has the APEX order
// acknowledgement shape: a "status" string enum that includes "Rejected"
// next to an "errormsg" (SendOrder, SubmitBlockTrade). Such an answer with
// status Rejected means the order was not taken in, although the HTTP
// status is 200 and there is no {"result": false} envelope. Query results
// with an order state (GetOrderStatus's OrderState) have another shape and
// are data, not failures.
// singleJSON is the JSON type an operation with one success shape returns,
// or nil.
func singleJSON(op *ir.Operation) *ir.GoType {
	if op.Result != nil || len(op.Successes) == 0 || op.Successes[0].Kind != ir.ResultJSON {
		return nil
	}
	return op.Successes[0].Type
}

func rejectable(g *ir.GoType) bool {
	if g == nil || g.Kind != ir.Named || g.Ref.Kind != ir.StructType {
		return false
	}
	status, msg := false, false
	for _, f := range g.Ref.Fields {
		switch strings.ToLower(f.JSONName) {
		case "errormsg":
			msg = true
		case "status":
			t := f.Type
			if t.Kind == ir.Pointer || t.Kind == ir.Nullable {
				t = t.Elem
			}
			if t.Kind == ir.Named && t.Ref.Kind == ir.EnumType && t.Ref.Enum != nil {
				for _, v := range t.Ref.Enum.Values {
					if s, ok := v.Value.(string); ok && strings.EqualFold(s, "Rejected") {
						status = true
					}
				}
			}
		}
	}
	return status && msg
}

func (b *builder) warn(ptr, kind, format string, args ...any) {
	line, col := b.opts.LocateNear(ptr)
	b.diags = append(b.diags, diag.Diagnostic{Severity: diag.Warning, File: b.opts.Source, Line: line, Col: col, Pointer: ptr, Kind: kind, Message: fmt.Sprintf(format, args...)})
}

func (b *builder) errorf(ptr, kind, format string, args ...any) {
	line, col := b.opts.LocateNear(ptr)
	b.diags = append(b.diags, diag.Diagnostic{Severity: diag.Error, File: b.opts.Source, Line: line, Col: col, Pointer: ptr, Kind: kind, Message: fmt.Sprintf(format, args...)})
}

func (b *builder) servers() []ir.Server {
	var out []ir.Server
	n := newNamer()
	for i, s := range b.doc.Servers {
		if s == nil {
			continue
		}
		word := ""
		if f := strings.Fields(s.Description); len(f) > 0 {
			word = f[0]
		}
		if v, ok := s.Extensions["x-go-name"].(string); ok {
			word = v
		}
		if word == "" {
			word = fmt.Sprint(i + 1)
		}
		ptr := fmt.Sprintf("#/servers/%d", i)
		parts, vars, ok := b.serverTemplate(s, ptr)
		if !ok {
			continue
		}
		name := n.claim(b.names.claim("Server"+GoName(word), ""), "")
		srv := ir.Server{Name: name, Description: strings.TrimSpace(s.Description), Variables: vars}
		var url strings.Builder
		for _, p := range parts {
			if p.Var >= 0 {
				url.WriteString(vars[p.Var].Default)
			} else {
				url.WriteString(p.Text)
			}
		}
		srv.URL = url.String()
		if len(vars) > 0 {
			srv.Parts = parts
			srv.Func = b.names.claim(name+"URL", "")
		}
		out = append(out, srv)
	}
	return out
}

// serverTemplate cuts a server URL at its {variables}. A URL naming a
// variable the server does not declare has no value to put there: the
// server is left out with a warning.
func (b *builder) serverTemplate(s *openapi3.Server, ptr string) ([]ir.URLPart, []ir.ServerVariable, bool) {
	var parts []ir.URLPart
	var vars []ir.ServerVariable
	index := map[string]int{}
	params := newNamer(localReserved...)
	rest := s.URL
	for rest != "" {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			parts = append(parts, ir.URLPart{Text: rest, Var: -1})
			break
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			parts = append(parts, ir.URLPart{Text: rest, Var: -1})
			break
		}
		if open > 0 {
			parts = append(parts, ir.URLPart{Text: rest[:open], Var: -1})
		}
		name := rest[open+1 : open+end]
		rest = rest[open+end+1:]
		i, seen := index[name]
		if !seen {
			v := s.Variables[name]
			if v == nil {
				b.warn(ptr+"/url", "server-variable", "server URL %q uses variable %q, which the server does not declare; the server is left out", s.URL, name)
				return nil, nil, false
			}
			i = len(vars)
			index[name] = i
			vars = append(vars, ir.ServerVariable{
				Name:        name,
				Param:       params.claim(localName(name), "Value"),
				Default:     v.Default,
				Enum:        v.Enum,
				Description: strings.TrimSpace(v.Description),
			})
		}
		parts = append(parts, ir.URLPart{Var: i})
	}
	return parts, vars, true
}

func (b *builder) securitySchemes() []ir.SecurityScheme {
	if b.doc.Components == nil {
		return nil
	}
	var out []ir.SecurityScheme
	for _, name := range sortedKeys(b.doc.Components.SecuritySchemes) {
		ref := b.doc.Components.SecuritySchemes[name]
		if ref == nil || ref.Value == nil {
			continue
		}
		s := ref.Value
		ss := ir.SecurityScheme{
			Name:        name,
			Const:       b.names.claim("Security"+GoName(name), ""),
			Type:        s.Type,
			Scheme:      strings.ToLower(s.Scheme),
			In:          s.In,
			Param:       s.Name,
			Description: strings.TrimSpace(s.Description),
		}
		switch s.Type {
		case "http", "apiKey", "oauth2", "openIdConnect":
		default:
			b.warn("#/components/securitySchemes/"+escape(name), "unsupported-security", "security scheme type %q is not supported; calls that need it are sent without it", s.Type)
		}
		out = append(out, ss)
	}
	return out
}

// sortedKeys returns a map's keys in byte order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// escape escapes one JSON-pointer token (RFC 6901).
func escape(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return pointerEscaper.Replace(s)
}

var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// pointerUnescaper turns a JSON pointer token back into the name it spells
// (built once: a Replacer's construction costs more than its use).
var pointerUnescaper = strings.NewReplacer("~1", "/", "~0", "~")

// docText joins a summary-like title and a description into a doc comment
// body, trimmed.
func docText(parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, "\n\n")
}
