// Package spec embeds the KIIEX OpenAPI document kiiexgen generates from by default.
package spec

import _ "embed" // for go:embed

// KIIEX is the KIIEX Trading API OpenAPI 3.0.3 document (YAML), embedded from kiiex.yaml.
//
//go:embed kiiex.yaml
var KIIEX []byte

// Path is the location of the embedded document relative to the module root,
// used when reporting diagnostics against the default spec.
const Path = "spec/kiiex.yaml"

// Source is what the "// Source:" line of generated files says when the
// embedded document was used: a path would point at nothing in the user's
// repository. Write the document out with kiiexgen -dump-spec to pin it.
const Source = "embedded KIIEX spec (kiiexgen)"
