// Package load reads an OpenAPI document (3.0, 3.1 or Swagger 2.0, JSON or
// YAML) into a kin-openapi model, repairing well-understood real-world
// defects in lenient mode and reporting every finding with its position.
//
// # Pipeline
//
// The bytes are parsed into a YAML node tree (JSON is YAML), guarded against
// hostile input (size, NUL bytes and invalid UTF-8, nesting deeper than
// MaxDepth, aliases expanding beyond MaxNodes, alias cycles), and copied
// into a plain tree: aliases expanded, merge keys (<<) applied, keys made
// strings. Every JSON pointer of the file is indexed with its line and
// column on the way; Document.Locate answers from that index. Repairs are
// then made on the tree, whose nodes keep their original positions, so a
// pointer that only exists after a repair (a path that gained its leading
// "/") is indexed to the position of the element it came from.
//
// The repaired tree is handed to kin-openapi as JSON written with one
// element per line. A line kin-openapi reports (in an Origin or an error)
// therefore names a JSON pointer, and the pointer a position in the original
// file: every diagnostic, kin-openapi's own included, cites the spec as the
// user wrote it. For the root file that JSON is never written nor parsed:
// kinTree builds the node tree go-yaml would parse from it (same tags,
// values, lines and columns), kin-openapi's decoder fills its model from
// that tree, and addOrigins gives the model the Origins kin-openapi's own
// parse would have. Only when kin-openapi refuses the document is the text
// written and loaded the old way, so its errors read as they always did.
// A JSON spec is read by a scanner of our own (encoding/json's decoder
// only for input the scanner refuses, for its error messages) and checked
// in place; YAML is parsed by go-yaml and copied (aliases expanded).
//
// # Cores
//
// A large document is loaded on every core (GOMAXPROCS) where the work
// falls into parts whose results join into exactly what one pass makes:
// go-yaml parses a block-style YAML file in pieces cut at the keys of its
// top-level mapping and of its sections, falling back to the whole parse
// for anything it cannot prove the same (split.go); a pretty-printed JSON
// file is read by a second scanner from a key near its middle, taken only
// if the first reaches that key in the state guessed (jsonscan.go);
// kinTree builds, kin-openapi's decoder decodes and addOrigins walks the
// path items and the component schemas in chunks (decode.go); kin-openapi
// validates the components beside the rest of the document (validate.go);
// fixOrigins fixes Origins in chunks. Diagnostics, positions and the model
// do not depend on the number of cores (TestSplitParseSameAsWhole,
// TestSplitJSONSameAsOne, TestParallelDecodeSameAsWhole,
// TestParallelKinTreeSameAsOne, TestParallelOriginsSameAsOne,
// TestDocFindingsSameAsValidate, and the fuzz targets FuzzSplitParse and
// FuzzSplitJSON).
//
// # Repairs (lenient mode)
//
// Each repair is applied and reported as a warning of the given Kind; with
// Options.Strict it is reported as an error and loading fails (after going
// on to the end, so that one pass reports every error).
//
//   - path-missing-slash: a path key without its leading "/" gets one. Two
//     paths that collide after that are an error (Kind path-collision).
//   - property-required-bool: "required: true|false" on a property schema
//     (OpenAPI 2/3 want a list on the parent object) is removed and, when
//     true, the property name is added to the parent's required list.
//   - schema-required-bool: the same boolean on a schema that is not a
//     property (a body or a component) is removed: it has no meaning there.
//   - type-file: "type: file" in an OpenAPI 3 schema becomes
//     "type: string, format: binary", its OpenAPI 3 spelling.
//   - enum-type-mismatch: enum values written as strings in an integer,
//     number or boolean schema ("1", "true") become numbers/booleans, and
//     numbers or booleans in a string enum become strings, when every value
//     converts.
//   - type-array-in-3.0, type-array-in-2.0: "type: [T, 'null']" in OpenAPI
//     3.0 becomes "type: T, nullable: true" (Swagger 2.0: "x-nullable");
//     a list of several types, which only 3.1 can express, is dropped (any
//     JSON value). "type: null" before 3.1 is dropped too (Kind type-null).
//   - nullable-in-3.1: "nullable: true" in OpenAPI 3.1 (where it is not a
//     keyword) becomes a "null" entry in the schema's type.
//   - missing-description: a response without the required description
//     gets an empty one.
//   - missing-responses: an operation without responses (a truncated
//     document) or with an empty responses object is read as having one
//     default response without a body.
//   - path-parameter-optional: a path parameter without "required: true"
//     (inline, at path level, or a component) is read as required.
//   - missing-schema: an OpenAPI 3 parameter or header with neither schema
//     nor content is read as a string.
//   - header-name-in: "name" and "in" in a header object are removed.
//   - null-webhook: a webhook written as null is dropped.
//   - webhooks-in-3.0: an OpenAPI 3.0 document's webhooks (3.1's) are
//     dropped; so is (invalid-security-scheme) a 3.0 mutualTLS scheme.
//   - string-field: a number or boolean where OpenAPI wants a string (the
//     info version "1.0" above all, a numeric operationId, a pattern of
//     digits) is read as its text.
//   - required-not-list: an object schema's "required: name" is read as
//     the list [name].
//   - missing-schema also covers Swagger 2.0's schema fields (type, format,
//     items, enum...) on an OpenAPI 3 parameter: moved into its schema.
//   - component-name: an OpenAPI 3 component name with characters outside
//     [a-zA-Z0-9._-] ("Page[Order]", "Foo Bar") is kept (the namer makes
//     the Go name); Swagger 2.0 definition names, which 2.0 does not
//     restrict (springfox's "ResponseEntity«List«User»»"), pass silently.
//
// The schema, response and parameter repairs apply in referenced files
// too (with those files' names and positions), not only in the root.
//   - invalid-security-scheme: a security scheme that does not say how to
//     send its credential (unknown type, apiKey without name or a valid
//     "in", http without scheme, oauth2 without flows, openIdConnect
//     without its URL) is dropped; requirements naming it are then ignored
//     (undefined-security-scheme).
//   - duplicate-key: a mapping key given twice: the last value is used, as
//     JSON decoders do.
//   - openapi-version: an "openapi" version of a known major.minor that
//     kin-openapi does not know (3.0.9) is read as the latest one it does.
//   - broken-ref-unused: a component that is used by no operation and holds
//     a $ref that does not resolve is dropped (repeatedly, so components that
//     only served dropped ones go too).
//   - broken-ref: a used $ref that does not resolve where a schema belongs
//     (in the root or in a referenced file) is removed, so the schema reads
//     as any JSON value. Elsewhere (a parameter, a response) it is an error
//     of that Kind at the position of the $ref.
//   - wrong-kind-ref: a $ref to a component of another kind than its
//     position calls for (a parameter $ref into components/schemas, a
//     response kept under schemas, a schema $ref to a response), and the
//     places that are never references but are written as ones ("content:
//     {$ref}", an operation, a "properties" map): the target is copied in
//     place (its relative $refs and discriminator mappings rebased) when it
//     has the needed shape (for a schema $ref to a response: the schema of
//     its only media type; a header parameter serves as a header), a
//     request body or response $ref to a schema reads as a JSON body of that
//     schema, and any other is dropped (a schema then reads as any JSON
//     value, a response as one without a body). A Swagger 2.0 parameter or
//     response in another file is copied into the root silently, since the
//     conversion to OpenAPI 3 reads only the root as 2.0; so is a path item
//     kept in another file under a document field's name ("#/webhooks"),
//     which kin-openapi would read as that field. A copy from another file
//     takes the position of the $ref it replaces, and is repaired like the
//     rest of the root.
//   - text-ref: a description or summary written as a $ref gets the text
//     it points at, or none when that is not text.
//   - duplicate-operation-id: of operations sharing an operationId, each
//     after the first in document order (paths as in the file, then methods
//     in Path Item order) gets the id with the first free "_2", "_3"...
//   - undefined-security-scheme: a security requirement naming a scheme
//     the document does not define is ignored (a list left empty means no
//     security).
//   - duplicate-parameter: a parameter that one parameters list declares
//     twice (same name and location) is kept once, the first.
//   - type-null: "type: null" before OpenAPI 3.1 is removed (any JSON
//     value).
//   - type-alias: a programming language's name for a JSON Schema type
//     ("int", "long", "bool", "float", "double", ...) is read as that type,
//     with the format it implies when the schema gives none; any other
//     unknown type stays an error.
//
// kin-openapi's "conflicting paths" finding (templates that differ only in
// parameter names, "/x/{a}" and "/x/{b}") is dropped: it concerns routers;
// a client builds each URL from the template of the operation called.
//
// Errors found before kin-openapi sees the document have these Kinds:
// wrong-kind (a "paths" that is a list, an operation that is a string...),
// path-collision, broken-ref (outside schemas), ref-refused (the reference policy below),
// bad-ref (a $ref that is not a URI). Errors of kin-openapi's decoder are
// Kind decode (e.g. "cannot read integer into openapi3.Content"), of its
// reference resolution Kind load, and a recovered panic Kind internal.
// Errors of parsing (syntax, size, encoding, nesting, aliases, not an
// OpenAPI document, unsupported version) have no Kind: they are about the
// file, not about an element.
//
// # Findings of kin-openapi's validation
//
// The document is validated with all of kin-openapi's checks, examples
// included. These classes are warnings, since code generation does not
// depend on them: invalid-example (an example, or a named example, that
// fails its schema, and malformed example objects), invalid-default,
// unknown-field (kin-openapi's "extra sibling fields": a key the object does
// not define), version-mismatch (a keyword of another OpenAPI version, which
// the generator reads anyway), info (missing title or version, license
// name, external docs URL), duplicate-tag, duplicate-required,
// server-url, and schema-pattern (a pattern Go cannot compile), as well as
// read-only-write-only and multiple-of. Every other finding is an error,
// with kin-openapi's code as its Kind. Like the repairs, the warnings are
// errors in strict mode. Messages keep the first line of kin-openapi's (and
// the first of the findings of an example). Each schema, example and
// default is checked once, so a defect is reported once, where it is
// (kin-openapi alone reports it again from every component and operation
// that reaches it, and only the first finding of each). A valid spec
// produces no diagnostics at all.
//
// # Versions
//
// OpenAPI 3.0.x and 3.1.x (and what kin-openapi supports of 3.2) load as
// they are. Swagger 2.0 is converted with openapi2conv.ToV3 and reported
// with the notice Kind converted-swagger2, which stays a warning in strict
// mode: the input is not defective. Any other version is an error.
//
// # External references
//
// A $ref to another file is allowed only to a file inside the directory of
// the root spec, or below it (symbolic links are resolved before the
// check); one that escapes it, or an absolute path, is an error.
// Options.RefRoot widens that directory to an ancestor of the spec's, for
// multi-file specs that share a sibling folder (../common/x.yaml); refs
// still resolve relative to the file holding them. A $ref to
// an http(s) URL is refused unless Options.AllowRemoteRefs is set; no other
// scheme is read. The policy is enforced by the loader's own
// openapi3.ReadFromURIFunc, so it holds for references inside referenced
// files too, and referenced files get the same guards as the root. Their
// diagnostics name them by their path relative to the root's directory.
//
// # Files, limits and complexity
//
// The spec and every referenced file must be regular files (ReadFile: a
// FIFO, device, socket or directory is refused before it is opened, also
// through a symbolic link) of at most MaxInputSize bytes; a remote $ref is
// cut off at MaxInputSize bytes and 30 seconds. Loading takes time and
// memory linear in the size of the document:
//
//   - the total length of its JSON pointers is bounded (PointerBudget);
//   - $refs resolve through an index of large mappings;
//   - chains of components that hold only a $ref are pointed at their end
//     before kin-openapi resolves them (it would follow each chain again
//     from every member);
//   - every schema is validated once, and every example and default checked
//     once (see validate; kin-openapi alone checks each again from every
//     component and operation that reaches it, and reports only the first
//     finding of each);
//   - a document with a mapping of more than MaxOriginWidth keys is decoded
//     by kin-openapi as JSON, because its YAML decoder checks duplicate keys
//     in time quadratic in a mapping's size; the loader gives the model the
//     Origins the YAML decoder would have (addOrigins), so findings are
//     placed as exactly. A referenced file with such a mapping is still
//     decoded as YAML.
//
// # Errors
//
// Errors are returned as a diag.List holding every error found in the pass
// that failed, sorted; warnings are in Document.Diagnostics. Data never
// panics: a panic inside it is returned as an "internal error" diagnostic.
package load

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v4"

	"github.com/kiiexgen/kiiexgen/generator/diag"
)

// Options control loading.
type Options struct {
	// Strict turns repairable defects (warnings) into errors.
	Strict bool
	// AllowRemoteRefs permits $refs to http(s) URLs. Off by default: no
	// network access unless asked for.
	AllowRemoteRefs bool
	// BaseDir, when set, is the directory relative $refs resolve against
	// (and may not escape); by default it is the directory of the name the
	// spec was loaded under. Callers that show a shortened spec path in
	// diagnostics set it to the real directory.
	BaseDir string
	// RefRoot, when set, is the directory that external $refs may reach
	// instead of BaseDir: a multi-file spec whose files refer to a sibling
	// folder (../common/x.yaml) is read with RefRoot set to their common
	// parent. It must contain BaseDir. Refs are still resolved relative to
	// the file that holds them; symbolic links and absolute paths that
	// leave RefRoot are still refused.
	RefRoot string
}

// Document is a loaded spec together with what loading found.
type Document struct {
	// Doc is the parsed, reference-resolved document.
	Doc *openapi3.T
	// Source is the spec path as the user gave it; used in diagnostics and
	// in the "// Source:" line of generated files.
	Source string
	// Diagnostics are the warnings loading produced (errors are returned).
	Diagnostics diag.List
	// Version is the version the spec declared: "2.0" for Swagger (Doc is
	// then its OpenAPI 3 conversion), else the "openapi" field as written.
	Version string

	index map[string]pos
	// root is the document's node tree as parsed (before kin-openapi
	// turned every number into a float64); Number reads it.
	root *yaml.Node
}

// Number returns the text of the number at the JSON pointer as written in
// the document, also for a Swagger 2.0 element named by its pointer in the
// conversion ("" and false when the element is not a number or not found).
// kin-openapi holds numbers as float64, which
// cannot tell 9223372036854775807 from 9223372036854775808; callers that
// need an exact integer read it here.
func (d *Document) Number(pointer string) (string, bool) {
	if d == nil || d.root == nil {
		return "", false
	}
	p := normalizePointer(pointer)
	if text, ok := scalarNumber(d.root, p); ok {
		return text, true
	}
	// A Swagger 2.0 element, named by its pointer in the conversion.
	return scalarNumber(d.root, v2Pointer(p))
}

// scalarNumber finds the number at the RFC 6901 pointer p in the tree.
func scalarNumber(n *yaml.Node, p string) (string, bool) {
	if p != "" {
		if !strings.HasPrefix(p, "/") {
			return "", false
		}
		for _, tok := range strings.Split(p[1:], "/") {
			tok = unescapeToken(tok)
			var next *yaml.Node
			switch n.Kind {
			case yaml.MappingNode:
				for i := 0; i+1 < len(n.Content); i += 2 {
					if n.Content[i].Value == tok {
						next = n.Content[i+1]
					}
				}
			case yaml.SequenceNode:
				if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(n.Content) {
					next = n.Content[i]
				}
			}
			if next == nil {
				return "", false
			}
			n = next
		}
	}
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") {
		return "", false
	}
	return n.Value, true
}

// Locate returns the 1-based line and column in Source of the element at the
// JSON pointer (with or without the leading "#"), or 0, 0 when unknown.
// For a pointer that only exists after a repair, the position is that of
// the element it was repaired from.
func (d *Document) Locate(pointer string) (line, col int) {
	if d == nil || d.index == nil {
		return 0, 0
	}
	p, ok := d.index[normalizePointer(pointer)]
	if !ok {
		return 0, 0
	}
	return p.line, p.col
}

// LocateNear is Locate for diagnostics: when the element at pointer has no
// position of its own in Source (it was converted from Swagger 2.0, lives
// in another file or was copied in from one), it answers with the position
// of the nearest enclosing element that has one.
func (d *Document) LocateNear(pointer string) (line, col int) {
	if d == nil || d.index == nil {
		return 0, 0
	}
	p := normalizePointer(pointer)
	if d.Version == "2.0" {
		p = v2Pointer(p)
	}
	for {
		if at, ok := d.index[p]; ok {
			return at.line, at.col
		}
		i := strings.LastIndexByte(p, '/')
		if i < 0 {
			return 0, 0
		}
		p = p[:i]
	}
}

// normalizePointer strips the "#" of a URI-fragment pointer (decoding its
// percent escapes) and returns the plain RFC 6901 form, "" for the root.
func normalizePointer(p string) string {
	if strings.HasPrefix(p, "#") {
		p = p[1:]
		if strings.Contains(p, "%") {
			if u, err := url.PathUnescape(p); err == nil {
				p = u
			}
		}
	}
	return p
}

// File loads the spec at path, which must be a regular file (see ReadFile).
func File(ctx context.Context, path string, opts Options) (*Document, error) {
	data, err := ReadFile(path)
	if err != nil {
		return nil, diag.Errorf(path, 0, 0, "", "%v", unwrapPathError(err))
	}
	return Data(ctx, path, data, opts)
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// Data loads a spec from memory; name is used in diagnostics, and its
// directory is where relative $refs are looked for.
func Data(ctx context.Context, name string, data []byte, opts Options) (doc *Document, err error) {
	defer func() {
		if r := recover(); r != nil {
			doc = nil
			err = diag.List{{Severity: diag.Error, File: name, Kind: "internal", Message: fmt.Sprintf("internal error: %v", r)}}
		}
	}()
	if ctx == nil {
		ctx = context.Background()
	}
	l := newLoader(ctx, name, opts)
	return l.run(data)
}

// loader is the state of one Data call.
type loader struct {
	ctx  context.Context
	opts Options
	rep  *reporter
	// inOtherFile is set while the repairs visit a referenced file's
	// objects (see refFix.walker; name is then that file's): their
	// positions are the nodes' own, not the root's index.
	inOtherFile bool
	// other is that file while inOtherFile is set.
	other loc
	// edits counts the repairs that change the tree without a diagnostic;
	// with the diagnostics, they tell whether a referenced file changed.
	edits int
	name  string

	dir     string // absolute, symlink-free directory of the root spec
	refRoot string // absolute, symlink-free directory external $refs may reach
	rootURL *url.URL
	root    *parsed
	version string // declared version
	v31     bool   // OpenAPI 3.1 or later
	v2      bool   // Swagger 2.0

	// files holds every file handed to kin-openapi, by the URI string
	// kin-openapi uses for it (its Origin.File).
	files map[string]*srcFile

	// schemaRefs holds the pointers of the root's objects holding a $ref
	// where a schema belongs.
	schemaRefs map[string]bool
	// droppedSchemes holds the security schemes repairSecuritySchemes
	// dropped, by file key + "#" + pointer, with their names: a $ref from
	// another file to one of them is dropped too.
	droppedSchemes map[string]string
	// noFlows2 names the Swagger 2.0 oauth2 schemes whose flow was found
	// invalid: the converted scheme has no flows.
	noFlows2 map[string]bool

	// renamed maps the pointers of renamed path items to their original
	// pointers.
	renamed map[string]string

	// ix indexes the mappings of the trees while checkRefs reads them.
	ix keyIndex
	// made holds the Origins addOrigins made.
	made []*openapi3.Origin
	// listed holds the names of the required lists that repairs add to.
	listed map[*yaml.Node]map[string]bool
}

// srcFile is a file handed to kin-openapi.
type srcFile struct {
	p   *parsed
	em  *emitted
	err error // why it could not be read or parsed
}

func newLoader(ctx context.Context, name string, opts Options) *loader {
	l := &loader{ctx: ctx, opts: opts, rep: &reporter{strict: opts.Strict}, name: name, files: make(map[string]*srcFile)}
	abs := name
	if abs == "" || abs == "-" {
		abs = "spec"
	}
	if a, err := filepath.Abs(abs); err == nil {
		abs = a
	}
	l.dir = filepath.Dir(abs)
	if opts.BaseDir != "" {
		if a, err := filepath.Abs(opts.BaseDir); err == nil {
			l.dir = a
		}
	}
	if d, err := filepath.EvalSymlinks(l.dir); err == nil {
		l.dir = d
	}
	l.rootURL = &url.URL{Path: filepath.ToSlash(filepath.Join(l.dir, filepath.Base(abs)))}
	l.refRoot = l.dir
	if opts.RefRoot != "" {
		if a, err := filepath.Abs(opts.RefRoot); err == nil {
			if d, err := filepath.EvalSymlinks(a); err == nil {
				a = d
			}
			l.refRoot = a
		}
	}
	return l
}

// checkRefRoot reports a RefRoot that does not contain the spec's directory.
func (l *loader) checkRefRoot() error {
	if rel, err := filepath.Rel(l.refRoot, l.dir); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return diag.Errorf(l.name, 0, 0, "", "the $ref root %s does not contain the spec's directory", l.opts.RefRoot)
	}
	return nil
}

// fail returns the errors collected so far (plus err's) as the result.
func (l *loader) fail(err error) (*Document, error) {
	if list, ok := err.(diag.List); ok {
		l.rep.list = append(l.rep.list, list...)
	} else if err != nil {
		l.rep.fail("", l.name, pos{}, "", err.Error())
	}
	errs, _ := l.rep.split()
	return nil, errs
}

// testHook, when set, runs at the start of each load (tests use it to
// check that a panic becomes an error).
var testHook func()

func (l *loader) run(data []byte) (*Document, error) {
	if testHook != nil {
		testHook()
	}
	if err := l.checkRefRoot(); err != nil {
		return l.fail(err)
	}
	p, err := parseFile(l.rep, l.name, data)
	if err != nil {
		return l.fail(err)
	}
	l.root = p
	if err := l.checkRoot(); err != nil {
		return l.fail(err)
	}
	var doc *openapi3.T
	if l.v2 {
		doc, err = l.loadSwagger2()
	} else {
		doc, err = l.loadOpenAPI3()
	}
	if err != nil {
		return l.fail(err)
	}
	errs, warns := l.rep.split()
	if len(errs) > 0 {
		return nil, errs
	}
	return &Document{Doc: doc, Source: l.name, Diagnostics: warns, Version: l.version, index: p.index, root: p.root}, nil
}

var (
	versionRE     = regexp.MustCompile(`^3(\.([0-9]+)(\.[0-9]+)?)?$`)
	latestVersion = map[string]string{"3.0": "3.0.4", "3.1": "3.1.2", "3.2": "3.2.0"}
)

// checkRoot checks that the document is an OpenAPI document of a version
// kiiexgen reads.
func (l *loader) checkRoot() error {
	r := l.root.root
	if r.Kind != yaml.MappingNode {
		what := kindName(r.Kind)
		if r.Kind == yaml.ScalarNode {
			what = "scalar"
		}
		return diag.Errorf(l.name, r.Line, r.Column, "", "not an OpenAPI document: the top level is a %s, not a mapping", what)
	}
	_, ov := get(r, "openapi")
	sk, sv := get(r, "swagger")
	switch {
	case ov != nil && sv != nil:
		return diag.Errorf(l.name, sk.Line, sk.Column, "#/swagger", "both \"openapi\" and \"swagger\" fields are present")
	case ov == nil && sv == nil:
		return diag.Errorf(l.name, r.Line, r.Column, "", "not an OpenAPI document: no \"openapi\" or \"swagger\" field")
	case sv != nil:
		l.version = sv.Value
		if sv.Kind != yaml.ScalarNode || sv.Value != "2.0" {
			return diag.Errorf(l.name, sv.Line, sv.Column, "#/swagger", "unsupported Swagger version %s; kiiexgen reads OpenAPI 3.0, 3.1 and Swagger 2.0", scalarText(sv))
		}
		l.v2 = true
		return nil
	}
	l.version = ov.Value
	m := versionRE.FindStringSubmatch(ov.Value)
	if ov.Kind != yaml.ScalarNode || m == nil || (m[2] != "" && m[2] != "0" && m[2] != "1" && m[2] != "2") {
		return diag.Errorf(l.name, ov.Line, ov.Column, "#/openapi", "unsupported OpenAPI version %s; kiiexgen reads OpenAPI 3.0, 3.1 and Swagger 2.0", scalarText(ov))
	}
	t := &openapi3.T{OpenAPI: ov.Value}
	if t.OpenAPIMajorMinor() == "" {
		mm := "3." + m[2]
		if m[2] == "" {
			mm = "3.0"
		}
		ov.Value, ov.Tag, ov.Style = latestVersion[mm], "!!str", 0
		l.rep.repair("openapi-version", l.name, nodePos(ov), "/openapi",
			fmt.Sprintf("OpenAPI version %q is not a release kin-openapi knows; read as %s", l.version, ov.Value))
		t.OpenAPI = ov.Value
	}
	l.v31 = t.IsOpenAPI31OrLater()
	return nil
}

func scalarText(n *yaml.Node) string {
	if n.Kind != yaml.ScalarNode {
		return "(a " + kindName(n.Kind) + ")"
	}
	return fmt.Sprintf("%q", n.Value)
}

// prepare checks the tree's shape, repairs it, checks its references and
// registers the root file; false means errors were reported. Both OpenAPI 3
// and Swagger 2.0 documents go through it.
func (l *loader) prepare() bool {
	l.checkShape()
	if l.rep.hasErrors() {
		return false
	}
	l.hoistDefinitions()
	// $refs first: what they copy in is repaired like the rest.
	l.fixRefKinds()
	l.repairDoc()
	l.checkRefs()
	if l.rep.hasErrors() {
		return false
	}
	l.files[l.rootURL.String()] = &srcFile{p: l.root}
	return true
}

// emitRoot writes the root tree as JSON for kin-openapi.
func (l *loader) emitRoot() *emitted {
	f := l.files[l.rootURL.String()]
	f.em = emitJSON(l.root)
	return f.em
}

// decodeText makes kin-openapi parse the emitted text itself, as every load
// did before kinTree: tests compare the two (TestTreeDecodeSameAsText).
var decodeText = false

// loadOpenAPI3 repairs the tree, checks its references and hands it to
// kin-openapi.
func (l *loader) loadOpenAPI3() (*openapi3.T, error) {
	if !l.prepare() {
		return nil, nil
	}
	kl := l.kinLoader()
	var doc *openapi3.T
	var err error
	switch {
	case l.root.widest > maxOriginWidth:
		// kin-openapi decodes with go-yaml, whose duplicate-key check takes
		// time quadratic in a mapping's size (100,000 properties: minutes).
		// Decoded as JSON instead, the model has no Origins; addOrigins
		// gives it the ones go-yaml would have.
		em := l.emitRoot()
		doc = &openapi3.T{}
		if err = json.Unmarshal(em.data, doc); err == nil {
			tree, _ := kinTree(l.root)
			l.addOrigins(doc, tree)
			err = kl.ResolveRefsIn(doc, l.rootURL)
		}
	case !decodeText:
		if doc, err = l.decodeTree(kl); err == nil {
			break
		}
		// A document kin-openapi refuses: its errors are read off the text
		// as they always were (a second decode, for a document that fails
		// anyway).
		kl = l.kinLoader()
		fallthrough
	default:
		doc, err = kl.LoadFromDataWithPath(l.emitRoot().data, l.rootURL)
	}
	if err != nil {
		l.kinLoadError(err)
		return nil, nil
	}
	l.fixDoc(doc)
	l.validate(doc)
	l.fixOrigins(doc)
	return doc, nil
}

// decodeTree decodes the root from the tree kinTree builds, the one
// kin-openapi would parse from the emitted text, without writing and
// parsing that text. kin-openapi's decoder gives Origins only to text it
// parses itself; addOrigins gives this model the ones it would have.
func (l *loader) decodeTree(kl *openapi3.Loader) (*openapi3.T, error) {
	tree, em := kinTree(l.root)
	l.files[l.rootURL.String()].em = em
	// An empty document loaded at the root's URL registers the model as the
	// root document (its location, the document a $ref back from another
	// file resolves in) as loading the text would.
	doc, err := kl.LoadFromDataWithPath([]byte("{}"), l.rootURL)
	if err != nil {
		return nil, err
	}
	if err := decodeRoot(tree, doc); err != nil {
		return nil, err
	}
	l.addOrigins(doc, tree)
	if err := kl.ResolveRefsIn(doc, l.rootURL); err != nil {
		return nil, err
	}
	return doc, nil
}

// fixDoc makes the repairs that need the loaded document.
func (l *loader) fixDoc(doc *openapi3.T) {
	l.dedupeOperationIDs(doc)
	l.dedupeParameters(doc)
	l.dropUndefinedSecurity(doc)
}

func (l *loader) kinLoader() *openapi3.Loader {
	kl := openapi3.NewLoader()
	kl.Context = l.ctx
	kl.IncludeOrigin = true
	kl.IsExternalRefsAllowed = true // enforced by readURI
	kl.ReadFromURIFunc = l.readURI
	return kl
}

// Node helpers.

// get returns the key and value nodes of a mapping entry, or nils.
func get(m *yaml.Node, key string) (k, v *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

// val returns the value of a mapping entry, or nil.
func val(m *yaml.Node, key string) *yaml.Node {
	_, v := get(m, key)
	return v
}

// del removes a mapping entry.
func del(m *yaml.Node, key string) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = append(m.Content[:i:i], m.Content[i+2:]...)
			return
		}
	}
}

// set sets a mapping entry, adding it (at the position of at) if absent.
func set(m *yaml.Node, key string, v *yaml.Node, at pos) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content[i+1] = v
			return
		}
	}
	k := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key, Line: at.line, Column: at.col}
	m.Content = append(m.Content, k, v)
}

func str(s string, at pos) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s, Line: at.line, Column: at.col}
}

// entries calls f for each entry of a mapping, in order.
func entries(m *yaml.Node, f func(k, v *yaml.Node)) {
	if m == nil || m.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		f(m.Content[i], m.Content[i+1])
	}
}
