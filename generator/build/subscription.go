package build

import (
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/kiiexgen/kiiexgen/generator/ir"
)

// wsPending is a WebSocket operation whose subscription extensions are read
// once every operation exists (x-kiiex-unsubscribe names another one).
type wsPending struct {
	op  *ir.Operation
	ext map[string]any
	ptr string
}

// subscriptions reads x-kiiex-events and x-kiiex-unsubscribe of the
// WebSocket operations of an APEX spec. The extension is ours:
//
//	x-kiiex-events:          # events the subscription receives
//	  - name: Level2UpdateEvent  # APEX event name (frame "n")
//	    schema: Level2Entry      # component schema of the payload
//	    array: true              # the payload is a JSON array of it
//	    match: {"7": InstrumentId}  # event member (or array position) = request member
//	    description: ...
//	x-kiiex-unsubscribe: UnsubscribeLevel2  # operationId that ends it
//
// Malformed entries are skipped with a positioned warning.
func (b *builder) subscriptions(pending []wsPending, all []*ir.Operation) {
	byID := map[string]*ir.Operation{}
	for _, o := range all {
		byID[o.ID] = o
	}
	for _, p := range pending {
		raw, ok := p.ext["x-kiiex-events"]
		if !ok {
			continue
		}
		list, ok := raw.([]any)
		if !ok {
			b.warn(p.ptr+"/x-kiiex-events", "bad-extension", "x-kiiex-events must be a list; ignored")
			continue
		}
		o := p.op
		sub := &ir.Subscription{
			Event:   b.names.claim(o.Name+"Event", ""),
			Decoder: b.names.claim("decode"+o.Name+"Event", ""),
			Var:     b.names.claim("ws"+o.Name, ""),
		}
		fields := newNamer("Name", "Gap", "Raw")
		if singleJSON(o) != nil {
			sub.Snapshot = fields.claim("Snapshot", "")
		}
		for i, item := range list {
			ptr := p.ptr + "/x-kiiex-events/" + strconv.Itoa(i)
			ev := b.subEvent(item, ptr, fields)
			if ev != nil {
				sub.Events = append(sub.Events, ev)
			}
		}
		if u, ok := p.ext["x-kiiex-unsubscribe"].(string); ok {
			target := byID[u]
			switch {
			case target == nil:
				b.warn(p.ptr+"/x-kiiex-unsubscribe", "bad-extension", "x-kiiex-unsubscribe names no operation %q; the stream cannot unsubscribe", u)
			case target.Transport != "websocket":
				b.warn(p.ptr+"/x-kiiex-unsubscribe", "bad-extension", "x-kiiex-unsubscribe: %q is not a WebSocket operation; ignored", u)
			default:
				sub.Unsubscribe = target
				if target.Body != nil && isStruct(target.Body.Type) {
					for _, f := range target.Body.Type.Ref.Fields {
						sub.UnsubscribeFields = append(sub.UnsubscribeFields, f.JSONName)
					}
				}
			}
		}
		o.Subscription = sub
	}
}

func isStruct(g *ir.GoType) bool {
	return g != nil && g.Kind == ir.Named && g.Ref.Kind == ir.StructType
}

// subEvent reads one x-kiiex-events entry.
func (b *builder) subEvent(item any, ptr string, fields *namer) *ir.SubEvent {
	m, ok := item.(map[string]any)
	if !ok {
		b.warn(ptr, "bad-extension", "event entry must be an object; ignored")
		return nil
	}
	name, _ := m["name"].(string)
	schema, _ := m["schema"].(string)
	if name == "" || schema == "" {
		b.warn(ptr, "bad-extension", "event entry needs a name and a schema; ignored")
		return nil
	}
	var ref *openapi3.SchemaRef
	if b.doc.Components != nil {
		ref = b.doc.Components.Schemas[schema]
	}
	if ref == nil || ref.Value == nil {
		b.warn(ptr+"/schema", "bad-extension", "event %q: no component schema %q; ignored", name, schema)
		return nil
	}
	t := b.typeOf(ref, GoName(schema), "#/components/schemas/"+escape(schema))
	array, _ := m["array"].(bool)
	if array {
		t = sliceOf(t)
	}
	ev := &ir.SubEvent{Wire: name, Field: fields.claim(GoName(name), "Event"), Type: t}
	if d, ok := m["description"].(string); ok {
		ev.Doc = strings.TrimSpace(d)
	}
	if mm, ok := m["match"].(map[string]any); ok {
		for _, k := range sortedKeys(mm) {
			req, ok := mm[k].(string)
			if !ok || req == "" {
				b.warn(ptr+"/match/"+escape(k), "bad-extension", "match value must be a request member name; ignored")
				continue
			}
			em := ir.EventMatch{Event: k, Index: -1, Request: req}
			if n, err := strconv.Atoi(k); err == nil && n >= 0 {
				if !array {
					b.warn(ptr+"/match/"+escape(k), "bad-extension", "a positional match needs an array payload; ignored")
					continue
				}
				em.Event, em.Index = "", n
			}
			ev.Match = append(ev.Match, em)
		}
	} else if _, ok := m["match"]; ok {
		b.warn(ptr+"/match", "bad-extension", "match must be an object; ignored")
	}
	return ev
}
