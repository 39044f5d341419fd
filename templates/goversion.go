//go:build !go1.24

package templates

// Generated packages need Go 1.24 or newer: optional nullable fields are
// tagged `json:",omitzero"`, which older encoding/json ignores, so an absent
// field would silently be sent as "field": null. This file is only compiled
// by those older toolchains, and refers to a name that does not exist, so
// the build stops with an error that says why.
var _ = kiiexgen_generated_code_requires_go1_24_or_newer
