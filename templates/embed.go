// Package templates is the spec-independent runtime of every package that
// kiiexgen generates: HTTP transport, the WebSocket (RFC 6455) client
// transport of APEX packages, security schemes and credentials, the error
// types, the exact Decimal, date and time types, Nullable, the JSON reader
// the generated decoders drive, union decoding helpers and secret
// redaction.
//
// It is an ordinary Go package so that it compiles, vets and is unit-tested
// where it lives, instead of being opaque text inside the generator. The
// generator embeds the non-test .go files through [FS] and copies each one
// into the generated package as runtime_<base>_gen.go, rewriting the package
// clause and prepending the "Code generated" header. The spec-dependent files
// (models, unions, client methods, the securitySchemes table) are emitted next
// to them and call the unexported functions defined here.
//
// Files the generator must not copy:
//   - embed.go (this file): it exists only to embed the others;
//   - stubs.go: stand-ins for the identifiers the generator emits per spec,
//     so that this package compiles on its own;
//   - *_test.go.
//
// apex*.go (the KIIEX/APEX session login) and websocket.go (the RFC 6455
// client transport the APEX WebSocket API runs on; only APEX specs declare
// WebSocket operations, x-kiiex-transport: websocket) are copied only for
// APEX-style specs (other packages get their runtime_*_gen.go with just the
// header, so the file set never depends on the spec); no other runtime file
// refers to anything they declare, so a generated package without them
// still compiles. goversion.go
// keeps its //go:build line: it is compiled only by toolchains older than Go
// 1.24 and stops them with an error naming the requirement.
//
// The fake server package that -fake generates beside a client has its own
// runtime in the fake subdirectory (package fake), embedded the same way.
//
// Everything here uses the standard library only, has no init-time side
// effects and keeps secrets out of every error string and fmt output.
package templates

import "embed"

// FS holds the runtime source files. The generator filters out embed.go,
// stubs.go and *_test.go before copying.
//
//go:embed *.go
var FS embed.FS
