package load

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v4"
)

// walker visits the schema and response objects of an OpenAPI 3 or Swagger
// 2 node tree, following its structure (not $refs). Objects holding a $ref
// are not entered.
type walker struct {
	v2 bool
	// schema is called for each schema, before its subschemas. parent and
	// prop are set when the schema is the property prop of parent.
	schema func(s *yaml.Node, ptr string, parent *yaml.Node, prop string)
	// response is called for each response object.
	response func(r *yaml.Node, ptr string)
	// operation is called for each operation, before its contents.
	operation func(op *yaml.Node, ptr string)
	// param is called for each parameter and header object (header set),
	// before its schema.
	param func(p *yaml.Node, ptr string, header bool)
	// repair, when set, runs a repair of the walked file's objects (in
	// another file than the root: with that file's name and positions).
	repair func(f func())
	// ref is called for each object holding a $ref, with the kind of
	// object its position calls for (see refKinds).
	ref func(n *yaml.Node, ptr, want string)
}

// onRef reports a $ref-holding object n (and returns true) if it is one.
func (w *walker) onRef(n *yaml.Node, ptr, want string) bool {
	if !hasRef(n) {
		return false
	}
	if w.ref != nil {
		w.ref(n, ptr, want)
	}
	return true
}

var methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace", "query"}

func isMap(n *yaml.Node) bool { return n != nil && n.Kind == yaml.MappingNode }
func isSeq(n *yaml.Node) bool { return n != nil && n.Kind == yaml.SequenceNode }

func hasRef(n *yaml.Node) bool { return val(n, "$ref") != nil }

func join(ptr, tok string) string { return ptr + "/" + escapeToken(tok) }

func (w *walker) doc(root *yaml.Node) {
	entries(val(root, "paths"), func(k, v *yaml.Node) {
		if !strings.HasPrefix(k.Value, "x-") {
			w.pathItem(v, join("/paths", k.Value))
		}
	})
	entries(val(root, "webhooks"), func(k, v *yaml.Node) { w.pathItem(v, join("/webhooks", k.Value)) })
	if w.v2 {
		entries(val(root, "definitions"), func(k, v *yaml.Node) { w.walkSchema(v, join("/definitions", k.Value), nil, "") })
		entries(val(root, "parameters"), func(k, v *yaml.Node) { w.parameter(v, join("/parameters", k.Value)) })
		entries(val(root, "responses"), func(k, v *yaml.Node) { w.walkResponse(v, join("/responses", k.Value)) })
		return
	}
	c := val(root, "components")
	entries(val(c, "schemas"), func(k, v *yaml.Node) { w.walkSchema(v, join("/components/schemas", k.Value), nil, "") })
	entries(val(c, "parameters"), func(k, v *yaml.Node) { w.parameter(v, join("/components/parameters", k.Value)) })
	entries(val(c, "headers"), func(k, v *yaml.Node) { w.header(v, join("/components/headers", k.Value)) })
	entries(val(c, "requestBodies"), func(k, v *yaml.Node) { w.requestBody(v, join("/components/requestBodies", k.Value)) })
	entries(val(c, "responses"), func(k, v *yaml.Node) { w.walkResponse(v, join("/components/responses", k.Value)) })
	entries(val(c, "pathItems"), func(k, v *yaml.Node) { w.pathItem(v, join("/components/pathItems", k.Value)) })
	entries(val(c, "callbacks"), func(k, v *yaml.Node) { w.callback(v, join("/components/callbacks", k.Value)) })
}

func (w *walker) pathItem(n *yaml.Node, ptr string) {
	if !isMap(n) || w.onRef(n, ptr, "pathItem") {
		return
	}
	w.parameters(val(n, "parameters"), ptr+"/parameters")
	for _, m := range methods {
		if op := val(n, m); isMap(op) {
			w.walkOperation(op, ptr+"/"+m)
		}
	}
	entries(val(n, "additionalOperations"), func(k, v *yaml.Node) {
		if isMap(v) {
			w.walkOperation(v, join(ptr+"/additionalOperations", k.Value))
		}
	})
}

func (w *walker) walkOperation(op *yaml.Node, ptr string) {
	if w.onRef(op, ptr, "operation") {
		// Not OpenAPI, but kin-openapi reads it (DigitalOcean keeps each
		// operation in a file of its own).
		return
	}
	if w.operation != nil {
		w.operation(op, ptr)
	}
	w.parameters(val(op, "parameters"), ptr+"/parameters")
	if rb := val(op, "requestBody"); isMap(rb) {
		w.requestBody(rb, ptr+"/requestBody")
	}
	entries(val(op, "responses"), func(k, v *yaml.Node) { w.walkResponse(v, join(ptr+"/responses", k.Value)) })
	entries(val(op, "callbacks"), func(k, v *yaml.Node) { w.callback(v, join(ptr+"/callbacks", k.Value)) })
}

func (w *walker) requestBody(n *yaml.Node, ptr string) {
	if !isMap(n) || w.onRef(n, ptr, "requestBody") {
		return
	}
	w.content(n, ptr)
}

func (w *walker) callback(n *yaml.Node, ptr string) {
	if !isMap(n) || w.onRef(n, ptr, "callback") {
		return
	}
	entries(n, func(k, v *yaml.Node) { w.pathItem(v, join(ptr, k.Value)) })
}

func (w *walker) parameters(n *yaml.Node, ptr string) {
	if !isSeq(n) {
		return
	}
	for i, p := range n.Content {
		w.parameter(p, ptr+"/"+strconv.Itoa(i))
	}
}

// parameter walks a parameter object.
func (w *walker) parameter(n *yaml.Node, ptr string) {
	if !isMap(n) || w.onRef(n, ptr, "parameter") {
		return
	}
	if w.param != nil {
		w.param(n, ptr, false)
	}
	w.paramBody(n, ptr)
}

// header walks a header object.
func (w *walker) header(n *yaml.Node, ptr string) {
	if !isMap(n) || w.onRef(n, ptr, "header") {
		return
	}
	if w.param != nil {
		w.param(n, ptr, true)
	}
	w.paramBody(n, ptr)
}

func (w *walker) paramBody(n *yaml.Node, ptr string) {
	if s := val(n, "schema"); s != nil {
		w.walkSchema(s, ptr+"/schema", nil, "")
	}
	w.content(n, ptr)
}

// content walks the content map of a request body, response, parameter or
// header n.
func (w *walker) content(n *yaml.Node, ptr string) {
	if !isMap(n) || hasRef(n) {
		return
	}
	c := val(n, "content")
	if isMap(c) && w.onRef(c, ptr+"/content", "content") {
		return
	}
	entries(c, func(k, mt *yaml.Node) {
		p := join(ptr+"/content", k.Value)
		if isMap(mt) && w.onRef(mt, p, "mediaType") {
			return
		}
		if s := val(mt, "schema"); s != nil {
			w.walkSchema(s, p+"/schema", nil, "")
		}
		if s := val(mt, "itemSchema"); s != nil {
			w.walkSchema(s, p+"/itemSchema", nil, "")
		}
		entries(val(mt, "encoding"), func(ek, e *yaml.Node) {
			entries(val(e, "headers"), func(hk, h *yaml.Node) {
				w.header(h, join(join(p+"/encoding", ek.Value)+"/headers", hk.Value))
			})
		})
	})
}

func (w *walker) walkResponse(r *yaml.Node, ptr string) {
	if !isMap(r) || w.onRef(r, ptr, "response") {
		return
	}
	if w.response != nil {
		w.response(r, ptr)
	}
	if w.v2 {
		if s := val(r, "schema"); s != nil {
			w.walkSchema(s, ptr+"/schema", nil, "")
		}
		return
	}
	entries(val(r, "headers"), func(k, v *yaml.Node) { w.header(v, join(ptr+"/headers", k.Value)) })
	w.content(r, ptr)
}

var (
	subSchema     = []string{"items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames", "unevaluatedItems", "unevaluatedProperties", "contentSchema", "additionalItems"}
	subSchemaList = []string{"allOf", "anyOf", "oneOf", "prefixItems"}
	subSchemaMap  = []string{"patternProperties", "$defs", "definitions", "dependentSchemas"}
)

func (w *walker) walkSchema(s *yaml.Node, ptr string, parent *yaml.Node, prop string) {
	if !isMap(s) {
		return
	}
	if w.schema != nil {
		w.schema(s, ptr, parent, prop)
	}
	if hasRef(s) {
		if w.ref != nil {
			w.ref(s, ptr, "schema")
		}
		// 3.1 allows siblings of $ref; they are still schemas.
		if len(s.Content) == 2 || w.v2 {
			return
		}
	}
	props := val(s, "properties")
	if r := val(props, "$ref"); r != nil && len(props.Content) == 2 && r.Kind == yaml.ScalarNode {
		// "properties: {$ref: file}": the map of properties kept
		// elsewhere (not a property named "$ref", whose value would be
		// a schema, not a string).
		if w.ref != nil {
			w.ref(props, ptr+"/properties", "properties")
		}
		return
	}
	entries(props, func(k, v *yaml.Node) { w.walkSchema(v, join(ptr+"/properties", k.Value), s, k.Value) })
	for _, key := range subSchema {
		if v := val(s, key); isMap(v) {
			w.walkSchema(v, ptr+"/"+key, nil, "")
		} else if key == "items" && isSeq(v) {
			for i, e := range v.Content {
				w.walkSchema(e, ptr+"/items/"+strconv.Itoa(i), nil, "")
			}
		}
	}
	for _, key := range subSchemaList {
		if v := val(s, key); isSeq(v) {
			for i, e := range v.Content {
				w.walkSchema(e, ptr+"/"+key+"/"+strconv.Itoa(i), nil, "")
			}
		}
	}
	for _, key := range subSchemaMap {
		entries(val(s, key), func(k, v *yaml.Node) { w.walkSchema(v, join(ptr+"/"+key, k.Value), nil, "") })
	}
}
