// Package load reads an OpenAPI document (3.0, 3.1 or Swagger 2.0, JSON or
// YAML) into a kin-openapi model, repairing well-understood real-world
// defects in lenient mode and reporting every finding with its position.
package load

import (
	"context"
	"os"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/kiiexgen/kiiexgen/generator/diag"
)

// Options control loading.
type Options struct {
	// Strict turns repairable defects (warnings) into errors.
	Strict bool
	// AllowRemoteRefs permits $refs to http(s) URLs. Off by default: no
	// network access unless asked for.
	AllowRemoteRefs bool
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
}

// Locate returns the 1-based line and column in Source of the element at the
// JSON pointer (with or without the leading "#"), or 0, 0 when unknown.
func (d *Document) Locate(pointer string) (line, col int) {
	return 0, 0
}

// File loads the spec at path.
func File(ctx context.Context, path string, opts Options) (*Document, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Data(ctx, path, data, opts)
}

// Data loads a spec from memory; name is used in diagnostics.
func Data(ctx context.Context, name string, data []byte, opts Options) (*Document, error) {
	l := openapi3.NewLoader()
	l.Context = ctx
	doc, err := l.LoadFromData(data)
	if err != nil {
		return nil, diag.Errorf(name, 0, 0, "", "%v", err)
	}
	return &Document{Doc: doc, Source: name}, nil
}
