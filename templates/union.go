package templates

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// UnionError reports that JSON could not be decoded into a union (a
// generated sealed interface): no variant matched, several did, or the
// discriminator had an unknown value.
type UnionError struct {
	// Union is the Go name of the union type.
	Union string
	// Candidates are the variants that matched (two or more when ambiguous).
	Candidates []string
	// Tried are all the variants considered.
	Tried []string
	// Reason is extra detail, e.g. an unknown discriminator value.
	Reason string
}

// Error returns e.g. "AuthenticateUserRequest: no variant matches (tried
// PasswordCredentials, APIKeyCredentials)" or "AuthenticateUserRequest:
// ambiguous, matches PasswordCredentials and APIKeyCredentials".
func (e *UnionError) Error() string {
	var b strings.Builder
	b.WriteString(e.Union)
	b.WriteString(": ")
	if len(e.Candidates) > 1 {
		b.WriteString("ambiguous, matches ")
		b.WriteString(joinAnd(e.Candidates))
		if e.Reason != "" {
			b.WriteString(" (")
			b.WriteString(e.Reason)
			b.WriteString(")")
		}
		return b.String()
	}
	if e.Reason != "" {
		b.WriteString(e.Reason)
	} else {
		b.WriteString("no variant matches")
	}
	if len(e.Tried) > 0 {
		b.WriteString(" (tried ")
		b.WriteString(strings.Join(e.Tried, ", "))
		b.WriteString(")")
	}
	return b.String()
}

// joinAnd joins names as "A and B" or "A, B and C".
func joinAnd(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// errNilUnion is returned when a request holds a nil union value, which has
// no variant to encode.
func errNilUnion(union string) error { return errors.New(union + " is nil") }

// jsonObjectKeys splits a JSON object into its members. It fails for any
// other JSON value, including null (which json.Unmarshal would accept as a
// nil map). The values alias data (no copies): union decoders only look at
// them before decoding data itself.
//
// It runs on every union decode and every APEX response check, so after
// json.Valid it walks the object by hand instead of json.Unmarshal into a
// map, which costs a reflective decode and a copy of every value.
func jsonObjectKeys(data []byte) (map[string]json.RawMessage, error) {
	if k := jsonKind(data); k != 'o' {
		return nil, fmt.Errorf("expected a JSON object, got %s", kindName(k))
	}
	if !json.Valid(data) {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, err
		}
		return nil, errors.New("invalid JSON object")
	}
	m := make(map[string]json.RawMessage, 8)
	i := skipJSONSpace(data, 0) + 1 // past '{'
	for {
		i = skipJSONSpace(data, i)
		if data[i] == '}' {
			return m, nil
		}
		end := endOfJSONString(data, i)
		raw := data[i:end]
		var key string
		if plainASCII(raw) {
			key = string(raw[1 : len(raw)-1])
		} else if err := json.Unmarshal(raw, &key); err != nil {
			return nil, err
		}
		i = skipJSONSpace(data, end) + 1 // past ':'
		i = skipJSONSpace(data, i)
		vend := endOfJSONValue(data, i)
		m[key] = data[i:vend:vend]
		i = skipJSONSpace(data, vend)
		if data[i] == ',' {
			i++
			continue
		}
		return m, nil // '}'
	}
}

// plainASCII reports whether a JSON string literal is printable ASCII
// without escapes, so its content is the literal's bytes (otherwise
// json.Unmarshal decodes escapes and replaces invalid UTF-8).
func plainASCII(lit []byte) bool {
	for _, c := range lit[1 : len(lit)-1] {
		if c == '\\' || c < 0x20 || c >= 0x80 {
			return false
		}
	}
	return true
}

func skipJSONSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// endOfJSONString returns the index after the string starting at data[i]
// (valid JSON assumed).
func endOfJSONString(data []byte, i int) int {
	for j := i + 1; j < len(data); j++ {
		switch data[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(data)
}

// endOfJSONValue returns the index after the value starting at data[i]
// (valid JSON assumed).
func endOfJSONValue(data []byte, i int) int {
	switch data[i] {
	case '"':
		return endOfJSONString(data, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(data); j++ {
			switch data[j] {
			case '"':
				j = endOfJSONString(data, j) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return len(data)
	}
	j := i
	for j < len(data) && data[j] != ',' && data[j] != '}' && data[j] != ']' && data[j] != ' ' && data[j] != '\t' && data[j] != '\n' && data[j] != '\r' {
		j++
	}
	return j
}

// jsonKind classifies a JSON value by its first non-space byte: 'o' object,
// 'a' array, 's' string, 'n' number, 'b' boolean, 'z' null, or 0 when raw is
// empty or cannot start a JSON value. It does not validate the rest.
func jsonKind(raw []byte) byte {
	for _, c := range raw {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case '{':
			return 'o'
		case '[':
			return 'a'
		case '"':
			return 's'
		case 't', 'f':
			return 'b'
		case 'n':
			return 'z'
		case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
			return 'n'
		}
		return 0
	}
	return 0
}

// kindName names a jsonKind result for error messages.
func kindName(k byte) string {
	switch k {
	case 'o':
		return "object"
	case 'a':
		return "array"
	case 's':
		return "string"
	case 'n':
		return "number"
	case 'b':
		return "boolean"
	case 'z':
		return "null"
	}
	return "invalid value"
}

// isJSONInteger reports whether raw is a JSON number without fraction or
// exponent, i.e. one encoding/json decodes into an integer type; "1.0" and
// "1e3" are not, because decoding them into int64 fails.
func isJSONInteger(raw json.RawMessage) bool {
	s := strings.TrimSpace(string(raw))
	s = strings.TrimPrefix(s, "-")
	if s == "" || (len(s) > 1 && s[0] == '0') {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
