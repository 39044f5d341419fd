package templates

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Sentinel errors matched by *APIError.Is, so callers can branch on the kind
// of failure without caring whether the server reported it through the HTTP
// status or through an APEX error code inside a 200 response.
var (
	// ErrNotAuthorized: APEX error code 20, HTTP 401 or 403, or a failed login.
	ErrNotAuthorized = errors.New("not authorized")
	// ErrInvalidRequest: APEX error code 100.
	ErrInvalidRequest = errors.New("invalid request")
	// ErrOperationFailed: APEX error code 101.
	ErrOperationFailed = errors.New("operation failed")
	// ErrServerError: APEX error code 102 or HTTP 5xx.
	ErrServerError = errors.New("server error")
	// ErrResourceNotFound: APEX error code 104 or HTTP 404.
	ErrResourceNotFound = errors.New("resource not found")
	// ErrOperationNotSupported: APEX error code 106.
	ErrOperationNotSupported = errors.New("operation not supported")
	// ErrRejected: an order call (SendOrder, SubmitBlockTrade) was answered
	// with status "Rejected": the OMS did not take the order in, although
	// the HTTP status is 200. The error's Message is the server's errormsg.
	ErrRejected = errors.New("rejected")
	// ErrResponseTooLarge: the response body exceeded the client's limit
	// (WithMaxResponseBytes); the rest of it was not read.
	ErrResponseTooLarge = errors.New("response body too large")
)

// maxRawErrorBytes caps APIError.Raw: enough to diagnose, bounded so that
// errors kept around (logged, retried) do not pin large bodies in memory.
const maxRawErrorBytes = 4 << 10

// apexCodeText is the meaning of the documented APEX error codes, used in
// messages when the server sends a code without text.
var apexCodeText = map[int]string{
	20:  "Not Authorized",
	100: "Invalid Request",
	101: "Operation Failed",
	102: "Server Error",
	104: "Resource Not Found",
	106: "Operation Not Supported",
}

// APIError is a failure reported by the server: a non-2xx response, or a 2xx
// response whose body is an APEX error envelope ({"result": false,
// "errormsg": ..., "errorcode": ..., "detail": ...}).
type APIError struct {
	// StatusCode is the HTTP status of the response; 0 for a failure
	// reported over the WebSocket session (an error frame or envelope).
	StatusCode int
	// Operation is the operationId of the call.
	Operation string
	// Code is the APEX errorcode, 0 if the body carried none.
	Code int
	// Message is the server's error text (APEX errormsg), if any.
	Message string
	// Detail is the APEX detail text, if any.
	Detail string
	// Body is the decoded error body when the spec declares one for this
	// status (a pointer to the generated type), nil otherwise or when the
	// body did not decode.
	Body any
	// Raw is the start of the response body, at most 4 KiB, with every
	// secret the request carried (credentials, a login password) replaced
	// by [REDACTED]. It is never included in Error().
	Raw []byte

	// kind is a sentinel the error matches regardless of code and status,
	// for failures the client itself classifies (a rejected login).
	kind error
}

// Error returns "<Operation>: HTTP <status>: <message> (code <n>)[: detail]"
// ("WebSocket" in place of "HTTP <status>" for a session failure).
func (e *APIError) Error() string {
	var b strings.Builder
	if e.Operation != "" {
		b.WriteString(e.Operation)
		b.WriteString(": ")
	}
	if e.StatusCode == 0 {
		// A failure reported over the WebSocket session has no status.
		b.WriteString("WebSocket")
	} else {
		fmt.Fprintf(&b, "HTTP %d", e.StatusCode)
	}
	msg := e.Message
	if msg == "" {
		msg = apexCodeText[e.Code]
	}
	if msg == "" {
		msg = http.StatusText(e.StatusCode)
	}
	if msg != "" {
		b.WriteString(": ")
		b.WriteString(msg)
	}
	if e.Code != 0 {
		fmt.Fprintf(&b, " (code %d)", e.Code)
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	return b.String()
}

// GoString prints the error without the raw body, which fmt's %#v would
// otherwise dump byte by byte.
func (e *APIError) GoString() string {
	return fmt.Sprintf("&%s.APIError{StatusCode:%d, Operation:%q, Code:%d, Message:%q, Detail:%q, Body:%#v, Raw:[]byte{/* %d bytes */}}",
		runtimePackageName(), e.StatusCode, e.Operation, e.Code, e.Message, e.Detail, e.Body, len(e.Raw))
}

// Is reports whether the error matches one of the sentinels: ErrNotAuthorized
// (code 20, HTTP 401/403), ErrInvalidRequest (100), ErrOperationFailed (101),
// ErrServerError (102, HTTP 5xx), ErrResourceNotFound (104, HTTP 404),
// ErrOperationNotSupported (106), ErrRejected (a rejected order).
func (e *APIError) Is(target error) bool {
	if e.kind != nil && target == e.kind {
		return true
	}
	switch target {
	case ErrNotAuthorized:
		return e.Code == 20 || e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden
	case ErrInvalidRequest:
		return e.Code == 100
	case ErrOperationFailed:
		return e.Code == 101
	case ErrServerError:
		return e.Code == 102 || e.StatusCode >= 500 && e.StatusCode <= 599
	case ErrResourceNotFound:
		return e.Code == 104 || e.StatusCode == http.StatusNotFound
	case ErrOperationNotSupported:
		return e.Code == 106
	}
	return false
}

// newAPIError builds the error for a non-2xx response. secrets are the
// values the request carried, in every encoding (request.secretForms): a
// server echoing one back must not put it in the error, so they are
// replaced in Message, Detail and Raw, and Body is decoded from the
// scrubbed body (left nil if scrubbing made it undecodable).
func newAPIError(op *operation, status int, data []byte, secrets []string) *APIError {
	clean := scrubBytes(data, secrets)
	e := &APIError{StatusCode: status, Operation: op.id, Raw: capRaw(clean)}
	if env, ok := parseEnvelope(data); ok {
		e.Code, e.Message, e.Detail = env.code, scrubString(env.message, secrets), scrubString(env.detail, secrets)
	}
	if op.errorBody != nil && len(bytes.TrimSpace(clean)) > 0 {
		if dst := op.errorBody(status); dst != nil && json.Unmarshal(clean, dst) == nil {
			e.Body = dst
		}
	}
	return e
}

// scrub replaces the secrets in Message, Detail and Raw, which were taken
// from data (see newAPIError).
func (e *APIError) scrub(data []byte, secrets []string) {
	if len(secrets) == 0 {
		return
	}
	e.Message, e.Detail = scrubString(e.Message, secrets), scrubString(e.Detail, secrets)
	e.Raw = capRaw(scrubBytes(data, secrets))
}

// apexEnvelopeError returns an *APIError when a 2xx body is an APEX failure
// envelope: an object with a boolean "result" that is false and at least one
// of "errormsg" and "errorcode". "result": true with a message is a success
// (the old docs show such examples), and bodies without "result" are left to
// the normal decoder.
func apexEnvelopeError(op *operation, status int, data []byte) *APIError {
	// Every successful KIIEX response passes through here; a failure
	// envelope needs a result key and the literal false, so most bodies are
	// ruled out without parsing them.
	if !bytes.Contains(data, []byte("false")) || !(bytes.Contains(data, []byte(`esult"`)) || bytes.Contains(data, []byte(`ESULT"`))) {
		return nil
	}
	env, ok := parseEnvelope(data)
	if !ok || env.result == nil || *env.result || !(env.hasMsg || env.hasCode) {
		return nil
	}
	return &APIError{
		StatusCode: status,
		Operation:  op.id,
		Code:       env.code,
		Message:    env.message,
		Detail:     env.detail,
		Raw:        capRaw(data),
	}
}

// rejectedError returns an *APIError matching ErrRejected when a 2xx body
// is an order acknowledgement with status "Rejected" (keys and the value
// matched case-insensitively, as APEX spells them inconsistently); any
// other body, "Accepted" included, is left to the decoder.
func rejectedError(op *operation, status int, data []byte) *APIError {
	if !bytes.Contains(data, []byte("ejected")) && !bytes.Contains(data, []byte("EJECTED")) || jsonKind(data) != 'o' {
		return nil
	}
	obj, err := jsonObjectKeys(data)
	if err != nil {
		return nil
	}
	var st, msg string
	for k, raw := range obj {
		switch strings.ToLower(k) {
		case "status":
			_ = json.Unmarshal(raw, &st)
		case "errormsg":
			_ = json.Unmarshal(raw, &msg)
		}
	}
	if !strings.EqualFold(st, "Rejected") {
		return nil
	}
	if msg == "" {
		msg = "order rejected"
	}
	return &APIError{StatusCode: status, Operation: op.id, Message: msg, Raw: capRaw(data), kind: ErrRejected}
}

type envelope struct {
	result          *bool
	hasMsg, hasCode bool
	code            int
	message, detail string
}

// parseEnvelope extracts the APEX error fields from a JSON object. Keys are
// matched case-insensitively because APEX spells them inconsistently across
// calls. For bodies that are not envelopes, "error" or "message" strings
// still give APIError a message (some old calls answer {"error": "..."}).
// ok is false when data is not an object or carries none of these fields.
func parseEnvelope(data []byte) (envelope, bool) {
	var env envelope
	if jsonKind(data) != 'o' {
		return env, false
	}
	obj, err := jsonObjectKeys(data)
	if err != nil {
		return env, false
	}
	var fallbackMsg string
	for k, raw := range obj {
		switch strings.ToLower(k) {
		case "result":
			var b bool
			if json.Unmarshal(raw, &b) == nil && jsonKind(raw) == 'b' {
				env.result = &b
			}
		case "errormsg":
			env.hasMsg = true
			_ = json.Unmarshal(raw, &env.message)
		case "errorcode":
			env.hasCode = true
			env.code = lenientInt(raw)
		case "detail":
			_ = json.Unmarshal(raw, &env.detail)
		case "error", "message":
			if jsonKind(raw) == 's' && fallbackMsg == "" {
				_ = json.Unmarshal(raw, &fallbackMsg)
			}
		}
	}
	if env.message == "" {
		env.message = fallbackMsg
	}
	ok := env.result != nil || env.hasMsg || env.hasCode || env.detail != "" || fallbackMsg != ""
	return env, ok
}

// lenientInt reads an integer that may be sent as a number or a quoted
// number; anything else is 0.
func lenientInt(raw json.RawMessage) int {
	s := string(bytes.TrimSpace(raw))
	if len(s) >= 2 && s[0] == '"' {
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0
	}
	return n
}

func capRaw(data []byte) []byte {
	if len(data) > maxRawErrorBytes {
		data = data[:maxRawErrorBytes]
	}
	return bytes.Clone(data)
}
