package load

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v4"
)

// Repairs made on the loaded document (after kin-openapi resolved every
// $ref, before it validates), where the reading needs the whole document:
// operations in path items of other files, the security schemes.

// opAt is an operation with the pointer of its path item's method.
type opAt struct {
	op     *openapi3.Operation
	ptr    string
	method string
	path   string
}

// operationsInOrder lists the operations in document order: paths as they
// are in the root file, methods in the order of the Path Item Object.
func (l *loader) operationsInOrder(doc *openapi3.T) []opAt {
	if doc.Paths == nil {
		return nil
	}
	var out []opAt
	entries(val(l.root.root, "paths"), func(k, _ *yaml.Node) {
		item := doc.Paths.Value(k.Value)
		if item == nil {
			return
		}
		for _, m := range methods {
			if op := item.GetOperation(strings.ToUpper(m)); op != nil {
				out = append(out, opAt{op: op, ptr: join(join("/paths", k.Value), m), method: strings.ToUpper(m), path: k.Value})
			}
		}
	})
	return out
}

// dedupeOperationIDs renames the later of two operations that share an
// operationId (Kind duplicate-operation-id): method names come from the
// ids, and a client needs one method per operation.
func (l *loader) dedupeOperationIDs(doc *openapi3.T) {
	ops := l.operationsInOrder(doc)
	taken := map[string]bool{}
	for _, o := range ops {
		taken[o.op.OperationID] = true
	}
	first := map[string]opAt{}
	for _, o := range ops {
		id := o.op.OperationID
		if id == "" {
			continue
		}
		prev, dup := first[id]
		if !dup {
			first[id] = o
			continue
		}
		n := 2
		for taken[id+"_"+strconv.Itoa(n)] {
			n++
		}
		o.op.OperationID = id + "_" + strconv.Itoa(n)
		taken[o.op.OperationID] = true
		ptr := o.ptr + "/operationId"
		l.rep.repair("duplicate-operation-id", l.name, l.at(ptr), ptr,
			fmt.Sprintf("operationId %q is also that of %q; this operation is read as %q", id, prev.method+" "+prev.path, o.op.OperationID))
	}
}

// dedupeParameters keeps the first of parameters that one list declares
// twice (same name and location; Kind duplicate-parameter): a request can
// carry only one. An operation's parameter overriding its path item's of
// the same name is not a duplicate: OpenAPI says the operation's wins.
func (l *loader) dedupeParameters(doc *openapi3.T) {
	dedupe := func(params *openapi3.Parameters, ptr string) {
		seen := map[string]int{}
		var keep openapi3.Parameters
		for i, p := range *params {
			if p == nil || p.Value == nil {
				keep = append(keep, p)
				continue
			}
			key := p.Value.In + "\x00" + p.Value.Name
			if first, dup := seen[key]; dup {
				at := ptr + "/" + strconv.Itoa(i)
				l.rep.repair("duplicate-parameter", l.name, l.at(at), at,
					fmt.Sprintf("%q parameter %q is declared again (first at index %d); this one is ignored", p.Value.In, p.Value.Name, first))
				continue
			}
			seen[key] = i
			keep = append(keep, p)
		}
		*params = keep
	}
	if doc.Paths == nil {
		return
	}
	entries(val(l.root.root, "paths"), func(k, _ *yaml.Node) {
		item := doc.Paths.Value(k.Value)
		if item == nil {
			return
		}
		base := join("/paths", k.Value)
		dedupe(&item.Parameters, base+"/parameters")
		for _, m := range methods {
			if op := item.GetOperation(strings.ToUpper(m)); op != nil {
				dedupe(&op.Parameters, join(base, m)+"/parameters")
			}
		}
	})
}

// dropUndefinedSecurity ignores security requirements that name a scheme
// the document does not define (Kind undefined-security-scheme): no
// client can satisfy them, and the spec's other requirements still hold.
func (l *loader) dropUndefinedSecurity(doc *openapi3.T) {
	defined := func(name string) bool {
		return doc.Components != nil && doc.Components.SecuritySchemes[name] != nil
	}
	fix := func(reqs *openapi3.SecurityRequirements, ptr string) {
		if reqs == nil {
			return
		}
		var keep openapi3.SecurityRequirements
		for i, req := range *reqs {
			var missing []string
			for _, name := range sortedKeys(req) {
				if !defined(name) {
					missing = append(missing, strconv.Quote(name))
				}
			}
			if len(missing) == 0 {
				keep = append(keep, req)
				continue
			}
			p := ptr + "/" + strconv.Itoa(i)
			l.rep.repair("undefined-security-scheme", l.name, l.at(p), p,
				fmt.Sprintf("security requirement names undefined scheme %s; the requirement is ignored", strings.Join(missing, ", ")))
		}
		if len(keep) == 0 {
			keep = openapi3.SecurityRequirements{}
		}
		*reqs = keep
	}
	fix(&doc.Security, "/security")
	for _, o := range l.operationsInOrder(doc) {
		fix(o.op.Security, o.ptr+"/security")
	}
}
