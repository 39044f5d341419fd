package load

import (
	"fmt"

	"go.yaml.in/yaml/v4"
)

// stringFields are the fields, per kind of object, whose value OpenAPI
// makes a string and that specs write as YAML numbers or booleans: the
// info version above all ("version: 1.0"), numeric operationIds, a
// pattern of digits. kin-openapi refuses the document for any of them.
var stringFields = map[string][]string{
	"info":      {"title", "version", "description"},
	"operation": {"operationId", "summary", "description"},
	"param":     {"name", "description"},
	"schema":    {"title", "description", "pattern", "format"},
	"response":  {"description"},
}

// repairStringFields reads a number or boolean in one of the string fields
// of the object n (of the given kind) as its text: "version: 1.0" is the
// version "1.0".
func (l *loader) repairStringFields(n *yaml.Node, ptr, kind string) {
	if !isMap(n) {
		return
	}
	for _, key := range stringFields[kind] {
		k, v := get(n, key)
		if v == nil || v.Kind != yaml.ScalarNode || isNull(v) || v.Tag == "!!str" || v.Tag == "" {
			continue
		}
		what := map[string]string{"!!int": "a number", "!!float": "a number", "!!bool": "a boolean"}[v.Tag]
		if what == "" {
			continue
		}
		v.Tag, v.Style = "!!str", 0
		l.rep.repair("string-field", l.name, nodePos(k), join(ptr, key),
			fmt.Sprintf("%q is %s, not a string; read as the string %q", key, what, v.Value))
	}
}

// repairRequiredString reads an object schema's "required: name" (one
// property name, not a list) as the list [name].
func (l *loader) repairRequiredString(s *yaml.Node, ptr string) {
	k, rv := get(s, "required")
	if rv == nil || rv.Kind != yaml.ScalarNode || isNull(rv) {
		return
	}
	if _, isBool := boolValue(rv); isBool {
		return // repairRequiredBool's
	}
	list := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: rv.Line, Column: rv.Column}
	name := *rv
	name.Tag, name.Style = "!!str", 0
	list.Content = []*yaml.Node{&name}
	set(s, "required", list, nodePos(k))
	l.rep.repair("required-not-list", l.name, nodePos(k), ptr+"/required",
		fmt.Sprintf("\"required\" is the name %q, not a list of names; read as [%q]", rv.Value, rv.Value))
}
