package load

import (
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v4"
)

// The repairs in this file drop what a client cannot use and kin-openapi
// refuses the whole document for. Each was met in a published spec.

// dropNamelessParams drops the parameters without a name from an
// operation's parameters and from its path item's: a query, header, path
// or cookie parameter is sent under its name, so one without a name cannot
// be sent at all. (A Swagger 2.0 body parameter's name is never sent; it
// stays.)
func (l *loader) dropNamelessParams(op *yaml.Node, ptr string) {
	l.dropNameless(val(op, "parameters"), ptr+"/parameters")
	segs := strings.Split(ptr, "/")
	if len(segs) == 4 && segs[1] == "paths" {
		item := val(val(l.root.root, "paths"), unescapeToken(segs[2]))
		l.dropNameless(val(item, "parameters"), "/paths/"+segs[2]+"/parameters")
	}
}

func (l *loader) dropNameless(list *yaml.Node, ptr string) {
	if !isSeq(list) {
		return
	}
	kept := list.Content[:0:0]
	for i, p := range list.Content {
		what, via := namelessParam(p), ""
		if r := val(p, "$ref"); r != nil && r.Kind == yaml.ScalarNode && isMap(p) {
			what, via = "", r.Value
			if target := l.followRefs(l.fileLoc(), p, maxParamRefHops); target != nil {
				what = namelessParam(target)
			}
		}
		if what == "" {
			kept = append(kept, p)
			continue
		}
		at := nodePos(p)
		if k, _ := get(p, "name"); k != nil {
			at = nodePos(k)
		}
		msg := fmt.Sprintf("%s without a name (nothing can be sent for it); dropped", what)
		if via != "" {
			msg = fmt.Sprintf("$ref %q leads to a %s without a name (nothing can be sent for it); dropped", via, what)
		}
		l.rep.repair("parameter-without-name", l.name, at, ptr+"/"+strconv.Itoa(i), msg)
	}
	list.Content = kept
}

// namelessParam describes p ("query parameter") when it is a parameter
// without a name that is sent under its name (all but a Swagger 2.0 body
// parameter), else "".
func namelessParam(p *yaml.Node) string {
	if !isMap(p) || hasRef(p) {
		return ""
	}
	name, in := val(p, "name"), val(p, "in")
	if !(name == nil || isNull(name) || name.Kind == yaml.ScalarNode && name.Value == "") {
		return ""
	}
	if in != nil && in.Kind == yaml.ScalarNode {
		switch in.Value {
		case "body":
			return ""
		case "":
		default:
			return in.Value + " parameter"
		}
	}
	return "parameter"
}

// dropNamelessComponents drops the reusable parameters without a name
// (components/parameters, or Swagger 2.0's parameters; the operations'
// $refs to them were dropped with them, see dropNameless) and the links
// that name no operation, and repairs request bodies without content.
func (l *loader) dropNamelessComponents() {
	section, base := val(val(l.root.root, "components"), "parameters"), "/components/parameters"
	if l.v2 {
		section, base = val(l.root.root, "parameters"), "/parameters"
	}
	if !l.v2 {
		c := val(l.root.root, "components")
		l.dropBadLinks(val(c, "links"), "/components/links")
		entries(val(c, "requestBodies"), func(k, v *yaml.Node) { l.repairBodyContent(v, join("/components/requestBodies", k.Value)) })
	}
	if !isMap(section) {
		return
	}
	kept := section.Content[:0:0]
	for i := 0; i+1 < len(section.Content); i += 2 {
		k, p := section.Content[i], section.Content[i+1]
		if what := namelessParam(p); what != "" {
			l.rep.repair("parameter-without-name", l.name, nodePos(k), join(base, k.Value),
				fmt.Sprintf("%s without a name (nothing can be sent for it); dropped", what))
			continue
		}
		kept = append(kept, k, p)
	}
	section.Content = kept
}

// repairSchemaExamples drops a schema's "examples" that is not a list.
// JSON Schema's examples (OpenAPI 3.1) is an array of values; OpenAPI 3.0
// schemas have "example" only, and specs that wrote "examples" there often
// wrote a media type's map of Example Objects. Examples are documentation:
// dropping them changes no generated type.
func (l *loader) repairSchemaExamples(s *yaml.Node, ptr string) {
	k, v := get(s, "examples")
	if k == nil || isSeq(v) || isNull(v) {
		return
	}
	del(s, "examples")
	what := kindName(v.Kind)
	if v.Kind == yaml.ScalarNode {
		what = "scalar"
	}
	l.rep.repair("schema-examples-not-list", l.name, nodePos(k), ptr+"/examples",
		fmt.Sprintf("a schema's \"examples\" is a list of values, not a %s; dropped", what))
}

// repairMapping repairs the discriminator mapping entries that are $refs
// leading nowhere (a missing file or pointer: bundlers leave such refs
// behind). When the oneOf/anyOf has one local $ref alternative named as
// the $ref's last token ("models/bank.yml#/Bank" and
// "#/components/schemas/Bank"), the entry maps to it, as the bundler
// meant; otherwise the entry is dropped. A schema name (no "/") is left to
// the build stage.
func (l *loader) repairMapping(s *yaml.Node, ptr string) {
	m := val(val(s, "discriminator"), "mapping")
	if !isMap(m) {
		return
	}
	at := l.fileLoc()
	kept := m.Content[:0:0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if v.Kind == yaml.ScalarNode && strings.Contains(v.Value, "/") {
			if _, _, _, ok, broken := l.resolve(at, v.Value); !ok && broken != "" {
				msg := fmt.Sprintf("discriminator mapping %q -> %q does not resolve (%s); ", k.Value, v.Value, broken)
				if alt := alternativeNamed(s, lastToken(v.Value)); alt != "" {
					l.rep.repair("discriminator-mapping-unresolved", l.name, nodePos(v), join(ptr+"/discriminator/mapping", k.Value),
						msg+fmt.Sprintf("read as %q, the alternative of that name", alt))
					v.Value = alt
					kept = append(kept, k, v)
					continue
				}
				l.rep.repair("discriminator-mapping-unresolved", l.name, nodePos(v), join(ptr+"/discriminator/mapping", k.Value), msg+"dropped")
				continue
			}
		}
		kept = append(kept, k, v)
	}
	m.Content = kept
}

// lastToken is the last JSON pointer token of a $ref's fragment, or the
// file's base name without its extension when it has none.
func lastToken(ref string) string {
	file, frag, _ := strings.Cut(ref, "#")
	if frag == "" || frag == "/" {
		base := file[strings.LastIndexByte(file, '/')+1:]
		if i := strings.IndexByte(base, '.'); i > 0 {
			base = base[:i]
		}
		return base
	}
	return unescapeToken(frag[strings.LastIndexByte(frag, '/')+1:])
}

// alternativeNamed returns the $ref of the one oneOf/anyOf alternative of
// s that is the local component schema name, or "".
func alternativeNamed(s *yaml.Node, name string) string {
	want := "#" + join("/components/schemas", name)
	found := ""
	for _, key := range []string{"oneOf", "anyOf"} {
		alts := val(s, key)
		if !isSeq(alts) {
			continue
		}
		for _, a := range alts.Content {
			if r := val(a, "$ref"); r != nil && r.Kind == yaml.ScalarNode && r.Value == want {
				found = want
			}
		}
	}
	return found
}

// dropBadLinks drops the links (of a response, or components/links) that
// name no operation: OpenAPI requires operationId or operationRef, and a
// client has no use for links at all (they describe follow-up calls).
func (l *loader) dropBadLinks(links *yaml.Node, ptr string) {
	if !isMap(links) {
		return
	}
	kept := links.Content[:0:0]
	for i := 0; i+1 < len(links.Content); i += 2 {
		k, v := links.Content[i], links.Content[i+1]
		if badLink(v) {
			l.rep.repair("link-without-operation", l.name, nodePos(k), join(ptr, k.Value),
				fmt.Sprintf("link %q names no operation (operationId or operationRef is required); dropped", k.Value))
			continue
		}
		if r := val(v, "$ref"); isMap(v) && r != nil && r.Kind == yaml.ScalarNode {
			if target, _, _, ok, _ := l.resolve(l.fileLoc(), r.Value); ok && badLink(target) {
				l.rep.repair("link-without-operation", l.name, nodePos(k), join(ptr, k.Value),
					fmt.Sprintf("link %q refers to %q, which names no operation (operationId or operationRef is required); dropped", k.Value, r.Value))
				continue
			}
		}
		kept = append(kept, k, v)
	}
	links.Content = kept
}

// badLink reports whether v is a link object naming no operation.
func badLink(v *yaml.Node) bool {
	return isMap(v) && !hasRef(v) && val(v, "operationId") == nil && val(v, "operationRef") == nil
}

// repairBodyContent gives a request body without content (required) an
// empty one: a body of no declared media type, which the client does not
// send (kin-openapi refused the document).
func (l *loader) repairBodyContent(rb *yaml.Node, ptr string) {
	if !isMap(rb) || hasRef(rb) {
		return
	}
	if c := val(rb, "content"); c != nil && !isNull(c) {
		return
	}
	at := nodePos(rb)
	set(rb, "content", &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: at.line, Column: at.col}, at)
	l.rep.repair("request-body-without-content", l.name, at, ptr,
		"request body without content (required); read as no body")
}

// maxParamRefHops bounds the $ref chain dropNameless follows from a
// parameters list entry.
const maxParamRefHops = 32
