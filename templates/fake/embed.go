// Package fake is the spec-independent runtime of the test server package
// that kiiexgen generates beside a client when asked to (-fake): routing by
// the spec's method and path templates, request validation against tables
// generated from the spec's schemas, the typed handler plumbing, error
// responses, a record of the calls, and (apex.go, copied only for APEX
// specs such as KIIEX) the signed login and the session token check.
//
// Like the client runtime in the parent directory, it is an ordinary Go
// package so that it compiles and is tested where it lives; the generator
// embeds its non-test .go files through [FS] and copies each one into the
// generated <pkg>fake package as runtime_<base>_gen.go. Files not copied:
// embed.go (this file), stubs.go (stand-ins for what the generator emits per
// spec) and *_test.go. apex.go is written empty for specs that are not
// APEX-style, and nothing else here refers to what it declares.
//
// Everything here uses the standard library only and has no init-time side
// effects.
package fake

import "embed"

// FS holds the runtime source files. The generator filters out embed.go,
// stubs.go and *_test.go before copying.
//
//go:embed *.go
var FS embed.FS
