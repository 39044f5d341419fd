package emit

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/kiiexgen/kiiexgen/generator/ir"
)

// wsFile holds, for APEX packages, the *WSSession method of every operation
// (the WebSocket twin of each HTTP method, sharing its request and result
// types), the descriptors and methods of WebSocket-only operations, and for
// each subscription its event struct, decoder and routing descriptor.
// Other packages get the file with nothing but its header.
func wsFile(pkg *ir.Package, f *jen.File) bool {
	if !pkg.APEX {
		return false
	}
	var wsOnly []*ir.Operation
	for _, op := range pkg.Skipped {
		if op.Transport == "websocket" {
			wsOnly = append(wsOnly, op)
		}
	}
	for _, op := range wsOnly {
		emitDescriptor(f, pkg, op)
	}
	for _, op := range pkg.Operations {
		if wsEligible(op) {
			emitWSMethod(f, pkg, op, fmt.Sprintf("%s sends %s over the WebSocket session; it is the twin of Client.%s, with the same request and result.", op.Name, wsName(op), op.Name))
		}
	}
	for _, op := range wsOnly {
		if !wsEligible(op) {
			continue
		}
		if op.Subscription != nil {
			emitSubscription(f, pkg, op)
			continue
		}
		emitWSMethod(f, pkg, op, wsOperationDoc(op))
	}
	return true
}

// wsOperationDoc is operationDoc for an operation served over the socket
// only: its first line names the frame, not an HTTP route.
func wsOperationDoc(op *ir.Operation) string {
	doc := operationDoc(op)
	route := op.Name + " calls " + op.Method + " " + op.Path
	if strings.HasPrefix(doc, route) {
		doc = op.Name + " sends " + wsName(op) + " over the WebSocket session" + doc[len(route):]
	}
	return doc
}

// wsName is the APEX function name of op (its path without the slash).
func wsName(op *ir.Operation) string {
	if len(op.Path) > 1 && op.Path[0] == '/' {
		return op.Path[1:]
	}
	return op.Path
}

// wsEligible tells whether op fits a frame: its input is a JSON body (or
// nothing) and its result one JSON body (or nothing). APEX functions are
// all of this shape.
func wsEligible(op *ir.Operation) bool {
	if op.ParamsType != nil || op.Result != nil {
		return false
	}
	if b := op.Body; b != nil && b.Kind != ir.BodyJSON {
		return false
	}
	res := resultOf(op)
	return res.typ == nil || res.kind == ir.ResultJSON
}

// wsBody returns the body parameter and the statements that check it
// before anything is sent; errReturn returns an error with the zero result.
func wsBody(pkg *ir.Package, op *ir.Operation, errReturn func(jen.Code) jen.Code) ([]jen.Code, []jen.Code, jen.Code) {
	b := op.Body
	if b == nil {
		return nil, nil, jen.Nil()
	}
	g := b.Type
	params := []jen.Code{jen.Id("req").Add(argType(g))}
	var check []jen.Code
	switch {
	case isUnionType(g) && b.Required:
		check = append(check, jen.If(jen.Id("isNil").Call(jen.Id("req"))).Block(errReturn(wrapErr(jen.Id(op.Var).Dot("id"), "", jen.Id("errNilUnion").Call(jen.Lit(g.Ref.Name))))))
	case b.EmptyObject:
		return params, []jen.Code{jen.Var().Id("body").Any().Op("=").Id("req"), jen.If(jen.Id("req").Op("==").Nil()).Block(jen.Id("body").Op("=").Qual("encoding/json", "RawMessage").Call(jen.Lit("{}")))}, jen.Id("body")
	case isStructType(g) && b.Required:
		check = append(check, jen.If(jen.Id("req").Op("==").Nil()).Block(errReturn(jen.Qual("errors", "New").Call(jen.Lit(op.ID+": request body is nil")))))
	}
	if g.Kind == ir.Named && typeNeeds(g, wireChecks(pkg)) {
		check = append(check, jen.If(jen.Err().Op(":=").Id("checkWireValue").Call(jen.Id("req"), jen.Lit(g.Ref.Name)), jen.Err().Op("!=").Nil()).Block(
			errReturn(wrapErr(jen.Id(op.Var).Dot("id"), "", jen.Err())),
		))
	}
	return params, check, jen.Id("req")
}

// emitWSMethod writes the *WSSession method of a request/reply operation.
func emitWSMethod(f *jen.File, pkg *ir.Package, op *ir.Operation, doc string) {
	res := resultOf(op)
	rt := res.typ
	errReturn := func(err jen.Code) jen.Code {
		if rt == nil {
			return jen.Return(err)
		}
		if isStructType(rt) || zeroIsNil(rt) {
			return jen.Return(jen.Nil(), err)
		}
		return jen.Return(jen.Id("zero"), err)
	}
	params, body, arg := wsBody(pkg, op, errReturn)
	params = append([]jen.Code{jen.Id("ctx").Qual("context", "Context")}, params...)
	var results []jen.Code
	if rt != nil {
		results = append(results, argType(rt))
		if !(isStructType(rt) || zeroIsNil(rt)) {
			body = append([]jen.Code{jen.Var().Id("zero").Add(typ(rt))}, body...)
		}
	}
	results = append(results, jen.Error())
	call := func(out jen.Code) jen.Code {
		return jen.Id("s").Dot("do").Call(jen.Id("ctx"), jen.Op("&").Id(op.Var), arg, out)
	}
	switch {
	case rt == nil:
		body = append(body, jen.Return(call(jen.Nil())))
	default:
		// The session decodes replies with encoding/json (through the
		// generated UnmarshalJSON), so the destination goes as it is.
		asIs := func(_ *ir.GoType, out jen.Code) jen.Code { return out }
		body = append(body, decodeResult(op, rt, res.nullable, call, asIs, errReturn)...)
	}
	fileDoc(f, doc)
	f.Func().Params(jen.Id("s").Op("*").Id("WSSession")).Id(op.Name).Params(params...).Params(results...).Block(body...)
	f.Line()
}

// emitSubscription writes a subscribe operation's event struct, decoder,
// routing descriptor and *WSSession method returning a typed stream.
func emitSubscription(f *jen.File, pkg *ir.Package, op *ir.Operation) {
	sub := op.Subscription
	snap := singleJSONType(op)

	// Event struct.
	var fields []jen.Code
	fields = append(fields,
		jen.Add(comment("Name is the frame's function name: an event name, or "+wsName(op)+" for the snapshot.")).Id("Name").String(),
		jen.Add(comment("Gap reports that messages may be missing before this one: the session reconnected (this is then the fresh snapshot) or the consumer fell behind and the oldest buffered messages were dropped. Rebuild any state kept from earlier messages.")).Id("Gap").Bool(),
		jen.Add(comment("Raw is the message payload as received.")).Id("Raw").Qual("encoding/json", "RawMessage"),
	)
	if sub.Snapshot != "" {
		fields = append(fields, jen.Add(comment(fmt.Sprintf("%s is set on the reply of %s: the state at the time of subscribing (or of re-subscribing after a reconnect).", sub.Snapshot, wsName(op)))).Id(sub.Snapshot).Add(argType(snap)))
	}
	for _, ev := range sub.Events {
		doc := fmt.Sprintf("%s is set on a %q event.", ev.Field, ev.Wire)
		fields = append(fields, jen.Add(comment(paragraphs(doc, ev.Doc))).Id(ev.Field).Add(argType(ev.Type)))
	}
	fileDoc(f, fmt.Sprintf("%s is one message of a %s stream: exactly one of its payload fields is set, chosen by Name; only events the spec declares (x-kiiex-events) reach the stream.", sub.Event, op.Name))
	f.Type().Id(sub.Event).Struct(fields...)
	f.Line()

	// Decoder.
	decodeInto := func(g *ir.GoType, field string) []jen.Code {
		if needsDecoder(g) {
			return []jen.Code{
				jen.List(jen.Id("v"), jen.Err()).Op(":=").Add(decodeCall(g, jen.Id("m").Dot("Payload"))),
				jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Id("e"), wrapErr(jen.Id("m").Dot("Name"), "decode event", jen.Err()))),
				jen.Id("e").Dot(field).Op("=").Id("v"),
			}
		}
		if isStructType(g) {
			return []jen.Code{
				jen.Id("v").Op(":=").New(typ(g)),
				jen.If(jen.Err().Op(":=").Id("decodeWS").Call(jen.Id("m"), jen.Id("v")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Id("e"), jen.Err())),
				jen.Id("e").Dot(field).Op("=").Id("v"),
			}
		}
		return []jen.Code{
			jen.Var().Id("v").Add(typ(g)),
			jen.If(jen.Err().Op(":=").Id("decodeWS").Call(jen.Id("m"), jen.Op("&").Id("v")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Id("e"), jen.Err())),
			jen.Id("e").Dot(field).Op("=").Id("v"),
		}
	}
	var cases []jen.Code
	if sub.Snapshot != "" {
		cases = append(cases, jen.Case(jen.Id("m").Dot("Snapshot")).Block(decodeInto(snap, sub.Snapshot)...))
	}
	for _, ev := range sub.Events {
		cases = append(cases, jen.Case(jen.Id("m").Dot("Name").Op("==").Lit(ev.Wire)).Block(decodeInto(ev.Type, ev.Field)...))
	}
	stmts := []jen.Code{jen.Id("e").Op(":=").Id(sub.Event).Values(jen.Dict{jen.Id("Name"): jen.Id("m").Dot("Name"), jen.Id("Gap"): jen.Id("m").Dot("Gap"), jen.Id("Raw"): jen.Id("m").Dot("Payload")})}
	if len(cases) > 0 {
		stmts = append(stmts, jen.Switch().Block(cases...))
	}
	stmts = append(stmts, jen.Return(jen.Id("e"), jen.Nil()))
	fileNote(f, fmt.Sprintf("%s decodes one message of a %s stream.", sub.Decoder, op.Name))
	f.Func().Id(sub.Decoder).Params(jen.Id("m").Id("WSMessage")).Params(jen.Id(sub.Event), jen.Error()).Block(stmts...)
	f.Line()

	// Routing descriptor.
	var routes []jen.Code
	for _, ev := range sub.Events {
		r := []kv{{"name", jen.Lit(ev.Wire)}}
		if len(ev.Match) > 0 {
			var ms []jen.Code
			for _, m := range ev.Match {
				ms = append(ms, ordered(kv{"event", jen.Lit(m.Event)}, kv{"index", jen.Lit(m.Index)}, kv{"request", jen.Lit(m.Request)}))
			}
			r = append(r, kv{"match", jen.Index().Id("wsMatch").Values(ms...)})
		}
		routes = append(routes, ordered(r...))
	}
	d := []kv{}
	if len(routes) > 0 {
		d = append(d, kv{"events", jen.Index().Id("wsRoute").ValuesFunc(func(g *jen.Group) {
			for _, r := range routes {
				g.Line().Add(r)
			}
			g.Line()
		})})
	}
	if u := sub.Unsubscribe; u != nil {
		d = append(d, kv{"unsubscribe", jen.Op("&").Id(u.Var)})
		var fs []jen.Code
		for _, n := range sub.UnsubscribeFields {
			fs = append(fs, jen.Lit(n))
		}
		if len(fs) > 0 {
			d = append(d, kv{"unsubscribeFields", jen.Index().String().Values(fs...)})
		}
	}
	fileNote(f, fmt.Sprintf("%s routes the events of %s streams.", sub.Var, op.Name))
	f.Var().Id(sub.Var).Op("=").Id("wsSubscription").Add(ordered(d...))
	f.Line()

	// Method.
	params, check, arg := wsBody(pkg, op, func(err jen.Code) jen.Code { return jen.Return(jen.Nil(), err) })
	params = append([]jen.Code{jen.Id("ctx").Qual("context", "Context")}, params...)
	body := append(check,
		jen.List(jen.Id("sub"), jen.Err()).Op(":=").Id("s").Dot("subscribe").Call(jen.Id("ctx"), jen.Op("&").Id(op.Var), jen.Op("&").Id(sub.Var), arg),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Id("newWSStream").Call(jen.Id("ctx"), jen.Id("sub"), jen.Id(sub.Decoder)), jen.Nil()),
	)
	end := "Close the stream (or cancel ctx) to end it"
	if sub.Unsubscribe != nil {
		end += "; that sends " + wsName(sub.Unsubscribe)
	} else {
		end += "; the spec names no call to end it on the server, so only local delivery stops"
	}
	var names []string
	for _, ev := range sub.Events {
		names = append(names, ev.Wire)
	}
	events := "It receives no declared events."
	if len(names) > 0 {
		events = "It receives: " + joinList(names) + "."
	}
	usage := fmt.Sprintf("%s sends %s over the WebSocket session and returns the stream of its messages: first the reply (the snapshot), then the events, in order. %s %s. After a reconnect the session subscribes again and the new snapshot arrives with Gap set.", op.Name, wsName(op), events, end)
	fileDoc(f, paragraphs(usage, strings.TrimPrefix(wsOperationDoc(op), op.Name+" sends "+wsName(op)+" over the WebSocket session.")))
	f.Func().Params(jen.Id("s").Op("*").Id("WSSession")).Id(op.Name).Params(params...).Params(jen.Op("*").Id("WSStream").Types(jen.Id(sub.Event)), jen.Error()).Block(body...)
	f.Line()
}

// singleJSONType is the JSON result type of op, or nil.
func singleJSONType(op *ir.Operation) *ir.GoType {
	res := resultOf(op)
	if res.kind != ir.ResultJSON {
		return nil
	}
	return res.typ
}

func joinList(names []string) string {
	out := ""
	for i, n := range names {
		if i > 0 {
			out += ", "
		}
		out += n
	}
	return out
}
