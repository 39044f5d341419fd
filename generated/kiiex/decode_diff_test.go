package kiiex

// Issue #12: the generated decoders (readJSON, behind UnmarshalJSON and the
// client's response path) must decode every generated type exactly as
// encoding/json's reflection does. The reference decode runs with
// decodeHook set: every generated UnmarshalJSON then hands the value to
// encoding/json as its underlying type (a struct, slice or map type without
// methods), so the whole tree is decoded by reflection, with the runtime
// types (Decimal, DateTime, Nullable, json.RawMessage) decoding themselves
// through their own UnmarshalJSON as before.
//
// What must match: success or failure, and on success a reflect.DeepEqual
// value. The error values differ by design (see jsonread_gen.go).

import (
	"bytes"
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
)

// diffTypes are the generated types with a generated decoder, found from
// the client's method signatures by reflection (request and response
// types, and what their fields hold), plus the union variants.
var diffTypes = sync.OnceValue(func() []reflect.Type {
	seen := map[reflect.Type]bool{}
	var out []reflect.Type
	reader := reflect.TypeFor[jsonReadable]()
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		if seen[t] {
			return
		}
		seen[t] = true
		if t.PkgPath() == reflect.TypeFor[Client]().PkgPath() && reflect.PointerTo(t).Implements(reader) {
			out = append(out, t)
		}
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Map:
			walk(t.Elem())
		case reflect.Struct:
			for i := range t.NumField() {
				walk(t.Field(i).Type)
			}
		}
	}
	ct := reflect.TypeFor[*Client]()
	for i := range ct.NumMethod() {
		m := ct.Method(i).Type
		for j := range m.NumIn() {
			walk(m.In(j))
		}
		for j := range m.NumOut() {
			walk(m.Out(j))
		}
	}
	// Union variants, error bodies and the schemas of the WebSocket events
	// (no REST operation carries them); TestDiffTypesCoverAll keeps this
	// list complete.
	for _, v := range []any{PasswordCredentials{}, APIKeyCredentials{}, GetL2Snapshot400Error{}, Validate2FA401Error{},
		AccountPositionEvent{}, CancelAllOrdersRejectEvent{}, CancelOrderRejectEvent{}, CancelReplaceOrderRejectEvent{},
		MarketStateUpdate{}, NewOrderRejectEvent{}, OrderTradeEvent{}, PendingDepositUpdate{}, TradeEntry{}, SubscribeAccountEventsRequest{}, SubscribeAccountEventsResponse{},
		SubscribeBlockTradesRequest{}, SubscribeLevel1Request{}, SubscribeLevel2Request{}, SubscribeTickerRequest{},
		SubscribeTradesRequest{}, UnsubscribeBlockTradesRequest{}, UnsubscribeLevel1Request{}, UnsubscribeLevel2Request{},
		UnsubscribeTickerRequest{}, UnsubscribeTradesRequest{}} {
		walk(reflect.TypeOf(v))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
})

// TestDiffTypesCoverAll: every type json_gen.go gives an UnmarshalJSON
// is among diffTypes, so a new schema cannot slip past the fuzz target.
func TestDiffTypesCoverAll(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "json_gen.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, typ := range diffTypes() {
		have[typ.Name()] = true
	}
	n := 0
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Name.Name != "UnmarshalJSON" || fn.Recv == nil {
			continue
		}
		n++
		recv := fn.Recv.List[0].Type.(*ast.StarExpr).X.(*ast.Ident).Name
		if !have[recv] {
			t.Errorf("%s has a generated decoder but the differential test does not reach it", recv)
		}
	}
	if n == 0 || n != len(diffTypes()) {
		t.Errorf("json_gen.go has %d UnmarshalJSON methods, the differential test covers %d types", n, len(diffTypes()))
	}
}

// reflectDecode is the reference: data decoded by encoding/json into v's
// underlying type.
func reflectDecode(data []byte, v any) (bool, error) {
	pv := reflect.ValueOf(v).Elem()
	var under reflect.Type
	switch t := pv.Type(); t.Kind() {
	case reflect.Struct:
		fields := make([]reflect.StructField, t.NumField())
		for i := range fields {
			fields[i] = t.Field(i)
			if fields[i].Type.Kind() == reflect.Interface {
				return false, nil // a union field: no reflective reference
			}
		}
		under = reflect.StructOf(fields)
	case reflect.Slice:
		under = reflect.SliceOf(t.Elem())
	case reflect.Map:
		under = reflect.MapOf(t.Key(), t.Elem())
	default:
		return false, nil
	}
	tmp := reflect.New(under)
	tmp.Elem().Set(pv.Convert(under)) // decode into the current value, as encoding/json does
	err := json.Unmarshal(data, tmp.Interface())
	pv.Set(tmp.Elem().Convert(pv.Type()))
	return true, err
}

var hookMu sync.Mutex

// decodeBoth decodes data into fresh values of t with the generated
// decoder and with the reference.
func decodeBoth(t reflect.Type, data []byte) (fast, ref reflect.Value, fastErr, refErr error) {
	fast = reflect.New(t)
	fastErr = readJSONTop(data, fast.Interface().(jsonReadable))
	ref = reflect.New(t)
	hookMu.Lock()
	decodeHook = reflectDecode
	refErr = json.Unmarshal(data, ref.Interface())
	decodeHook = nil
	hookMu.Unlock()
	return
}

func checkSame(t *testing.T, typ reflect.Type, data []byte) {
	t.Helper()
	fast, ref, fastErr, refErr := decodeBoth(typ, data)
	if (fastErr == nil) != (refErr == nil) {
		t.Fatalf("%s: %q\ngenerated decoder: %v\nencoding/json:     %v", typ, data, fastErr, refErr)
	}
	if fastErr != nil {
		var de *DecodeError
		if !errors.As(fastErr, &de) {
			t.Fatalf("%s: %q: error %T is not a *DecodeError: %v", typ, data, fastErr, fastErr)
		}
		return
	}
	if !reflect.DeepEqual(fast.Interface(), ref.Interface()) {
		t.Fatalf("%s: %q decodes differently\ngenerated decoder: %#v\nencoding/json:     %#v", typ, data, fast.Elem().Interface(), ref.Elem().Interface())
	}
	// encoding/json calling the generated UnmarshalJSON agrees too.
	via := reflect.New(typ)
	if err := json.Unmarshal(data, via.Interface()); err != nil || !reflect.DeepEqual(via.Interface(), fast.Interface()) {
		t.Fatalf("%s: %q: json.Unmarshal through UnmarshalJSON gives %v, %#v", typ, data, err, via.Elem().Interface())
	}
}

// diffSeeds are inputs for every type: full and sparse values of it
// (built by reflection and encoded), the legacy examples when ../shared is
// there, and edge cases of the JSON grammar and of encoding/json's rules.
func diffSeeds(t testing.TB) [][]byte {
	var seeds [][]byte
	r := rand.New(rand.NewPCG(12, 12))
	for _, typ := range diffTypes() {
		for _, density := range []float64{1, 0.5} {
			v := reflect.New(typ).Elem()
			fillValue(v, r, density, 0)
			b, err := json.Marshal(v.Addr().Interface())
			if err != nil {
				continue // a union left nil in a request type
			}
			seeds = append(seeds, b)
		}
	}
	seeds = append(seeds, bytes.Clone(ticketsSample))
	for _, s := range []string{
		`{}`, `null`, `[]`, `[null]`, `[{}]`, `{"a":1}`, ` {"OMSId": 1 } `, `{"omsid":1,"OMSID":2}`,
		`{"accountId":1,"accountId":null}`, `{"comments":{"a":1},"comments":{"b":2}}`,
		`{"amount":"1.5"}`, `{"amount":1e400}`, `{"amount":-0.0e-7}`, `{"Status":1.5}`, `{"Status":99}`,
		`{"assetName":"\ud83d\ude00 \udc00 \u00e9 \xff"}`, `{"createdTimestamp":"2025-08-26T20:35:22"}`,
		`{"a\u006dount":1}`, `{"AMOUNT":2}`, "{\"\u212a\":1}", `[1,2,3]`, `{"x":[1,{"y":[]}]}`, `"s"`, `1`, `true`,
		`{"accountId":9223372036854775807}`, `{"accountId":9223372036854775808}`, `{"accountId":"1"}`,
		`{"accountId":1}x`, `{"accountId":1,}`, `{"accountId":01}`, `{"assetName":"\u12"}`,
	} {
		seeds = append(seeds, []byte(s))
	}
	if exs := legacyExamples(); len(exs) > 0 {
		seeds = append(seeds, exs...)
	}
	return seeds
}

// ticketsSample is a GetDepositTickets body as the bench sends it.
var ticketsSample = []byte(`[{"assetManagerId":1,"accountId":7,"assetId":2,"assetName":"USDT","amount":1234.5678,"omsId":1,"requestCode":null,"requestIP":"10.0.0.1","requestUser":3,"requestUserName":"ops-desk","operatorId":1,"Status":5,"feeAmt":0.0012,"updatedByUser":4,"updatedByUserName":null,"ticketNumber":100001,"depositInfo":{"Address":"0xabc","Confirmations":12},"createdTimestamp":"2025-08-26T20:35:22.893Z","lastUpdateTimeStamp":"2025-08-27T01:00:00.120+02:00","comments":null,"attachments":{"0":{"attachmentId":1}}}]`)

// legacyExamples are the example payloads of ../shared's legacy KIIEX
// specs (none when absent).
var legacyExamples = sync.OnceValue(func() [][]byte {
	files, _ := filepath.Glob(filepath.Join(exLegacyDir, "*.yaml"))
	var out [][]byte
	for _, f := range files {
		exs, _, err := exExtract(f)
		if err != nil {
			continue
		}
		for _, ex := range exs {
			out = append(out, ex.payload)
		}
	}
	return out
})

// fillValue sets v to a value with every field present (density 1) or
// about half of them.
func fillValue(v reflect.Value, r *rand.Rand, density float64, depth int) {
	if depth > 4 {
		return
	}
	switch v.Type() {
	case reflect.TypeFor[Decimal]():
		v.Set(reflect.ValueOf(MustDecimal([]string{"1.5", "-0.00012", "1e-8", "42", "65000.25"}[r.IntN(5)])))
		return
	case reflect.TypeFor[DateTime]():
		dt, _ := ParseDateTime([]string{"2025-08-26T20:35:22.893Z", "2025-08-26T20:35:22", "2025-08-26T20:35:22+02:00"}[r.IntN(3)])
		v.Set(reflect.ValueOf(dt))
		return
	case reflect.TypeFor[json.RawMessage]():
		v.SetBytes([]byte(`{"k":[1,"x",null]}`))
		return
	}
	if strings.HasPrefix(v.Type().Name(), "Nullable[") {
		inner := reflect.New(v.Type().Field(0).Type).Elem()
		fillValue(inner, r, density, depth+1)
		if m := v.Addr().MethodByName("Set"); m.IsValid() && r.Float64() < 0.8 {
			m.Call([]reflect.Value{inner})
		} else {
			v.Addr().MethodByName("SetNull").Call(nil)
		}
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString([]string{"alice", "Buy", "é ü", "x\"y\\z", ""}[r.IntN(5)])
	case reflect.Int64, reflect.Int32:
		v.SetInt(int64(r.IntN(1000)))
	case reflect.Float64:
		v.SetFloat(r.Float64() * 100)
	case reflect.Bool:
		v.SetBool(r.IntN(2) == 0)
	case reflect.Pointer:
		if r.Float64() < density {
			p := reflect.New(v.Type().Elem())
			fillValue(p.Elem(), r, density, depth+1)
			v.Set(p)
		}
	case reflect.Slice:
		n := 1 + r.IntN(2)
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := range n {
			fillValue(s.Index(i), r, density, depth+1)
		}
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		e := reflect.New(v.Type().Elem()).Elem()
		fillValue(e, r, density, depth+1)
		m.SetMapIndex(reflect.ValueOf("k1").Convert(v.Type().Key()), e)
		v.Set(m)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() && r.Float64() < density {
				fillValue(v.Field(i), r, density, depth+1)
			}
		}
	}
}

// TestDecodeMatchesEncodingJSON runs every seed through every type.
func TestDecodeMatchesEncodingJSON(t *testing.T) {
	seeds := diffSeeds(t)
	for _, typ := range diffTypes() {
		for _, s := range seeds {
			checkSame(t, typ, s)
		}
	}
	t.Logf("%d types × %d inputs agree", len(diffTypes()), len(seeds))
}

// FuzzDecodeDifferential: for a type picked by which, the generated
// decoder and encoding/json agree on any input; so do the credential
// union's decoder and its variants' (checkUnionSame).
func FuzzDecodeDifferential(f *testing.F) {
	types := diffTypes()
	for i, s := range diffSeeds(f) {
		f.Add(uint(i), s)
	}
	for i, s := range unionSeeds {
		f.Add(uint(i), []byte(s))
	}
	f.Fuzz(func(t *testing.T, which uint, data []byte) {
		checkSame(t, types[which%uint(len(types))], data)
		checkUnionSame(t, data)
	})
}

// unionSeeds are inputs for the credential union's one-pass decode (the
// shape checks read the scanned members, then the chosen variant is
// decoded from them): duplicates across and within variants, escaped and
// case-folded keys, members of the wrong kind, syntax errors after members
// a scan could read.
var unionSeeds = []string{
	`{"UserName":"a","Password":"p","username":"b"}`, `{"APIKey":"k","Signature":"s","UserId":"1","Nonce":"2","apikey":"K"}`,
	`{"UserName":"a","Password":"p","UserName":"b","Password":1,"Password":"q"}`,
	`{"APIKey":"k","Signature":"s","UserId":"1","Nonce":"2","UserName":"u","UserName":null,"UserName":"v"}`,
	`{"APIKey":1,"Signature":"s","UserId":"1","Nonce":"2","UserName":"u","Password":"p","APIKey":"k"}`,
	`{"APIKey":"k","Signature":"s","UserId":"1","Nonce":"2","UserName":"u","Password":"p","APIKey":1}`,
	`{"\u0055serName":"a","Pass\u0077ord":"p\u00e9"}`, `{"UserName":"a","Password":"p","PASSWORD":"q","\u0070assword":"r"}`,
	`{"APIKey":"k","Signature":"s","UserId":"1","Nonce":"2","userid":5}`, `{"UserName":"a","Password":"p","username":[1]}`,
	`{"UserName":"a","Password":"p"} x`, `{"UserName":"a","Password":"p",`, `{"UserName":"a","Password":"p","x":}`,
	` {"UserName" : "a" , "Password" : "p" } `, `{"UserName":"a","Password":"p","x":{"y":[1,{"z":"\ud83d"}]}}`,
}

// TestDecodeUnionMatchesEncodingJSON: the credential union picks the same
// variant and value with the variants decoded by reflection.
func TestDecodeUnionMatchesEncodingJSON(t *testing.T) {
	seeds := diffSeeds(t)
	for _, s := range unionSeeds {
		seeds = append(seeds, []byte(s))
	}
	for _, s := range seeds {
		checkUnionSame(t, s)
	}
}

// checkUnionSame: DecodeAuthenticateUserRequest agrees with itself with
// the variants decoded by reflection, and what it decodes from the
// scanned members (value or error) is what decoding the text into the
// chosen variant gives.
func checkUnionSame(t *testing.T, data []byte) {
	t.Helper()
	fast, fastErr := DecodeAuthenticateUserRequest(data)
	hookMu.Lock()
	decodeHook = reflectDecode
	ref, refErr := DecodeAuthenticateUserRequest(data)
	decodeHook = nil
	hookMu.Unlock()
	if (fastErr == nil) != (refErr == nil) || !reflect.DeepEqual(fast, ref) {
		t.Fatalf("%q: generated %#v, %v; reference %#v, %v", data, fast, fastErr, ref, refErr)
	}
	for label, v := range map[string]jsonReadable{"PasswordCredentials": new(PasswordCredentials), "APIKeyCredentials": new(APIKeyCredentials)} {
		prefix := "AuthenticateUserRequest: " + label + ": "
		if fastErr != nil && !strings.HasPrefix(fastErr.Error(), prefix) || fastErr == nil && reflect.TypeOf(fast) != reflect.TypeOf(v) {
			continue
		}
		err := readJSONTop(data, v)
		if fastErr != nil {
			if err == nil || prefix+err.Error() != fastErr.Error() {
				t.Fatalf("%q: error %v; decoding the text: %v", data, fastErr, err)
			}
			var fde, de *DecodeError
			if !errors.As(fastErr, &fde) || !errors.As(err, &de) || fde.Type != de.Type || fde.Path != de.Path || fde.Offset != de.Offset ||
				fde.Msg != de.Msg || reflect.TypeOf(fde.Err) != reflect.TypeOf(de.Err) {
				t.Fatalf("%q: error %#v; decoding the text: %#v", data, fde, de)
			}
		} else if err != nil || !reflect.DeepEqual(v, fast) {
			t.Fatalf("%q: %#v; decoding the text: %#v, %v", data, fast, v, err)
		}
	}
}
