// Package ir is kiiexgen's intermediate representation: plain data in which
// every Go decision has been made. The build stage fills it from an OpenAPI
// document; the emit stage only reads it. Nothing here refers to kin-openapi,
// so the emitter cannot reach back into the spec.
package ir

// Package is one generated Go package.
type Package struct {
	// Name is the Go package name.
	Name string
	// Source is the spec path as the user gave it, printed in file headers.
	Source string
	// Title, Version and Description come from the spec's info object.
	Title, Version, Description string
	// Types holds every named type, sorted by Go name.
	Types []*Type
	// Operations holds the HTTP operations, sorted by Go method name.
	Operations []*Operation
	// Skipped lists operations that get no client method, with the reason.
	Skipped []*Operation
	// Servers are the spec's servers, in spec order.
	Servers []Server
	// SecuritySchemes are the declared schemes, sorted by name.
	SecuritySchemes []SecurityScheme
	// APEX is true when the spec follows the AlphaPoint APEX conventions
	// (KIIEX): the runtime then includes the login helper and the envelope
	// check on successful responses.
	APEX bool
}

// TypeKind tells what a named type is.
type TypeKind int

const (
	// StructType is an object with properties.
	StructType TypeKind = iota
	// EnumType is a defined scalar type with typed constants.
	EnumType
	// UnionType is a sealed interface (oneOf/anyOf).
	UnionType
	// AliasType is `type Name = Target`, for components that are arrays, maps or
	// scalars without an enum.
	AliasType
	// WrapperType is a struct { Value T } variant of a union whose value is not
	// a named struct or enum (a string, an array, ...).
	WrapperType
)

// Type is a named Go type.
type Type struct {
	Name string
	Kind TypeKind
	// Doc is the description (already trimmed); may be empty.
	Doc string
	// Role says where the type comes from ("the DepositTicket schema", "the
	// request body of POST /GetDepositTicket"); it opens the doc comment.
	Role string
	// Ref is the JSON pointer of the schema ("#/components/schemas/X") when
	// the type comes from a component; emitted as a back-link.
	Ref        string
	Deprecated bool

	// Fields of a Struct, in emission order.
	Fields []*Field
	// Secret is true when some field holds a secret; the type then gets
	// redacting String/GoString/Format methods.
	Secret bool

	// Enum describes an Enum type.
	Enum *Enum
	// Union describes a Union type.
	Union *Union
	// Target is the aliased type of an Alias, or the value type of a Wrapper.
	Target *GoType
	// Implements lists the unions this type is a variant of (marker methods).
	Implements []*Type
	// Fill sets a union discriminator property when it is left empty on
	// encoding (the struct is a variant of exactly one discriminated union).
	Fill *Fill
	// Extra is the map field that keeps the members a struct's properties
	// do not name (properties beside additionalProperties: schema or true);
	// nil when the schema does not ask for them.
	Extra *Field
	// Variant is the field holding the oneOf/anyOf alternative of a schema
	// that declares properties beside its alternatives (nil otherwise): a
	// required union (Variant.Type names it) decoded from the whole object,
	// whose members MarshalJSON writes after the properties' own, leaving
	// out a member a property already wrote. It is not in Fields.
	Variant *Field
	// Unmapped are declared property names that got no field (they cannot be
	// struct tag keys, or they belong to the alternatives of Variant); they
	// never go into Extra either.
	Unmapped []string
	// Closed is true when the schema forbids members its properties do
	// not name (additionalProperties: false); the generated fake server
	// refuses them in requests.
	Closed bool
	// Params marks an operation's parameter struct: its fields carry no JSON
	// tags, the client serialises them into the path, query and headers.
	Params bool
}

// Server is one entry of the spec's servers list.
type Server struct {
	// Name is the constant's Go name (ServerStaging).
	Name string
	// URL is the server URL with every variable replaced by its default.
	URL         string
	Description string
	// Parts is the URL template cut at its variables, in order; set only
	// when the URL has variables. Func names the function that builds the
	// URL from them.
	Parts []URLPart
	Func  string
	// Variables are the declared variables the URL uses, in the order
	// they first appear; each is one parameter of Func.
	Variables []ServerVariable
}

// URLPart is a piece of a server URL template: literal text, or (Var >= 0)
// the value of Variables[Var].
type URLPart struct {
	Text string
	Var  int
}

// ServerVariable is one variable of a server URL template.
type ServerVariable struct {
	// Name is the variable's name in the spec; Param is the Go parameter.
	Name, Param string
	Default     string
	Enum        []string
	Description string
}

// SecurityScheme is one entry of components.securitySchemes.
type SecurityScheme struct {
	// Name is the key in components.securitySchemes.
	Name string
	// Const is the Go name of the constant holding Name.
	Const string
	// Type is "http", "apiKey", "oauth2" or "openIdConnect".
	Type string
	// Scheme is the lower-cased http scheme ("bearer", "basic").
	Scheme string
	// In and Param locate an apiKey ("header", "query", "cookie").
	In, Param   string
	Description string
}

// Fill is a discriminator value a variant struct writes when its field is
// empty.
type Fill struct {
	Field *Field
	Value string
}

// Field is one struct field.
type Field struct {
	Name     string
	JSONName string
	Type     *GoType
	// OmitEmpty / OmitZero select the JSON tag option.
	OmitEmpty, OmitZero bool
	Required            bool
	Doc                 string
	Deprecated          bool
	Secret              bool
	// Nullable is true when the schema allows null.
	Nullable bool
	// ReadOnly fields are set by the server: MarshalJSON leaves them out.
	// WriteOnly fields are only sent: responses need not carry them, so
	// union matching does not require them.
	ReadOnly, WriteOnly bool
	// Const is the one value the property may have (a JSON Schema const or
	// single-value enum): a string, bool or float64; nil when unconstrained.
	Const any
	// FillConst makes MarshalJSON write Const when the field is empty (a
	// required string const, or the key of an inferred discriminator).
	FillConst bool
}

// Enum is the value set of an Enum type.
type Enum struct {
	// Base is the underlying type: "string", "int64", "int32", "float64" or "bool".
	Base   string
	Values []EnumValue
}

// EnumValue is one typed constant.
type EnumValue struct {
	// Name is the constant's Go name (TypeName + value name).
	Name string
	// Value is a string, int64, float64 or bool.
	Value any
	Doc   string
}

// Union describes a sealed interface.
type Union struct {
	// AnyOf selects the anyOf decoding rule (most specific match wins)
	// instead of oneOf's exactly-one rule.
	AnyOf    bool
	Variants []*Variant
	// Discriminator is the JSON property that selects the variant, or "".
	Discriminator string
	// Implicit is true when Discriminator was inferred from const (or
	// single-value enum) properties rather than declared.
	Implicit bool
	// Nullable is true when null is one of the alternatives.
	Nullable bool
	// Decoder is the name of the generated DecodeX function.
	Decoder string
}

// JSONKind is the kind of JSON value a variant accepts.
type JSONKind byte

// JSON kinds, matching the runtime's jsonKind results.
const (
	KindAny     JSONKind = 0
	KindObject  JSONKind = 'o'
	KindArray   JSONKind = 'a'
	KindString  JSONKind = 's'
	KindNumber  JSONKind = 'n'
	KindBool    JSONKind = 'b'
	KindInteger JSONKind = 'i' // a number without fraction or exponent
)

// Variant is one alternative of a union.
type Variant struct {
	// Type is the concrete Go type stored in the interface: a pointer to a
	// Struct, an Enum value, or a Wrapper value.
	Type *GoType
	// Named is the named type that implements the interface.
	Named *Type
	// Label is the variant's name in errors (usually Named.Name).
	Label string
	// Kind is the JSON kind the variant accepts.
	Kind JSONKind
	// Required lists the JSON properties an object variant requires.
	Required []string
	// Props lists declared properties with their JSON kinds, for type checks.
	Props []PropKind
	// Closed is true when additionalProperties is false.
	Closed bool
	// Beside are the properties declared beside the union's alternatives
	// (see Type.Variant): they belong to the same object, so a closed
	// variant accepts them too.
	Beside []string
	// EnumStrings restricts a string variant to these values (nil = any).
	EnumStrings []string
	// Tags are the discriminator values that select this variant.
	Tags []string
	// Consts are properties whose value is fixed (const or single-value
	// enum): a payload with another value there does not match.
	Consts []PropConst
	// Items is the JSON kind of an array variant's elements (KindAny: not
	// checked); ItemsNullable tells whether null elements are allowed.
	Items         JSONKind
	ItemsNullable bool
}

// PropConst is a property with a fixed value.
type PropConst struct {
	Name string
	// JSON is the value's JSON encoding.
	JSON string
	// Present requires the property to be present (every object variant of
	// the union fixes it, so a payload without it fits none).
	Present bool
}

// PropKind is a declared property and the JSON kind its value must have.
type PropKind struct {
	Name     string
	Kind     JSONKind
	Nullable bool
}

// GoTypeKind classifies a type expression.
type GoTypeKind int

const (
	// Builtin is a predeclared type: string, bool, int32, int64, float64, any.
	Builtin GoTypeKind = iota
	// Runtime is a type of the generated package's runtime (Decimal,
	// DateTime, Date) named by Name.
	Runtime
	// Qualified is a standard-library type: Pkg.Name (json.RawMessage).
	Qualified
	// Named refers to a generated Type.
	Named
	// Slice is []Elem.
	Slice
	// Map is map[string]Elem.
	Map
	// Pointer is *Elem.
	Pointer
	// Nullable is Nullable[Elem] (runtime generic).
	Nullable
)

// GoType is a Go type expression.
type GoType struct {
	Kind GoTypeKind
	// Name is the builtin/runtime/qualified name.
	Name string
	// Pkg is the import path of a Qualified type.
	Pkg string
	// Ref is the named type of a Named expression.
	Ref *Type
	// Elem is the element of Slice, Map, Pointer and Nullable.
	Elem *GoType
}

// Operation is one API call.
type Operation struct {
	// Name is the Go method name.
	Name string
	// ID is the operationId (or the derived name when the spec has none).
	ID          string
	Method      string
	Path        string
	Summary     string
	Description string
	Tags        []string
	Deprecated  bool
	// Note is a paragraph the generator adds to the method's doc (for
	// APEX login and logout calls: how they relate to the session helpers).
	Note string
	// Rejectable marks an APEX order call whose 200 answer can say
	// {"status": "Rejected", "errormsg": ...}: the runtime turns that into
	// an *APIError matching ErrRejected.
	Rejectable bool
	// Idempotent marks a call that is safe to repeat, so the runtime may
	// retry it (WithRetry): an operation's x-idempotent or
	// x-kiiex-idempotent extension decides; without one, whether its HTTP
	// method is idempotent (RFC 9110 section 9.2.2).
	Idempotent bool
	// Params holds path, query, header and cookie parameters; ParamsType is
	// the struct that carries them (nil when there are none).
	Params     []*Param
	ParamsType *Type
	// Body is the request body, or nil.
	Body *Body
	// WithBody is the name of the extra method that sends any declared
	// request media type as an io.Reader ("" when the body declares only
	// one media type).
	WithBody string
	// Successes are the declared 2xx responses, sorted by status, a 2XX
	// range last.
	Successes []*Success
	// Result is the struct returned when the 2xx responses differ in shape
	// (200 with one body, 202 with another, 204 without); nil when they all
	// share one, which the method then returns directly.
	Result *Type
	// Accept is the Accept header: the media type the method decodes for
	// each success response, then every declared error media type; "" when
	// the operation declares none.
	Accept string
	// Errors are declared non-2xx bodies, sorted by status (0 = default).
	Errors []ErrorBody
	// Security lists alternatives of scheme-name sets; nil = none.
	Security [][]string
	// SkipReason is set for operations that get no client method.
	SkipReason string
	// Transport is "websocket" for an operation served over the APEX
	// WebSocket session only (x-kiiex-transport), "" otherwise.
	Transport string
	// Subscription describes the event stream of a WebSocket subscribe
	// operation (x-kiiex-events); nil for every other operation.
	Subscription *Subscription
	// Var is the name of the unexported operation descriptor variable.
	Var string
	// ErrorFunc is the name of the error-body decoder function, or "".
	ErrorFunc string
}

// ParamIn is where a parameter goes.
type ParamIn string

// Parameter locations.
const (
	InPath   ParamIn = "path"
	InQuery  ParamIn = "query"
	InHeader ParamIn = "header"
	InCookie ParamIn = "cookie"
)

// Param is one parameter; Field is its field in the params struct.
type Param struct {
	Name  string
	In    ParamIn
	Field *Field
	// Style is the OpenAPI serialisation style ("form", "simple",
	// "deepObject", "spaceDelimited", "pipeDelimited", "label", "matrix"), or
	// "json" for a parameter declared with content application/json.
	Style         string
	Explode       bool
	AllowReserved bool
}

// BodyKind is how a request body is encoded.
type BodyKind int

const (
	// BodyJSON marshals Type with encoding/json.
	BodyJSON BodyKind = iota
	// BodyForm encodes Type as application/x-www-form-urlencoded.
	BodyForm
	// BodyMultipart streams the form struct Type as multipart/form-data.
	BodyMultipart
	// BodyText sends a string.
	BodyText
	// BodyRaw sends an io.Reader as given.
	BodyRaw
)

// Body is a request body: the media type the main method sends.
type Body struct {
	Kind BodyKind
	// Type is the argument type of JSON and form bodies and the form struct
	// of a multipart body; nil for text and raw bodies.
	Type     *GoType
	Required bool
	// ContentType is the Content-Type sent; "" for a raw body whose declared
	// media type is a range (image/*): the caller passes the actual type.
	ContentType string
	// Parts are the fields of a multipart form, in struct order.
	Parts []*Part
	// MediaTypes are all the declared media types, sorted.
	MediaTypes []string
	// Encodings are the properties of a URL-encoded body whose encoding
	// object differs from form, exploded; sorted by name.
	Encodings []FormEncoding
	// EmptyObject is set for a required free-form object body: a nil
	// argument sends {} (APEX calls without parameters still want a body).
	EmptyObject bool
}

// FormEncoding is the style of one property of a URL-encoded body.
type FormEncoding struct {
	Name    string
	Style   string
	Explode bool
}

// PartKind is how one multipart form field is written.
type PartKind int

const (
	// PartText writes a scalar (or each element of a list) as a text part.
	PartText PartKind = iota
	// PartJSON writes the value's JSON as an application/json part.
	PartJSON
	// PartFile writes one *FormFile.
	PartFile
	// PartFiles writes each FormFile of a []FormFile.
	PartFiles
)

// Part is one field of a multipart form.
type Part struct {
	Name  string
	Kind  PartKind
	Field *Field
	// ContentType is a file part's default Content-Type (the encoding
	// object's, else application/octet-stream).
	ContentType string
}

// ResultKind is how a success body reaches the caller.
type ResultKind int

const (
	// ResultNone: no body is declared; it is discarded.
	ResultNone ResultKind = iota
	// ResultJSON decodes Type.
	ResultJSON
	// ResultText is the body as a string, read in full (bounded by
	// WithMaxResponseBytes).
	ResultText
	// ResultStream is the open body (io.ReadCloser) the caller must close.
	ResultStream
)

// Success is one declared 2xx response.
type Success struct {
	// Status is the HTTP status, or 2 for "2XX".
	Status int
	Kind   ResultKind
	// Type is the decoded type of a JSON body.
	Type *GoType
	// Nullable is true when the JSON body's schema allows null.
	Nullable bool
	// Field is the success's field in the operation's Result struct.
	Field *Field
}

// ErrorBody is a declared error response body.
type ErrorBody struct {
	// Status is the HTTP status; 0 means "default", and 400..599 ranges
	// written as "4XX" are stored as 4 or 5.
	Status int
	Type   *GoType
}

// Subscription is the event stream a WebSocket subscribe operation opens.
type Subscription struct {
	// Event is the Go name of the struct each stream message decodes
	// into; Decoder the name of its decoding function; Var the name of the
	// runtime descriptor (events, routing, unsubscribe call).
	Event, Decoder, Var string
	// Snapshot is the Go name of the event field holding the subscribe
	// call's reply ("" when the operation declares no JSON reply).
	Snapshot string
	// Unsubscribe is the operation that ends the subscription, or nil.
	Unsubscribe *Operation
	// UnsubscribeFields are the request members sent to Unsubscribe.
	UnsubscribeFields []string
	// Events are the pushed events, in spec order.
	Events []*SubEvent
}

// SubEvent is one event name a subscription receives.
type SubEvent struct {
	// Wire is the APEX event name ("Level1UpdateEvent").
	Wire string
	// Field is the Go field of the event struct that holds it.
	Field string
	// Type is the payload's Go type.
	Type *GoType
	// Doc describes the event.
	Doc string
	// Match routes the event to the subscription whose request it fits.
	Match []EventMatch
}

// EventMatch requires an event member to equal a request member: Event is
// an object member name, or Index (>= 0) a position in each entry of an
// array payload; Index is -1 for object members.
type EventMatch struct {
	Event   string
	Index   int
	Request string
}
