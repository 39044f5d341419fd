package templates

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// The generated decoders: every JSON type of a generated package has a
// readJSON method, written by the generator, that reads its value from a
// jsonReader without reflection; UnmarshalJSON and the client's response
// path both go through it. The result is what encoding/json (with the
// types' own UnmarshalJSON methods) decodes, value for value:
//
//   - object keys match a field's JSON name exactly or, failing that, case
//     insensitively (bytes.EqualFold, the first field in declaration order);
//     unknown keys are skipped;
//   - a duplicate key decodes again into the same field: scalars take the
//     last value, pointers, structs and slices are decoded into in place
//     (so objects merge), maps gain members;
//   - null leaves a non-pointer value unchanged, sets pointers, slices and
//     maps to nil, and Nullable fields to the null state;
//   - invalid UTF-8 and lone surrogates in strings become U+FFFD;
//   - integers with a fraction, an exponent or out of range, and values of
//     the wrong JSON kind are errors.
//
// A value of the wrong JSON kind for a string, number, boolean, struct,
// slice or map (or an integer with a fraction or out of range) is skipped
// and decoding goes on, as encoding/json does; the first such mismatch is
// the error. Syntax errors, and the failures of the types that had their
// own UnmarshalJSON before (Decimal, DateTime, Date, Nullable, unions),
// stop decoding. Errors are *DecodeError, naming the path (e.g.
// "[3].comments.id") and offset, and unwrapping to the *json.SyntaxError
// or *json.UnmarshalTypeError encoding/json would have returned. Whether a
// document decodes, and to what, is the same as with encoding/json; the
// differential fuzz tests of the generated packages check it.

// DecodeError reports JSON that does not decode into a generated type: a
// syntax error, or a value of the wrong kind or out of range.
type DecodeError struct {
	// Type is the Go type decoded into, when it has a name.
	Type string
	// Path is where the value sits below the decoded value, as
	// ".field[index]["key"]" segments; empty for the value itself.
	Path string
	// Offset is the byte offset in the input where the problem was found.
	Offset int64
	// Msg describes the problem.
	Msg string
	// Err is the underlying error: the *json.SyntaxError or
	// *json.UnmarshalTypeError encoding/json reports, or what a type's own
	// parser returned (a Decimal or DateTime that does not parse).
	Err error

	syntax bool
}

// Error returns e.g. "json: DepositTicket.amount: decimal: invalid number
// "x" (offset 12)".
func (e *DecodeError) Error() string {
	p := e.Type + e.Path
	if p != "" {
		p += ": "
	}
	return "json: " + p + e.Msg + " (offset " + strconv.FormatInt(e.Offset, 10) + ")"
}

// Unwrap returns the underlying error.
func (e *DecodeError) Unwrap() error { return e.Err }

// jsonReadable is implemented by every generated JSON type.
type jsonReadable interface {
	readJSON(r *jsonReader) error
}

// fieldReader is implemented by generated structs: readField decodes the
// value of the member key.
type fieldReader interface {
	readField(r *jsonReader, key []byte) error
}

// readerFunc adapts a function to jsonReadable, for response types without
// a method of their own ([]T, map[string]T).
type readerFunc func(r *jsonReader) error

func (f readerFunc) readJSON(r *jsonReader) error { return f(r) }

// jsonReader reads one JSON document. The int64, string and Decimal
// pointers a document needs come from small shared arrays (slabs), so a
// response of a thousand objects with optional fields does not make a
// thousand allocations per field.
type jsonReader struct {
	data    []byte
	pos     int
	scratch []byte // unescaped keys
	// pending holds the members of the objects being read whose decoding
	// waits for the end of their object (see later).
	pending []pendingMember

	i64s  slab[int64]
	strs  slab[string]
	decs  slab[Decimal]
	dts   slab[DateTime]
	bools slab[bool]
	bytes slab[byte]

	// mismatch is the first value skipped for its kind (see above).
	mismatch *DecodeError
	// depth counts the open objects and arrays: encoding/json refuses
	// more than maxJSONDepth.
	depth int
	// plainAt, when plainEnd is set, is where a string starts that holds
	// printable ASCII only, ending at plainEnd: readMembersTop passes on
	// what the scan found, so str need not look at the bytes again, and
	// plainStr is its content when readMembersTop made it already.
	plainAt, plainEnd int
	plainStr          string
}

const maxJSONDepth = 10000

// enter opens an object or array (the next byte); leave closes it.
func (r *jsonReader) enter() error {
	r.depth++
	if r.depth > maxJSONDepth {
		return r.syntax("exceeded max depth")
	}
	r.pos++
	return nil
}

// pendingMember is a union field or an additional property: encoding/json
// (with the generated UnmarshalJSON methods of before) decoded those from
// the last member with their key once the whole object was read, so an
// earlier duplicate never mattered, not even its errors.
type pendingMember struct {
	key   any // the field's address, or the member name
	raw   []byte
	apply func(raw []byte) error
}

// readJSONTop decodes data, one JSON value with optional surrounding
// space, into v.
func readJSONTop(data []byte, v jsonReadable) error {
	if decodeHook != nil {
		if ok, err := decodeHook(data, v); ok {
			return err
		}
	}
	r := readerPool.Get().(*jsonReader)
	r.data = data
	err := v.readJSON(r)
	if r.ws(); err == nil && r.pos < len(r.data) {
		err = r.syntax("invalid character " + quoteChar(r.data[r.pos]) + " after top-level value")
	}
	return r.finish(data, v, err)
}

// finish ends a top-level decode of data into v with err: the first value
// skipped for its kind is the error if nothing else was, and the reader
// goes back to the pool.
func (r *jsonReader) finish(data []byte, v jsonReadable, err error) error {
	if err == nil && r.mismatch != nil {
		r.mismatch.Path = pathAt(data, int(r.mismatch.Offset))
		err = r.mismatch
	}
	r.release()
	if err != nil {
		return decodeFailed(data, v, err)
	}
	return nil
}

// readerPool keeps readers, their scratch buffer and what is left of their
// slabs between decodes: a decode then allocates only what it returns.
var readerPool = sync.Pool{New: func() any { return new(jsonReader) }}

// release readies r for the pool.
func (r *jsonReader) release() {
	r.data, r.pos, r.mismatch, r.depth, r.plainEnd, r.plainStr = nil, 0, nil, 0, 0, ""
	clear(r.pending)
	r.pending = r.pending[:0]
	if cap(r.scratch) > 4096 {
		r.scratch = nil
	}
	readerPool.Put(r)
}

// decodeFailed completes the error of a failed decode: encoding/json's own
// *json.SyntaxError for a syntax error (for errors.As and its message),
// and the name of the type.
func decodeFailed(data []byte, v jsonReadable, err error) error {
	de, ok := err.(*DecodeError)
	if !ok {
		de = &DecodeError{Msg: err.Error(), Err: err}
	}
	if de.syntax {
		var raw json.RawMessage
		var se *json.SyntaxError
		if errors.As(json.Unmarshal(data, &raw), &se) {
			de.Err, de.Msg, de.Offset = se, se.Error(), se.Offset
		}
	}
	if _, anon := v.(readerFunc); !anon && de.Type == "" {
		de.Type = reflect.TypeOf(v).Elem().Name()
	}
	return de
}

// pathAt returns the path of the value starting at offset off of the
// valid JSON data, for errors found where the path was not tracked.
func pathAt(data []byte, off int) string {
	r := jsonReader{data: data}
	p, _ := r.pathTo(off, "")
	return p
}

func (r *jsonReader) pathTo(off int, path string) (string, bool) {
	k, err := r.kind()
	if err != nil {
		return "", false
	}
	if r.pos == off {
		return path, true
	}
	found, at := false, ""
	switch k {
	case 'o':
		err = r.members(func(key []byte) error {
			if !found {
				at, found = r.pathTo(off, path+"."+string(key))
			}
			if !found {
				return nil
			}
			return errors.New("found")
		})
	case 'a':
		i := 0
		err = r.elements(func() error {
			if at, found = r.pathTo(off, path+"["+strconv.Itoa(i)+"]"); found {
				return errors.New("found")
			}
			i++
			return nil
		})
	default:
		err = r.skip()
	}
	_ = err
	return at, found
}

// decodeHook, when set (by tests only), decodes in place of the generated
// decoders when it returns true: the differential tests route decoding
// through encoding/json's reflection with it, as the reference.
var decodeHook func(data []byte, v any) (bool, error)

func (r *jsonReader) syntax(msg string) error {
	return &DecodeError{Offset: int64(r.pos), Msg: "syntax error: " + msg, syntax: true}
}

// typeError is the error for a value of JSON kind k (at r.pos) that does
// not fit typ; what names the value ("number 1.5") when not just its kind.
func (r *jsonReader) typeError(k byte, what string, typ reflect.Type) *DecodeError {
	if what == "" {
		what = kindName(k)
	}
	te := &json.UnmarshalTypeError{Value: what, Type: typ, Offset: int64(r.pos)}
	return &DecodeError{Offset: int64(r.pos), Msg: "cannot unmarshal " + what + " into Go value of type " + typ.String(), Err: te}
}

// skipMismatch skips a value of the wrong kind k, as encoding/json does,
// keeping the first such error for the end of the decode.
func (r *jsonReader) skipMismatch(k byte, typ reflect.Type) error {
	if r.mismatch == nil {
		r.mismatch = r.typeError(k, "", typ)
	}
	return r.skip()
}

// failMismatch is the error of the types whose UnmarshalJSON fails on a
// value of the wrong kind k (which stops encoding/json): "decimal: cannot
// unmarshal JSON array into a number".
func (r *jsonReader) failMismatch(k byte, what, want string) error {
	err := errors.New(what + ": cannot unmarshal JSON " + kindName(k) + " into " + want)
	return &DecodeError{Offset: int64(r.pos), Msg: err.Error(), Err: err}
}

// unexpected is the syntax error for the byte at r.pos (or the end).
func (r *jsonReader) unexpected(what string) error {
	if r.pos >= len(r.data) {
		return r.syntax("unexpected end of JSON input")
	}
	return r.syntax("invalid character " + quoteChar(r.data[r.pos]) + " " + what)
}

func quoteChar(c byte) string {
	if c == '\'' {
		return `'\''`
	}
	if c == '"' {
		return `'"'`
	}
	s := strconv.Quote(string(rune(c)))
	if c >= utf8.RuneSelf {
		s = strconv.Quote(string([]byte{c}))
	}
	return "'" + s[1:len(s)-1] + "'"
}

// atPath prefixes err's path with seg, turning any other error into a
// *DecodeError that wraps it.
func atPath(err error, seg string, r *jsonReader) error {
	if err == nil {
		return nil
	}
	if de, ok := err.(*DecodeError); ok {
		de.Path = seg + de.Path
		return de
	}
	return &DecodeError{Path: seg, Offset: int64(r.pos), Msg: err.Error(), Err: err}
}

// ws skips white space and returns the next byte, or 0 at the end.
func (r *jsonReader) ws() byte {
	for r.pos < len(r.data) {
		switch c := r.data[r.pos]; c {
		case ' ', '\t', '\n', '\r':
			r.pos++
		default:
			return c
		}
	}
	return 0
}

// null consumes a null literal if one comes next.
func (r *jsonReader) null() (bool, error) {
	if r.ws() != 'n' {
		return false, nil
	}
	return true, r.literal("null")
}

func (r *jsonReader) literal(lit string) error {
	if len(r.data)-r.pos >= len(lit) && string(r.data[r.pos:r.pos+len(lit)]) == lit {
		r.pos += len(lit)
		return nil
	}
	for i := 0; i < len(lit); i++ {
		if r.pos >= len(r.data) || r.data[r.pos] != lit[i] {
			return r.unexpected("in literal " + lit)
		}
		r.pos++
	}
	return nil
}

// kind returns the JSON kind of the next value (as jsonKind does) after
// white space, or a syntax error when none can start there.
func (r *jsonReader) kind() (byte, error) {
	switch c := r.ws(); c {
	case '{':
		return 'o', nil
	case '[':
		return 'a', nil
	case '"':
		return 's', nil
	case 't', 'f':
		return 'b', nil
	case 'n':
		return 'z', nil
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return 'n', nil
	}
	return 0, r.unexpected("looking for beginning of value")
}

// object reads a JSON object into a generated struct: null leaves it
// unchanged; each member goes to readField.
func (r *jsonReader) object(o fieldReader) error {
	k, err := r.kind()
	if err != nil || k == 'z' {
		if err == nil {
			err = r.literal("null")
		}
		return err
	}
	if k != 'o' {
		return r.skipMismatch(k, reflect.TypeOf(o).Elem())
	}
	mark := len(r.pending)
	err = r.fields(o)
	for i := mark; err == nil && i < len(r.pending); i++ {
		err = r.pending[i].apply(r.pending[i].raw)
	}
	clear(r.pending[mark:])
	r.pending = r.pending[:mark]
	return err
}

// fields is members calling o.readField, without a closure on the hot
// path.
func (r *jsonReader) fields(o fieldReader) error {
	if err := r.enter(); err != nil {
		return err
	}
	if r.ws() == '}' {
		r.pos++
		r.depth--
		return nil
	}
	for {
		if r.ws() != '"' {
			return r.unexpected("looking for beginning of object key string")
		}
		at := r.pos
		key, err := r.key()
		if err != nil {
			return err
		}
		if r.ws() != ':' {
			return r.unexpected("after object key")
		}
		r.pos++
		if err := o.readField(r, key); err != nil {
			// key again: an unescaped key lives in r.scratch, which the
			// value's own keys may have overwritten since.
			k := jsonReader{data: r.data, pos: at}
			key, _ = k.key()
			return atPath(err, "."+string(key), r)
		}
		switch r.ws() {
		case ',':
			r.pos++
		case '}':
			r.pos++
			r.depth--
			return nil
		default:
			return r.unexpected("after object key:value pair")
		}
	}
}

// otherField reads a member no field of o is named after exactly: into the
// first field (in declaration order, names) whose name matches key
// case-insensitively, as encoding/json does, or nowhere.
func (r *jsonReader) otherField(o fieldReader, key []byte, names ...string) error {
	if name := foldMatch(key, names); name != "" {
		return o.readField(r, []byte(name))
	}
	return r.skip()
}

// foldMatch returns the first of names equal to key under Unicode case
// folding, or "".
func foldMatch(key []byte, names []string) string {
	for _, n := range names {
		if len(n) == len(key) || !isASCII(key) || !isASCIIString(n) {
			if bytes.EqualFold(key, []byte(n)) {
				return n
			}
		}
	}
	return ""
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func isASCIIString(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// members reads the members of an object (the next byte is '{'), calling
// fn with each key while the reader is at its value; fn must consume the
// value. key is only valid until fn reads.
func (r *jsonReader) members(fn func(key []byte) error) error {
	if err := r.enter(); err != nil {
		return err
	}
	if r.ws() == '}' {
		r.pos++
		r.depth--
		return nil
	}
	for {
		if r.ws() != '"' {
			return r.unexpected("looking for beginning of object key string")
		}
		key, err := r.key()
		if err != nil {
			return err
		}
		if r.ws() != ':' {
			return r.unexpected("after object key")
		}
		r.pos++
		if err := fn(key); err != nil {
			return err
		}
		switch r.ws() {
		case ',':
			r.pos++
		case '}':
			r.pos++
			r.depth--
			return nil
		default:
			return r.unexpected("after object key:value pair")
		}
	}
}

// key reads a string at r.pos and returns its unescaped bytes: a slice of
// the input when it needs no unescaping, else of r.scratch.
func (r *jsonReader) key() ([]byte, error) {
	start := r.pos + 1
	for i := plainRun(r.data, start); i < len(r.data); i++ {
		switch c := r.data[i]; {
		case c == '"':
			r.pos = i + 1
			return r.data[start:i], nil
		case c == '\\' || c < 0x20 || c >= utf8.RuneSelf:
			var err error
			r.scratch, err = r.unquote(r.scratch[:0])
			return r.scratch, err
		}
	}
	r.pos = len(r.data)
	return nil, r.syntax("unexpected end of JSON input")
}

// str reads a JSON string and returns its content.
func (r *jsonReader) str() (string, error) {
	start := r.pos + 1
	if r.plainEnd != 0 && r.pos == r.plainAt {
		r.pos = r.plainEnd
		if len(r.plainStr) == r.pos-1-start {
			return r.plainStr, nil
		}
		return string(r.data[start : r.pos-1]), nil
	}
	for i := plainRun(r.data, start); i < len(r.data); i++ {
		switch c := r.data[i]; {
		case c == '"':
			r.pos = i + 1
			return string(r.data[start:i]), nil
		case c == '\\' || c < 0x20 || c >= utf8.RuneSelf:
			b, err := r.unquote(nil)
			return string(b), err
		}
	}
	r.pos = len(r.data)
	return "", r.syntax("unexpected end of JSON input")
}

// plainRun returns the index of the first byte at or after i, to a
// multiple of 8, that may need a look (a quote, a backslash, a control
// character or a non-ASCII byte): strings are scanned eight bytes at a
// time. A byte is only ever reported too early, never skipped.
func plainRun(b []byte, i int) int {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		// With no byte >= 0x80, x - lo*n sets the high bit of the
		// lowest byte below n, and x^(lo*c) - lo that of the lowest
		// byte equal to c.
		if x&hi != 0 || ((x-lo*0x20)|((x^(lo*'"'))-lo)|((x^(lo*'\\'))-lo))&hi != 0 {
			break
		}
	}
	return i
}

// unquote appends the content of the string at r.pos to buf the way
// encoding/json does: escapes decoded, surrogate pairs joined, invalid
// UTF-8 and lone surrogates replaced by U+FFFD.
func (r *jsonReader) unquote(buf []byte) ([]byte, error) {
	i := r.pos + 1
	for {
		if i >= len(r.data) {
			r.pos = i
			return buf, r.syntax("unexpected end of JSON input")
		}
		c := r.data[i]
		switch {
		case c == '"':
			r.pos = i + 1
			return buf, nil
		case c < 0x20:
			r.pos = i
			return buf, r.unexpected("in string literal")
		case c == '\\':
			i++
			if i >= len(r.data) {
				r.pos = i
				return buf, r.syntax("unexpected end of JSON input")
			}
			switch e := r.data[i]; e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				r.pos = i + 1
				c1, ok := r.hex4()
				if !ok {
					return buf, r.unexpected("in \\u hexadecimal character escape")
				}
				i += 5
				rr := rune(c1)
				if utf16.IsSurrogate(rr) {
					// A pair only when a \u escape of the low half follows.
					rr = utf8.RuneError
					if i+1 < len(r.data) && r.data[i] == '\\' && r.data[i+1] == 'u' {
						r.pos = i + 2
						if c2, ok := r.hex4(); ok {
							if dec := utf16.DecodeRune(rune(c1), rune(c2)); dec != utf8.RuneError {
								rr = dec
								i += 6
							}
						} else {
							return buf, r.unexpected("in \\u hexadecimal character escape")
						}
					}
				}
				buf = utf8.AppendRune(buf, rr)
				continue
			default:
				r.pos = i
				return buf, r.unexpected("in string escape code")
			}
			i++
		case c < utf8.RuneSelf:
			buf = append(buf, c)
			i++
		default:
			rr, size := utf8.DecodeRune(r.data[i:])
			if rr == utf8.RuneError && size == 1 {
				buf = utf8.AppendRune(buf, utf8.RuneError)
			} else {
				buf = append(buf, r.data[i:i+size]...)
			}
			i += size
		}
	}
}

// hex4 parses the four hex digits at r.pos.
func (r *jsonReader) hex4() (int, bool) {
	if len(r.data)-r.pos < 4 {
		// Point at the first bad byte for the message.
		for r.pos < len(r.data) && isHex(r.data[r.pos]) {
			r.pos++
		}
		return 0, false
	}
	v := 0
	for k := 0; k < 4; k++ {
		c := r.data[r.pos+k]
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			r.pos += k
			return 0, false
		}
		v = v<<4 | int(d)
	}
	return v, true
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// number reads a JSON number and returns its text.
func (r *jsonReader) number() ([]byte, error) {
	start, i, n := r.pos, r.pos, len(r.data)
	if i < n && r.data[i] == '-' {
		i++
	}
	switch {
	case i < n && r.data[i] == '0':
		i++
	case i < n && r.data[i] >= '1' && r.data[i] <= '9':
		for i++; i < n && r.data[i] >= '0' && r.data[i] <= '9'; i++ {
		}
	default:
		r.pos = i
		return nil, r.unexpected("in numeric literal")
	}
	if i < n && r.data[i] == '.' {
		i++
		if i >= n || r.data[i] < '0' || r.data[i] > '9' {
			r.pos = i
			return nil, r.unexpected("after decimal point in numeric literal")
		}
		for i++; i < n && r.data[i] >= '0' && r.data[i] <= '9'; i++ {
		}
	}
	if i < n && (r.data[i] == 'e' || r.data[i] == 'E') {
		i++
		if i < n && (r.data[i] == '+' || r.data[i] == '-') {
			i++
		}
		if i >= n || r.data[i] < '0' || r.data[i] > '9' {
			r.pos = i
			return nil, r.unexpected("in exponent of numeric literal")
		}
		for i++; i < n && r.data[i] >= '0' && r.data[i] <= '9'; i++ {
		}
	}
	r.pos = i
	return r.data[start:i], nil
}

// skip reads and discards one JSON value, checking its syntax.
func (r *jsonReader) skip() error {
	k, err := r.kind()
	if err != nil {
		return err
	}
	switch k {
	case 'o':
		return r.members(func([]byte) error { return r.skip() })
	case 'a':
		return r.elements(r.skip)
	case 's':
		return r.skipString()
	case 'n':
		_, err := r.number()
		return err
	case 'b':
		if r.data[r.pos] == 't' {
			return r.literal("true")
		}
		return r.literal("false")
	}
	return r.literal("null")
}

func (r *jsonReader) skipString() error {
	for i := plainRun(r.data, r.pos+1); i < len(r.data); i++ {
		switch c := r.data[i]; {
		case c == '"':
			r.pos = i + 1
			return nil
		case c == '\\' || c < 0x20:
			_, err := r.unquote(r.scratch[:0])
			return err
		}
	}
	r.pos = len(r.data)
	return r.syntax("unexpected end of JSON input")
}

// raw reads one value and returns its text (a slice of the input).
func (r *jsonReader) raw() ([]byte, error) {
	r.ws()
	start := r.pos
	if err := r.skip(); err != nil {
		return nil, err
	}
	return r.data[start:r.pos], nil
}

// elements reads the elements of an array (the next byte is '['), calling
// fn at each.
func (r *jsonReader) elements(fn func() error) error {
	if err := r.enter(); err != nil {
		return err
	}
	if r.ws() == ']' {
		r.pos++
		r.depth--
		return nil
	}
	for {
		if err := fn(); err != nil {
			return err
		}
		switch r.ws() {
		case ',':
			r.pos++
		case ']':
			r.pos++
			r.depth--
			return nil
		default:
			return r.unexpected("after array element")
		}
	}
}

// later records the value of a member to decode with apply once its
// object is read, replacing an earlier member with the same key (a field
// address or a member name).
func (r *jsonReader) later(key any, raw []byte, apply func([]byte) error) {
	for i := range r.pending {
		if r.pending[i].key == key {
			r.pending[i].raw = raw
			return
		}
	}
	r.pending = append(r.pending, pendingMember{key, raw, apply})
}

// ---------------------------------------------------------------- values

// readString decodes a JSON string into a string type.
func readString[T ~string](p *T, r *jsonReader) error {
	k, err := r.kind()
	switch {
	case err != nil:
		return err
	case k == 's':
		s, err := r.str()
		*p = T(s)
		return err
	case k == 'z':
		return r.literal("null")
	}
	return r.skipMismatch(k, reflect.TypeFor[T]())
}

// readBool decodes true or false.
func readBool[T ~bool](p *T, r *jsonReader) error {
	k, err := r.kind()
	switch {
	case err != nil:
		return err
	case k == 'b':
		if r.data[r.pos] == 't' {
			*p = true
			return r.literal("true")
		}
		*p = false
		return r.literal("false")
	case k == 'z':
		return r.literal("null")
	}
	return r.skipMismatch(k, reflect.TypeFor[T]())
}

// readInt decodes a JSON number without fraction or exponent that fits T.
func readInt[T ~int32 | ~int64](p *T, r *jsonReader) error {
	k, err := r.kind()
	switch {
	case err != nil:
		return err
	case k == 'z':
		return r.literal("null")
	case k != 'n':
		return r.skipMismatch(k, reflect.TypeFor[T]())
	}
	at := r.pos
	b, err := r.number()
	if err != nil {
		return err
	}
	var v int64
	ok := len(b) <= 18 // up to 18 digits cannot overflow an int64
	if ok {
		digits := b
		if b[0] == '-' {
			digits = b[1:]
		}
		for _, c := range digits {
			if c < '0' || c > '9' {
				ok = false
				break
			}
			v = v*10 + int64(c-'0')
		}
		if b[0] == '-' {
			v = -v
		}
	}
	if !ok {
		v, err = strconv.ParseInt(string(b), 10, 64)
		ok = err == nil
	}
	if ok && int64(T(v)) == v {
		*p = T(v)
		return nil
	}
	if r.mismatch == nil {
		end := r.pos
		r.pos = at
		r.mismatch = r.typeError('n', "number "+string(b), reflect.TypeFor[T]())
		r.pos = end
	}
	return nil
}

// readFloat decodes a JSON number into a float64 type.
func readFloat[T ~float64](p *T, r *jsonReader) error {
	k, err := r.kind()
	switch {
	case err != nil:
		return err
	case k == 'z':
		return r.literal("null")
	case k != 'n':
		return r.skipMismatch(k, reflect.TypeFor[T]())
	}
	at := r.pos
	b, err := r.number()
	if err != nil {
		return err
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		if r.mismatch == nil {
			end := r.pos
			r.pos = at
			r.mismatch = r.typeError('n', "number "+string(b), reflect.TypeFor[T]())
			r.pos = end
		}
		return nil
	}
	*p = T(f)
	return nil
}

// readDecimal decodes a JSON number, or a string holding one, exactly
// (see Decimal.UnmarshalJSON); null leaves d unchanged.
func readDecimal(d *Decimal, r *jsonReader) error {
	k, err := r.kind()
	switch {
	case err != nil:
		return err
	case k == 'z':
		return r.literal("null")
	case k == 'n':
		at := r.pos
		b, err := r.number()
		if err != nil {
			return err
		}
		s := string(b)
		if !validNumber(s) {
			return &DecodeError{Offset: int64(at), Msg: "decimal: invalid number " + quoteTrunc(s)}
		}
		d.s = s
		return nil
	case k == 's':
		at := r.pos
		s, err := r.str()
		if err != nil {
			return err
		}
		v, err := NewDecimal(s)
		if err != nil {
			return &DecodeError{Offset: int64(at), Msg: err.Error(), Err: err}
		}
		*d = v
		return nil
	}
	return r.failMismatch(k, "decimal", "a number")
}

// readDateTime decodes a date-time string; null leaves d unchanged.
func readDateTime(d *DateTime, r *jsonReader) error {
	if r.ws() == '"' {
		if v, ok := quickDateTime(r.data[r.pos:]); ok {
			*d = v
			r.pos += dateTimeLen(r.data[r.pos:])
			return nil
		}
	}
	return readText(r, "datetime", "a date-time string", func(s string) error {
		v, err := ParseDateTime(s)
		if err == nil {
			*d = v
		}
		return err
	})
}

// quickDateTime parses the JSON string at the start of b when it has the
// common forms "2006-01-02T15:04:05[.f…]Z" or zone-less, with 1 to 9
// fraction digits, to what ParseDateTime returns, without allocating; ok is
// false for anything else (ParseDateTime then decides).
func quickDateTime(b []byte) (DateTime, bool) {
	n := dateTimeLen(b)
	if n < len(`"2006-01-02T15:04:05"`) {
		return DateTime{}, false
	}
	s := b[1 : n-1]
	num := func(i, w int) int {
		v := 0
		for _, c := range s[i : i+w] {
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	if s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return DateTime{}, false
	}
	y, mo, d, h, mi, sec := num(0, 4), num(5, 2), num(8, 2), num(11, 2), num(14, 2), num(17, 2)
	if y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 {
		return DateTime{}, false
	}
	rest := s[19:]
	var form dateTimeForm
	form.set = true
	ns := 0
	if len(rest) > 0 && rest[0] == '.' {
		k := 1
		for k < len(rest) && rest[k] >= '0' && rest[k] <= '9' {
			ns = ns*10 + int(rest[k]-'0')
			k++
		}
		if k == 1 || k > 10 {
			return DateTime{}, false
		}
		form.frac = uint8(k - 1)
		for range 10 - k {
			ns *= 10
		}
		rest = rest[k:]
	}
	switch string(rest) {
	case "":
		form.zoneless = true
	case "Z":
	default:
		return DateTime{}, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, ns, time.UTC)
	if t.Day() != d { // 2025-02-30 rolled over: ParseDateTime refuses it
		return DateTime{}, false
	}
	return DateTime{Time: t, form: form}, true
}

// dateTimeLen is the length of the JSON string at the start of b when it
// has no escapes, or 0.
func dateTimeLen(b []byte) int {
	for i := 1; i < len(b) && i < 64; i++ {
		switch c := b[i]; {
		case c == '"':
			return i + 1
		case c == '\\' || c < 0x20 || c >= utf8.RuneSelf:
			return 0
		}
	}
	return 0
}

// readDate decodes a date string; null leaves d unchanged.
func readDate(d *Date, r *jsonReader) error {
	return readText(r, "date", "a date string", func(s string) error {
		v, err := ParseDate(s)
		if err == nil {
			*d = v
		}
		return err
	})
}

// readText reads a JSON string and hands it to parse; null is skipped.
func readText(r *jsonReader, what, want string, parse func(string) error) error {
	k, err := r.kind()
	switch {
	case err != nil:
		return err
	case k == 'z':
		return r.literal("null")
	case k != 's':
		return r.failMismatch(k, what, want)
	}
	at := r.pos
	s, err := r.str()
	if err != nil {
		return err
	}
	if err := parse(s); err != nil {
		return &DecodeError{Offset: int64(at), Msg: err.Error(), Err: err}
	}
	return nil
}

// readRaw stores a copy of the next value's text (null too, as
// json.RawMessage does).
func readRaw(p *json.RawMessage, r *jsonReader) error {
	b, err := r.raw()
	if err != nil {
		return err
	}
	if cap(*p) >= len(b) || len(b) > 128 {
		*p = append((*p)[:0], b...)
		return nil
	}
	if len(r.bytes.free) < len(b) {
		r.bytes.refill(256, 8192)
	}
	*p = append(r.bytes.free[:0:len(b)], b...)
	r.bytes.free = r.bytes.free[len(b):]
	return nil
}

// readVia decodes the next value with encoding/json, for the types the
// generator has no reader for (any).
func readVia[T any](p *T, r *jsonReader) error {
	b, err := r.raw()
	if err != nil {
		return err
	}
	return json.Unmarshal(b, p)
}

// readPtr decodes into *p, allocating it unless the value is null (which
// sets *p to nil). An existing pointee is decoded into, as encoding/json
// does.
func readPtr[T any](p **T, r *jsonReader, read func(*T, *jsonReader) error) error {
	if null, err := r.null(); null || err != nil {
		if null {
			*p = nil
		}
		return err
	}
	if *p == nil {
		*p = new(T)
	}
	return read(*p, r)
}

// readPtrInt64 is readPtr for *int64, allocating from a slab.
func readPtrInt64(p **int64, r *jsonReader) error {
	if null, err := r.null(); null || err != nil {
		if null {
			*p = nil
		}
		return err
	}
	if *p == nil {
		*p = r.i64s.new()
	}
	return readInt(*p, r)
}

// readPtrString is readPtr for *string, allocating from a slab.
func readPtrString(p **string, r *jsonReader) error {
	if null, err := r.null(); null || err != nil {
		if null {
			*p = nil
		}
		return err
	}
	if *p == nil {
		*p = r.strs.new()
	}
	return readString(*p, r)
}

// readPtrDecimal is readPtr for *Decimal, allocating from a slab.
func readPtrDecimal(p **Decimal, r *jsonReader) error {
	if null, err := r.null(); null || err != nil {
		if null {
			*p = nil
		}
		return err
	}
	if *p == nil {
		*p = r.decs.new()
	}
	return readDecimal(*p, r)
}

// readPtrDateTime is readPtr for *DateTime, allocating from a slab.
func readPtrDateTime(p **DateTime, r *jsonReader) error {
	if null, err := r.null(); null || err != nil {
		if null {
			*p = nil
		}
		return err
	}
	if *p == nil {
		*p = r.dts.new()
	}
	return readDateTime(*p, r)
}

// readPtrBool is readPtr for *bool, allocating from a slab.
func readPtrBool(p **bool, r *jsonReader) error {
	if null, err := r.null(); null || err != nil {
		if null {
			*p = nil
		}
		return err
	}
	if *p == nil {
		*p = r.bools.new()
	}
	return readBool(*p, r)
}

// slab hands out variables of type T from shared arrays: one allocation
// for many pointers. The variables stay distinct; an array lives as long
// as any of them is referenced, so the arrays stay small (at most 256
// elements), doubling from 8 as a document needs more.
type slab[T any] struct {
	free []T
	next int
}

func (s *slab[T]) refill(least, most int) {
	s.next = min(max(2*s.next, least), most)
	s.free = make([]T, s.next)
}

// new returns the next variable.
func (s *slab[T]) new() *T {
	if len(s.free) == 0 {
		s.refill(8, 256)
	}
	p := &s.free[0]
	s.free = s.free[1:]
	return p
}

// readNullable decodes null into the null state and any other value into
// a fresh T in the set state.
func readNullable[T any](p *Nullable[T], r *jsonReader, read func(*T, *jsonReader) error) error {
	if null, err := r.null(); null || err != nil {
		if null {
			*p = Null[T]()
		}
		return err
	}
	// Into a zeroed p.value rather than a local, which read (a func
	// value) would make escape: Nullable.UnmarshalJSON decodes into a
	// fresh T, and a failure stops the whole decode.
	var zero T
	p.value = zero
	saved := r.mismatch
	if err := read(&p.value, r); err != nil {
		return err
	}
	if r.mismatch != saved {
		// Nullable.UnmarshalJSON failed, which stopped encoding/json.
		err := r.mismatch
		r.mismatch = saved
		return err
	}
	p.state = nullableSet
	return nil
}

// readSlice decodes a JSON array into *p the way encoding/json does:
// elements are decoded into the existing ones (up to the capacity), null
// gives nil and [] an empty slice.
func readSlice[T any](p *[]T, r *jsonReader, read func(*T, *jsonReader) error) error {
	k, err := r.kind()
	switch {
	case err != nil:
		return err
	case k == 'z':
		*p = nil
		return r.literal("null")
	case k != 'a':
		return r.skipMismatch(k, reflect.TypeFor[[]T]())
	}
	s := (*p)[:cap(*p)]
	i := 0
	err = r.elements(func() error {
		if i == len(s) {
			var zero T
			s = append(s, zero)
			s = s[:cap(s)]
		}
		if err := read(&s[i], r); err != nil {
			return atPath(err, "["+strconv.Itoa(i)+"]", r)
		}
		i++
		return nil
	})
	if i == 0 {
		s = make([]T, 0)
	}
	*p = s[:i]
	return err
}

// readMap decodes a JSON object into *p, adding to an existing map; each
// value is decoded into a fresh T. null gives nil.
func readMap[T any](p *map[string]T, r *jsonReader, read func(*T, *jsonReader) error) error {
	k, err := r.kind()
	switch {
	case err != nil:
		return err
	case k == 'z':
		*p = nil
		return r.literal("null")
	case k != 'o':
		return r.skipMismatch(k, reflect.TypeFor[map[string]T]())
	}
	if *p == nil {
		*p = make(map[string]T)
	}
	return r.members(func(key []byte) error {
		name := string(key)
		var v T
		if err := read(&v, r); err != nil {
			return atPath(err, "["+strconv.Quote(name)+"]", r)
		}
		(*p)[name] = v
		return nil
	})
}

// readUnionField decodes a union-typed struct field (named name in
// errors) with dec once the object is read, from the last member with its
// name: null leaves the field unchanged.
func readUnionField[T any](p *T, r *jsonReader, dec func([]byte) (T, error), name string) error {
	b, err := r.raw()
	if err != nil {
		return err
	}
	r.later(p, b, func(b []byte) error {
		if string(b) == "null" {
			return nil
		}
		v, err := dec(b)
		if err != nil {
			return atPath(err, "."+name, r)
		}
		*p = v
		return nil
	})
	return nil
}

// readVariantObject reads a JSON object into o, a struct that declares
// properties beside oneOf/anyOf alternatives, then decodes the alternative
// *p from the same whole object with dec: the properties and the
// alternative describe one object, so each sees all of its members. null
// leaves both unchanged and a value of another kind is skipped, as for any
// struct.
func readVariantObject[T any](r *jsonReader, o fieldReader, p *T, dec func([]byte) (T, error)) error {
	k, err := r.kind()
	if err != nil {
		return err
	}
	start := r.pos
	if err := r.object(o); err != nil || k != 'o' {
		return err
	}
	v, err := dec(r.data[start:r.pos])
	if err != nil {
		if de, ok := err.(*DecodeError); ok {
			de.Offset += int64(start)
			return de
		}
		return &DecodeError{Offset: int64(start), Msg: err.Error(), Err: err}
	}
	*p = v
	return nil
}

// readUnionNullable is readUnionField for a Nullable union field: null
// makes it null.
func readUnionNullable[T any](p *Nullable[T], r *jsonReader, dec func([]byte) (T, error), name string) error {
	b, err := r.raw()
	if err != nil {
		return err
	}
	r.later(p, b, func(b []byte) error {
		if string(b) == "null" {
			*p = Null[T]()
			return nil
		}
		v, err := dec(b)
		if err != nil {
			return atPath(err, "."+name, r)
		}
		*p = NewNullable(v)
		return nil
	})
	return nil
}

// readUnion decodes a union value (a slice or map element, a Nullable's
// value) with dec, null included.
func readUnion[T any](p *T, r *jsonReader, dec func([]byte) (T, error)) error {
	b, err := r.raw()
	if err != nil {
		return err
	}
	v, err := dec(b)
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// readExtra handles a member no field is named after exactly, for a struct
// keeping additional properties in *m: unless the key is one of known (the
// names the struct declares or skips), its value goes into the map once
// the object is read (the last duplicate wins). A member matching a field
// case-insensitively goes into the field too, as it did when encoding/json
// filled the fields and the map was built from the members afterwards.
func readExtra[T any](r *jsonReader, key []byte, o fieldReader, m *map[string]T, read func(*T, *jsonReader) error, fields []string, known ...string) error {
	name := string(key)
	for _, k := range known {
		if k == name {
			return r.skip()
		}
	}
	r.ws()
	start := r.pos
	if f := foldMatch(key, fields); f != "" {
		if err := o.readField(r, []byte(f)); err != nil {
			return err
		}
	} else if err := r.skip(); err != nil {
		return err
	}
	r.later(name, r.data[start:r.pos], func(b []byte) error {
		// b is the last member with this name, which need not be this one:
		// where it starts follows from its capacity (both slice r.data).
		start := cap(r.data) - cap(b)
		var v T
		sub := jsonReader{data: r.data[:start+len(b)], pos: start} // offsets as in r
		err := read(&v, &sub)
		if err == nil && sub.mismatch != nil {
			err = sub.mismatch // extraMembers' decode failed, which stopped encoding/json
		}
		if err != nil {
			return atPath(err, "["+strconv.Quote(name)+"]", r)
		}
		if *m == nil {
			*m = make(map[string]T)
		}
		(*m)[name] = v
		return nil
	})
	return nil
}

// ---------------------------------------------------------------- unions

// jsonMember is one member of a JSON object: its unescaped key, its
// value's text, where that starts in the input, and whether it is a
// string str can take as it is.
type jsonMember struct {
	key, raw []byte
	at       int
	plain    bool // a string of printable ASCII without escapes
}

// jsonMembers are the members of an object in input order, for the union
// decoders' shape checks.
type jsonMembers []jsonMember

// scanMembers splits data, which must be exactly one JSON object (space
// around it allowed), into its members, appending to buf. It fails where
// jsonObjectKeys fails: for anything but a valid JSON object.
func scanMembers(data []byte, buf []jsonMember) (jsonMembers, error) {
	if k := jsonKind(data); k != 'o' {
		return nil, errors.New("expected a JSON object, got " + kindName(k))
	}
	r := jsonReader{data: data}
	r.ws()
	buf, err := r.scanObject(buf)
	if r.ws(); err == nil && r.pos < len(r.data) {
		err = r.syntax("invalid character " + quoteChar(r.data[r.pos]) + " after top-level value")
	}
	if err != nil {
		// encoding/json's own words, as jsonObjectKeys gives them.
		var m map[string]json.RawMessage
		if e := json.Unmarshal(data, &m); e != nil {
			err = e
		}
		return nil, err
	}
	return buf, nil
}

// scanObject is members appending each member to buf, written out: it
// runs on every union decode.
func (r *jsonReader) scanObject(buf []jsonMember) ([]jsonMember, error) {
	if err := r.enter(); err != nil {
		return buf, err
	}
	if r.ws() == '}' {
		r.pos++
		r.depth--
		return buf, nil
	}
	for {
		if r.ws() != '"' {
			return buf, r.unexpected("looking for beginning of object key string")
		}
		key, err := r.key()
		if err != nil {
			return buf, err
		}
		if len(r.scratch) > 0 && len(key) > 0 && &key[0] == &r.scratch[0] {
			key = bytes.Clone(key) // unescaped into scratch, which the next key reuses
		}
		if r.ws() != ':' {
			return buf, r.unexpected("after object key")
		}
		r.pos++
		c := r.ws()
		at, plain := r.pos, false
		if c == '"' {
			i := plainRun(r.data, at+1)
			for i < len(r.data) && r.data[i] >= 0x20 && r.data[i] < utf8.RuneSelf && r.data[i] != '\\' && r.data[i] != '"' {
				i++
			}
			if plain = i < len(r.data) && r.data[i] == '"'; plain {
				r.pos = i + 1
			} else {
				err = r.skipString()
			}
		} else {
			err = r.skip()
		}
		if err != nil {
			return buf, err
		}
		buf = append(buf, jsonMember{key, r.data[at:r.pos], at, plain})
		switch r.ws() {
		case ',':
			r.pos++
		case '}':
			r.pos++
			r.depth--
			return buf, nil
		default:
			return buf, r.unexpected("after object key:value pair")
		}
	}
}

// readMembersTop decodes data into the struct v as readJSONTop does, from
// obj, its members as scanMembers found them: a union decoder that has
// scanned the object to choose a variant does not read the keys and the
// syntax again. Each member's value is read in place (offsets, and so
// errors, are those of data) in input order, duplicates included, and the
// members whose decoding waits for the end of the object (see later) are
// applied after the last, as r.object does. v is a new value: what a
// readJSON does before reading the members (such as dropping earlier
// additional properties) is left out. A nil obj (scanMembers failed)
// decodes data again, to report its error.
func readMembersTop(data []byte, obj jsonMembers, v interface {
	jsonReadable
	fieldReader
}) error {
	if obj == nil || decodeHook != nil {
		return readJSONTop(data, v)
	}
	r := readerPool.Get().(*jsonReader)
	r.data = data
	r.depth = 1 // inside the object, as its members' values are in r.object
	// text holds the first plain strings, in order; off walks through it
	// (and past its end, no string matches any more).
	text, off := plainText(obj), 0
	var err error
	for i := range obj {
		r.pos, r.plainAt, r.plainEnd, r.plainStr = obj[i].at, obj[i].at, 0, ""
		if m := &obj[i]; m.plain {
			r.plainEnd = r.pos + len(m.raw)
			if n := len(m.raw) - 2; off+n <= len(text) {
				r.plainStr = text[off : off+n]
				off += n
			}
		}
		if err = v.readField(r, obj[i].key); err != nil {
			err = atPath(err, "."+string(obj[i].key), r)
			break
		}
	}
	r.plainEnd, r.plainStr = 0, ""
	if err == nil && len(r.pending) > 0 {
		// Past the object's '}', where r.object applies them.
		r.pos, r.depth = len(data), 0
		for r.pos > 0 && isSpace(data[r.pos-1]) {
			r.pos--
		}
		for i := 0; err == nil && i < len(r.pending); i++ {
			err = r.pending[i].apply(r.pending[i].raw)
		}
	}
	return r.finish(data, v, err)
}

// plainText returns the contents of obj's plain strings side by side, as
// one string their values are cut from: a struct's strings then cost one
// allocation rather than one each. Like the slabs, they keep each other
// alive, so this is only done for maxPlainText bytes at most; beyond,
// plainText returns the strings that fit.
func plainText(obj jsonMembers) string {
	n, count := 0, 0
	for i := range obj {
		if m := &obj[i]; m.plain {
			if n+len(m.raw)-2 > maxPlainText {
				break
			}
			n += len(m.raw) - 2
			count++
		}
	}
	if count < 2 {
		return "" // nothing to share
	}
	var b strings.Builder
	b.Grow(n)
	for i := 0; count > 0; i++ {
		if m := &obj[i]; m.plain {
			b.Write(m.raw[1 : len(m.raw)-1])
			count--
		}
	}
	return b.String()
}

const maxPlainText = 256

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// get returns the value of the last member named key (encoding/json's
// choice among duplicates).
func (m jsonMembers) get(key string) ([]byte, bool) {
	for i := len(m) - 1; i >= 0; i-- {
		if string(m[i].key) == key {
			return m[i].raw, true
		}
	}
	return nil, false
}

// jsonStringValue returns the content of the JSON string raw, or "" for
// any other value.
func jsonStringValue(raw []byte) string {
	r := jsonReader{data: raw}
	if k, _ := r.kind(); k != 's' {
		return ""
	}
	s, err := r.str()
	if err != nil {
		return ""
	}
	return s
}

// UnmarshalArray decodes a JSON array of a generated type the way the
// client decodes an array response body: in one pass, with the generated
// decoder. (json.Unmarshal into a []T gives the same result, after a
// validating scan of its own, calling T's UnmarshalJSON per element.)
func UnmarshalArray[T any, P interface {
	*T
	jsonReadable
}](data []byte) ([]T, error) {
	var out []T
	err := readJSONTop(data, readerFunc(func(r *jsonReader) error {
		return readSlice(&out, r, func(p *T, r *jsonReader) error { return P(p).readJSON(r) })
	}))
	if err != nil {
		return nil, err
	}
	return out, nil
}
