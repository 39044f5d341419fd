package load

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v4"
)

// repairParam makes the repairs of a parameter or header object p:
//   - a path parameter is required: OpenAPI requires "required: true",
//     and a path parameter is always sent (the URL cannot be built
//     without it); specs written by hand or converted from other formats
//     often leave it out or say false;
//   - an OpenAPI 3 parameter or header with neither schema nor content
//     (required: exactly one) is read as a string;
//   - a header object carries neither "name" nor "in" (its name is its
//     key, and it is in a header): specs converted from parameters keep
//     them, which kin-openapi refuses.
func (l *loader) repairParam(p *yaml.Node, ptr string, header bool) {
	l.repairStringFields(p, ptr, "param")
	if l.v2 {
		// A Swagger 2.0 parameter or header carries its type itself.
		l.repairTypeAlias(p, ptr)
		if in := val(p, "in"); in != nil && in.Value == "body" && val(p, "schema") == nil {
			at := nodePos(p)
			set(p, "schema", &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: at.line, Column: at.col}, at)
			l.rep.repair("body-without-schema", l.name, at, ptr, "body parameter without schema (required); read as any JSON value")
		}
	}
	if header {
		for _, key := range [][2]string{{"name", "its name is its key in the headers map"}, {"in", "it is always in a header"}} {
			if k, _ := get(p, key[0]); k != nil {
				del(p, key[0])
				l.rep.repair("header-name-in", l.name, nodePos(k), join(ptr, key[0]),
					fmt.Sprintf("a header object has no %q (%s); removed", key[0], key[1]))
			}
		}
	}
	if !l.v2 && val(p, "schema") == nil && val(p, "content") == nil {
		at := nodePos(p)
		schema := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: at.line, Column: at.col}
		what := "parameter"
		if header {
			what = "header"
		}
		// Swagger 2.0's way (type, format, items... on the parameter
		// itself), kept by specs converted by hand.
		var moved []string
		for _, key := range swagger2ParamSchemaFields {
			if k, v := get(p, key); k != nil {
				if len(moved) == 0 {
					at = nodePos(k)
				}
				del(p, key)
				schema.Content = append(schema.Content, k, v)
				moved = append(moved, key)
			}
		}
		if k, cf := get(p, "collectionFormat"); k != nil {
			// Swagger 2.0's array serialization, as OpenAPI 3 says it.
			se := map[string][2]string{
				"csv": {"form", "false"}, "ssv": {"spaceDelimited", "false"},
				"pipes": {"pipeDelimited", "false"}, "multi": {"form", "true"},
			}[cf.Value]
			style, explode := se[0], se[1]
			if in := val(p, "in"); style != "" && in != nil && in.Value == "query" && val(p, "style") == nil {
				del(p, "collectionFormat")
				set(p, "style", str(style, nodePos(cf)), nodePos(k))
				set(p, "explode", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: explode, Line: cf.Line, Column: cf.Column}, nodePos(k))
				moved = append(moved, "collectionFormat (as style "+style+", explode "+explode+")")
			} else if cf.Value == "csv" || cf.Value == "" {
				del(p, "collectionFormat") // the default of path and header parameters
				moved = append(moved, "collectionFormat")
			}
		}
		if val(schema, "type") == nil {
			set(schema, "type", str("string", at), at)
		}
		set(p, "schema", schema, at)
		if len(moved) > 0 {
			l.rep.repair("missing-schema", l.name, at, ptr, fmt.Sprintf("%s gives %s outside a schema (Swagger 2.0's way); moved into its schema", what, strings.Join(moved, ", ")))
		} else {
			l.rep.repair("missing-schema", l.name, at, ptr, fmt.Sprintf("%s without schema or content (one is required); read as a string", what))
		}
	}
	if header {
		return
	}
	if in := val(p, "in"); in == nil || in.Value != "path" {
		return
	}
	k, req := get(p, "required")
	if b, ok := boolValue(req); ok && b && req.Tag == "!!bool" { // true, True, TRUE
		return
	}
	at := nodePos(p)
	msg := "path parameter without \"required: true\" (OpenAPI requires it); read as required"
	if k != nil {
		at = nodePos(k)
		v := "a " + kindName(req.Kind)
		switch {
		case req.Kind == yaml.ScalarNode && req.Tag == "!!str":
			v = strconv.Quote(req.Value) + " (a string)"
		case req.Kind == yaml.ScalarNode:
			v = req.Value
		}
		msg = fmt.Sprintf("path parameter with required %s (OpenAPI requires true); read as required", v)
	}
	set(p, "required", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true", Line: at.line, Column: at.col}, at)
	l.rep.repair("path-parameter-optional", l.name, at, ptr+"/required", msg)
}

// swagger2ParamSchemaFields are the schema fields a Swagger 2.0 parameter
// or header carries itself, which OpenAPI 3 moved into its schema.
var swagger2ParamSchemaFields = []string{
	"type", "format", "items", "enum", "default", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
	"minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems", "multipleOf",
}

// securityTypes are the security scheme types of OpenAPI 3 (and of
// Swagger 2.0's securityDefinitions).
var securityTypes = map[string]bool{"apiKey": true, "http": true, "oauth2": true, "openIdConnect": true, "mutualTLS": true}
var securityTypes2 = map[string]bool{"basic": true, "apiKey": true, "oauth2": true}

// repairSecuritySchemes drops the security schemes a client cannot use
// because the spec does not say how to send their credential: an unknown
// type ("cookie" for an apiKey in a cookie, "bearer" for http bearer...),
// an apiKey without a name or a valid "in", an http scheme without its
// scheme, oauth2 without flows, openIdConnect without its URL. kin-openapi
// refuses the whole document for any of them; dropped, the requirements
// naming the scheme are ignored (undefined-security-scheme), so the other
// operations and schemes stay usable.
func (l *loader) repairSecuritySchemes(at loc) {
	root := at.p.root
	schemes, base, types := val(val(root, "components"), "securitySchemes"), "/components/securitySchemes", securityTypes
	if l.v2 {
		schemes, base, types = val(root, "securityDefinitions"), "/securityDefinitions", securityTypes2
	}
	if !isMap(schemes) {
		return
	}
	if l.droppedSchemes == nil {
		l.droppedSchemes = map[string]string{}
	}
	ends := &schemeEnds{l: l, types: types, memo: map[string]schemeEnd{}, local: map[string]*yaml.Node{}, base: base, at: at}
	for i := 0; i+1 < len(schemes.Content); i += 2 {
		ends.local[schemes.Content[i].Value] = schemes.Content[i+1]
	}
	kept := schemes.Content[:0:0]
	for i := 0; i+1 < len(schemes.Content); i += 2 {
		k, s := schemes.Content[i], schemes.Content[i+1]
		why := l.badSecurityScheme(s, types)
		if r := val(s, "$ref"); r != nil && r.Kind == yaml.ScalarNode {
			e := ends.of(r.Value)
			switch {
			case e.dropped != "" && strings.HasPrefix(r.Value, "#") && e.direct:
				why = fmt.Sprintf("refers to the dropped scheme %q", e.dropped)
			case e.dropped != "":
				why = fmt.Sprintf("refers to %s, which leads to the dropped scheme %q", strconv.Quote(r.Value), e.dropped)
			case e.why != "":
				why = fmt.Sprintf("refers to %s, a scheme that cannot be used (it %s)", strconv.Quote(r.Value), e.why)
			}
		}
		if why == "" {
			l.repairOAuthFlows(s, join(base, k.Value))
			kept = append(kept, k, s)
			continue
		}
		l.rep.repair("invalid-security-scheme", l.name, nodePos(k), join(base, k.Value),
			fmt.Sprintf("security scheme %q %s; dropped, and requirements naming it are ignored", k.Value, why))
		l.droppedSchemes[at.key+"#"+join(base, k.Value)] = k.Value
		delete(ends.local, k.Value)
	}
	schemes.Content = kept
}

// schemeEnd is where a chain of security scheme $refs ends: at a scheme
// dropped already (dropped; direct when the $ref names it itself), at one
// that cannot be used (why), or at a usable one, a cycle or nothing
// (neither: kin-openapi reports the last two).
type schemeEnd struct {
	why, dropped string
	direct       bool
}

// schemeEnds follows scheme $refs from one file's schemes. Every place a
// chain passes is remembered with the chain's end, so a file of N schemes
// that $ref each other in a chain costs time linear in N.
type schemeEnds struct {
	l     *loader
	types map[string]bool
	memo  map[string]schemeEnd  // file key + "#" + pointer -> end
	local map[string]*yaml.Node // this file's schemes by name
	base  string                // their pointer
	at    loc
}

func (e *schemeEnds) of(ref string) schemeEnd {
	at := e.at
	var path []string
	onPath := map[string]bool{}
	var end schemeEnd
	for hop := 0; ; hop++ {
		file, frag, _ := strings.Cut(ref, "#")
		if unesc, err := url.PathUnescape(frag); err == nil {
			frag = unesc
		}
		where, ok, _ := e.l.refFile(at, file)
		if !ok {
			break // reported with the other unresolvable $refs
		}
		key := where.key + "#" + frag
		if name := e.l.droppedSchemes[key]; name != "" {
			end = schemeEnd{dropped: name, direct: hop == 0}
			break
		}
		if m, ok := e.memo[key]; ok {
			end = m
			end.direct = false
			break
		}
		if onPath[key] {
			break // a cycle
		}
		onPath[key] = true
		path = append(path, key)
		var target *yaml.Node
		if name, ok := strings.CutPrefix(frag, e.base+"/"); ok && where.key == e.at.key && !strings.Contains(name, "/") {
			target = e.local[unescapeToken(name)]
		} else if n, why := resolvePointer(where.p.root, frag); why == "" {
			target = n
		}
		if target == nil {
			break
		}
		if r := val(target, "$ref"); isMap(target) && r != nil && r.Kind == yaml.ScalarNode {
			at, ref = where, r.Value
			continue
		}
		end.why = e.l.badSecurityScheme(target, e.types)
		break
	}
	for _, k := range path {
		m := end
		m.direct = false
		e.memo[k] = m
	}
	return end
}

// badSecurityScheme says what keeps the scheme s from being used, or "".
func (l *loader) badSecurityScheme(s *yaml.Node, types map[string]bool) string {
	if !isMap(s) || hasRef(s) {
		return "" // a $ref or a shape error is reported elsewhere
	}
	scalar := func(key string) string {
		v := val(s, key)
		if v == nil || v.Kind != yaml.ScalarNode || isNull(v) {
			return ""
		}
		return v.Value
	}
	typ := scalar("type")
	switch {
	case !types[typ]:
		return fmt.Sprintf("has type %s, which is not a security scheme type", strconv.Quote(typ))
	case typ == "mutualTLS" && !l.v31:
		return "is mutualTLS, which OpenAPI 3.0 does not have (3.1 does)"
	case typ == "apiKey" && scalar("name") == "":
		return "is an apiKey without a name"
	case typ == "apiKey" && !(scalar("in") == "query" || scalar("in") == "header" || scalar("in") == "cookie" && !l.v2):
		allowed := "query, header or cookie"
		if l.v2 {
			allowed = "query or header, in Swagger 2.0"
		}
		return fmt.Sprintf("is an apiKey with \"in\" %s (not %s)", strconv.Quote(scalar("in")), allowed)
	case typ == "http" && scalar("scheme") == "":
		return "is an http scheme without its \"scheme\""
	case typ == "oauth2" && !l.v2 && !isMap(val(s, "flows")):
		return "is oauth2 without flows"
	case typ == "openIdConnect" && scalar("openIdConnectUrl") == "":
		return "is openIdConnect without an openIdConnectUrl"
	}
	return ""
}
