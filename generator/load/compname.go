package load

import (
	"context"
	"errors"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
)

// componentName handles kin-openapi's finding that a component's name has
// characters outside OpenAPI 3's [a-zA-Z0-9._-] and reports whether e was
// one. Real specs have them: springfox names Swagger 2.0 definitions
// "ResponseEntity«List«User»»" (valid there: 2.0 does not restrict the
// names), hand-written ones "Page[Order]" or "Foo Bar". A client needs the
// name only to find the component, and every name becomes a Go identifier
// through the namer, so the name is kept: a warning for OpenAPI 3 (-strict
// refuses it), nothing for a Swagger 2.0 definition. kin-openapi skips
// validating such a component's value, so it is validated here.
func (l *loader) componentName(ctx context.Context, doc *openapi3.T, e error) bool {
	var ce *openapi3.ComponentValidationError
	if !errors.As(e, &ce) || ce.Cause == nil {
		return false
	}
	idErr := openapi3.ValidateIdentifier(ce.Name)
	if idErr == nil || ce.Cause.Error() != idErr.Error() {
		return false
	}
	if !l.v2 {
		file, ptr := l.kinPointer(e)
		p, name := l.position(file, ptr)
		l.rep.repair("component-name", name, p, ptr, fmt.Sprintf(
			"%s name %q has characters OpenAPI 3 does not allow in component names (A-Z a-z 0-9 . _ -); kept", ce.Section, ce.Name))
	}
	c := doc.Components
	if c == nil {
		return true
	}
	var err error
	switch ce.Section {
	case "schema":
		err = validateRef(ctx, c.Schemas[ce.Name])
	case "parameter":
		err = validateRef(ctx, c.Parameters[ce.Name])
	case "request body":
		err = validateRef(ctx, c.RequestBodies[ce.Name])
	case "response":
		err = validateRef(ctx, c.Responses[ce.Name])
	case "header":
		err = validateRef(ctx, c.Headers[ce.Name])
	case "security scheme":
		err = validateRef(ctx, c.SecuritySchemes[ce.Name])
	case "example":
		err = validateRef(ctx, c.Examples[ce.Name])
	case "link":
		err = validateRef(ctx, c.Links[ce.Name])
	case "callback":
		err = validateRef(ctx, c.Callbacks[ce.Name])
	}
	for _, f := range multi(err) {
		l.kinDiag(&openapi3.ComponentValidationError{Section: ce.Section, Name: ce.Name, Cause: f})
	}
	return true
}

// validateRef validates a component, which may be missing (nil).
func validateRef[T interface {
	comparable
	Validate(context.Context, ...openapi3.ValidationOption) error
}](ctx context.Context, r T) error {
	var zero T
	if r == zero {
		return nil
	}
	return r.Validate(ctx)
}
