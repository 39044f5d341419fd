package kiiex

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The differential test of the JSON writer: every generated type that
// encodes itself is decoded from fuzz input with encoding/json, then its
// appendJSON output is compared byte for byte with what encoding/json
// writes for the same value without the generated encoders (jsonMirror),
// both as MarshalJSON writes it (HTML-escaped, as json.Marshal) and as the
// client sends it (request bodies are not HTML-escaped, except where a
// MarshalJSON used to escape them). A second mode replaces every string in
// the value with raw fuzz bytes, which JSON decoding could never produce
// (invalid UTF-8, control characters).

// jsonTypes are the types with an appendJSON method; TestJSONTypesComplete
// keeps the list in step with the generated files.
var jsonTypes = []reflect.Type{
	reflect.TypeFor[APIKeyCredentials](),
	reflect.TypeFor[AccountConfig](),
	reflect.TypeFor[AccountInfo](),
	reflect.TypeFor[AccountPosition](),
	reflect.TypeFor[AccountPositionEvent](),
	reflect.TypeFor[Activate2FARequest](),
	reflect.TypeFor[Activate2FAResponse](),
	reflect.TypeFor[ActivityReport](),
	reflect.TypeFor[AffiliateTag](),
	reflect.TypeFor[Authenticate2FARequest](),
	reflect.TypeFor[Authenticate2FAResponse](),
	reflect.TypeFor[AuthenticatedUser](),
	reflect.TypeFor[AuthenticationResult](),
	reflect.TypeFor[CancelAllOrdersRejectEvent](),
	reflect.TypeFor[CancelAllOrdersRequest](),
	reflect.TypeFor[CancelOrderRejectEvent](),
	reflect.TypeFor[CancelOrderRequest](),
	reflect.TypeFor[CancelQuoteRequest](),
	reflect.TypeFor[CancelReplaceOrderRejectEvent](),
	reflect.TypeFor[CancelReplaceOrderRequest](),
	reflect.TypeFor[CancelReplaceOrderResponse](),
	reflect.TypeFor[CancelUserReportRequest](),
	reflect.TypeFor[CancelWithdrawRequest](),
	reflect.TypeFor[CommentResult](),
	reflect.TypeFor[ConfigEntry](),
	reflect.TypeFor[CreateDepositTicketRequest](),
	reflect.TypeFor[CreateDepositTicketResponse](),
	reflect.TypeFor[CreateQuoteRequest](),
	reflect.TypeFor[CreateQuoteResponse](),
	reflect.TypeFor[CreateWithdrawTicketRequest](),
	reflect.TypeFor[DepositRecord](),
	reflect.TypeFor[DepositTemplate](),
	reflect.TypeFor[DepositTemplateResult](),
	reflect.TypeFor[DepositTicket](),
	reflect.TypeFor[GenerateTradeActivityReportRequest](),
	reflect.TypeFor[GenerateTransactionActivityReportRequest](),
	reflect.TypeFor[GenerateTreasuryActivityReportRequest](),
	reflect.TypeFor[GenericResponse](),
	reflect.TypeFor[GetAccountDepositTransactionsRequest](),
	reflect.TypeFor[GetAccountInfoRequest](),
	reflect.TypeFor[GetAccountPositionsRequest](),
	reflect.TypeFor[GetAccountTradesRequest](),
	reflect.TypeFor[GetAccountTransactionsRequest](),
	reflect.TypeFor[GetAccountWithdrawTransactionsRequest](),
	reflect.TypeFor[GetAllAccountConfigsRequest](),
	reflect.TypeFor[GetAllDepositRequestInfoTemplatesRequest](),
	reflect.TypeFor[GetAllOpenTradeReportsRequest](),
	reflect.TypeFor[GetAllUnredactedUserConfigsForUserRequest](),
	reflect.TypeFor[GetDepositInfoRequest](),
	reflect.TypeFor[GetDepositInfoResponse](),
	reflect.TypeFor[GetDepositRequestInfoTemplateRequest](),
	reflect.TypeFor[GetDepositTicketRequest](),
	reflect.TypeFor[GetDepositTicketsRequest](),
	reflect.TypeFor[GetDepositsRequest](),
	reflect.TypeFor[GetInstrumentRequest](),
	reflect.TypeFor[GetInstrumentsRequest](),
	reflect.TypeFor[GetL2Snapshot400Error](),
	reflect.TypeFor[GetL2SnapshotRequest](),
	reflect.TypeFor[GetLevel1Request](),
	reflect.TypeFor[GetLevel1Response](),
	reflect.TypeFor[GetLevel1SummaryMinRequest](),
	reflect.TypeFor[GetOMSFeeTiersRequest](),
	reflect.TypeFor[GetOMSWithdrawFeesRequest](),
	reflect.TypeFor[GetOpenOrdersRequest](),
	reflect.TypeFor[GetOpenQuotesRequest](),
	reflect.TypeFor[GetOpenQuotesResponse](),
	reflect.TypeFor[GetOpenTradeReportsRequest](),
	reflect.TypeFor[GetOrderFeeRequest](),
	reflect.TypeFor[GetOrderFeeResponse](),
	reflect.TypeFor[GetOrderHistoryByOrderIDRequest](),
	reflect.TypeFor[GetOrderHistoryRequest](),
	reflect.TypeFor[GetOrderStatusRequest](),
	reflect.TypeFor[GetOrdersHistoryRequest](),
	reflect.TypeFor[GetProductRequest](),
	reflect.TypeFor[GetProductsRequest](),
	reflect.TypeFor[GetTickerHistoryRequest](),
	reflect.TypeFor[GetTradesHistoryRequest](),
	reflect.TypeFor[GetTreasuryProductsForAccountRequest](),
	reflect.TypeFor[GetUnredactedUserConfigByKeyRequest](),
	reflect.TypeFor[GetUserAccountInfosRequest](),
	reflect.TypeFor[GetUserAccountsRequest](),
	reflect.TypeFor[GetUserAffiliateCountRequest](),
	reflect.TypeFor[GetUserAffiliateCountResponse](),
	reflect.TypeFor[GetUserAffiliateTagRequest](),
	reflect.TypeFor[GetUserConfigRequest](),
	reflect.TypeFor[GetUserDevicesRequest](),
	reflect.TypeFor[GetUserReportTicketsRequest](),
	reflect.TypeFor[GetUserReportWriterResultRecordsRequest](),
	reflect.TypeFor[GetWithdrawFeeRequest](),
	reflect.TypeFor[GetWithdrawFeeResponse](),
	reflect.TypeFor[GetWithdrawTemplateRequest](),
	reflect.TypeFor[GetWithdrawTemplateResponse](),
	reflect.TypeFor[GetWithdrawTemplateTypesRequest](),
	reflect.TypeFor[GetWithdrawTemplateTypesResponse](),
	reflect.TypeFor[GetWithdrawTicketRequest](),
	reflect.TypeFor[GetWithdrawTicketsRequest](),
	reflect.TypeFor[GetWithdrawsRequest](),
	reflect.TypeFor[Instrument](),
	reflect.TypeFor[Level1Data](),
	reflect.TypeFor[Level2Entry](),
	reflect.TypeFor[MarketStateUpdate](),
	reflect.TypeFor[ModifyOrderRequest](),
	reflect.TypeFor[NewOrderRejectEvent](),
	reflect.TypeFor[OMSFeeTier](),
	reflect.TypeFor[OMSOrderData](),
	reflect.TypeFor[OMSWithdrawFee](),
	reflect.TypeFor[OrderResult](),
	reflect.TypeFor[PasswordCredentials](),
	reflect.TypeFor[Product](),
	reflect.TypeFor[QuoteOrder](),
	reflect.TypeFor[QuoteResultPair](),
	reflect.TypeFor[RegisterNewDeviceRequest](),
	reflect.TypeFor[ReportResultRecord](),
	reflect.TypeFor[ScheduleTradeActivityReportRequest](),
	reflect.TypeFor[ScheduleTransactionActivityReportRequest](),
	reflect.TypeFor[ScheduleTreasuryActivityReportRequest](),
	reflect.TypeFor[SendOrderRequest](),
	reflect.TypeFor[SubmitBlockTradeRequest](),
	reflect.TypeFor[SubscribeAccountEventsRequest](),
	reflect.TypeFor[SubscribeAccountEventsResponse](),
	reflect.TypeFor[SubscribeBlockTradesRequest](),
	reflect.TypeFor[SubscribeLevel1Request](),
	reflect.TypeFor[SubscribeLevel2Request](),
	reflect.TypeFor[SubscribeTickerRequest](),
	reflect.TypeFor[SubscribeTradesRequest](),
	reflect.TypeFor[TickerEntry](),
	reflect.TypeFor[TicketAttachment](),
	reflect.TypeFor[TicketComment](),
	reflect.TypeFor[TradeInfo](),
	reflect.TypeFor[TransactionInfo](),
	reflect.TypeFor[UnsubscribeBlockTradesRequest](),
	reflect.TypeFor[UnsubscribeLevel1Request](),
	reflect.TypeFor[UnsubscribeLevel2Request](),
	reflect.TypeFor[UnsubscribeTickerRequest](),
	reflect.TypeFor[UnsubscribeTradesRequest](),
	reflect.TypeFor[UpdateQuoteRequest](),
	reflect.TypeFor[UserAccountInfo](),
	reflect.TypeFor[UserDevice](),
	reflect.TypeFor[Validate2FA401Error](),
	reflect.TypeFor[Validate2FARequest](),
	reflect.TypeFor[Validate2FAResponse](),
	reflect.TypeFor[WithdrawRecord](),
	reflect.TypeFor[WithdrawTicket](),
}

func TestJSONTypesComplete(t *testing.T) {
	files, err := filepath.Glob("*_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Name.Name == "appendJSON" && fn.Recv != nil {
				if id, ok := fn.Recv.List[0].Type.(*ast.Ident); ok {
					want = append(want, id.Name)
				}
			}
		}
	}
	var have []string
	for _, typ := range jsonTypes {
		have = append(have, typ.Name())
	}
	slices.Sort(want)
	slices.Sort(have)
	if !slices.Equal(want, have) {
		t.Errorf("jsonTypes is out of date:\nwant %v\nhave %v", want, have)
	}
}

func FuzzEncodeJSON(f *testing.F) {
	seeds := []string{
		`{}`, `null`, `[]`,
		`{"InstrumentId":1,"OMSId":1,"AccountId":7,"TimeInForce":1,"ClientOrderId":42,"Side":0,"quantity":0.125,"OrderType":2,"LimitPrice":64250.5,"PostOnly":false}`,
		`{"assetName":"<b>&amp;</b>\u2028\u2029\u0000\ud800","amount":1E+30,"depositInfo":{ "a" : [1, 2.50, "x<y"] },"comments":null,"createdTimestamp":"2025-08-26T20:35:22.893Z","lastUpdateTimeStamp":"2025-08-26T20:35:22"}`,
		`{"Status":"","errormsg":"x","OrderId":-0}`,
		`{"APIKey":"k","Signature":"s","UserId":"96","Nonce":"1","UserName":"a","Password":"p"}`,
		`[{"a":1},{"b":[null,true]},null]`,
		`{"k":{"x":1},"é":null,"":"v"}`,
	}
	for i := range jsonTypes {
		for j, s := range seeds {
			inject := ""
			if j%2 == 1 {
				inject = "a\x00<&>\u2028\xff\xc3"
			}
			f.Add(uint16(i), []byte(s), inject)
		}
	}
	f.Fuzz(func(t *testing.T, which uint16, data []byte, inject string) {
		typ := jsonTypes[int(which)%len(jsonTypes)]
		p := reflect.New(typ)
		if err := json.Unmarshal(data, p.Interface()); err != nil {
			return
		}
		if inject != "" {
			injectStrings(p.Elem(), inject, 0)
		}
		checkEncoding(t, p.Elem())
	})
}

// checkEncoding compares the writer with encoding/json for v, in both
// escaping modes.
func checkEncoding(t *testing.T, v reflect.Value) {
	t.Helper()
	a := v.Interface().(jsonAppender)
	m, merr := jsonMirror(v)
	for _, html := range []bool{true, false} {
		got, err := encodeJSON(a, html)
		var want []byte
		werr := merr
		if werr == nil {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(html)
			werr = enc.Encode(m)
			want = bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
		}
		if (err == nil) != (werr == nil) {
			t.Fatalf("%s html=%v: error %v, encoding/json %v", v.Type(), html, err, werr)
		}
		if err == nil && !bytes.Equal(got, want) {
			t.Fatalf("%s html=%v:\n got %s\nwant %s", v.Type(), html, got, want)
		}
	}
	// Through encoding/json, MarshalJSON's output passes its validation
	// and compaction unchanged.
	if merr == nil {
		got, err := json.Marshal(v.Interface())
		want, _ := json.Marshal(m)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%s json.Marshal: %v\n got %s\nwant %s", v.Type(), err, got, want)
		}
	}
}

// refMarshaler is implemented by structs with wire rules: their reference
// encoding is the one MarshalJSON had before the writer.
type refMarshaler interface {
	marshalJSONReflect() ([]byte, error)
}

var anyType = reflect.TypeFor[any]()

// jsonMirror returns a value that encoding/json encodes as v was encoded
// before the generated encoders existed, without calling any of them: each
// generated struct becomes an anonymous struct of its written members (the
// omitempty and omitzero rules applied here, as encoding/json applies them),
// slices and maps become []any and map[string]any, and the values whose
// MarshalJSON called json.Marshal (Nullable, union wrappers, structs with
// wire rules) become that call's output. The runtime's Decimal, DateTime
// and Date keep their own MarshalJSON.
func jsonMirror(v reflect.Value) (any, error) {
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return nil, nil
		}
		return jsonMirror(v.Elem())
	}
	x := v.Interface()
	switch x.(type) {
	case Decimal, DateTime, Date, json.RawMessage:
		return x, nil
	}
	if r, ok := x.(refMarshaler); ok {
		b, err := r.marshalJSONReflect()
		return json.RawMessage(b), err
	}
	if n, ok := x.(interface{ IsSet() bool }); ok && strings.HasPrefix(v.Type().Name(), "Nullable[") {
		if !n.IsSet() {
			return nil, nil
		}
		return marshalMirror(v.MethodByName("Get").Call(nil)[0])
	}
	t := v.Type()
	switch v.Kind() {
	case reflect.Struct:
		if _, ok := x.(jsonAppender); ok && t.NumField() == 1 && t.Field(0).Name == "Value" && t.Field(0).Tag == "" {
			return marshalMirror(v.Field(0)) // a union wrapper
		}
		var fields []reflect.StructField
		var vals []any
		for i := range t.NumField() {
			sf := t.Field(i)
			tag, ok := sf.Tag.Lookup("json")
			if !ok || tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			fv := v.Field(i)
			if hasOpt(opts, "omitempty") && isEmptyJSON(fv) || hasOpt(opts, "omitzero") && isZeroJSON(fv.Interface()) {
				continue
			}
			m, err := jsonMirror(fv)
			if err != nil {
				return nil, err
			}
			fields = append(fields, reflect.StructField{Name: "F" + strconv.Itoa(i), Type: anyType, Tag: reflect.StructTag("json:" + strconv.Quote(name))})
			vals = append(vals, m)
		}
		s := reflect.New(reflect.StructOf(fields)).Elem()
		for i, m := range vals {
			if m != nil {
				s.Field(i).Set(reflect.ValueOf(m))
			}
		}
		return s.Interface(), nil
	case reflect.Slice:
		if v.IsNil() {
			return nil, nil
		}
		if t.Elem().Kind() == reflect.Uint8 {
			return x, nil
		}
		out := make([]any, v.Len())
		for i := range out {
			m, err := jsonMirror(v.Index(i))
			if err != nil {
				return nil, err
			}
			out[i] = m
		}
		return out, nil
	case reflect.Map:
		if v.IsNil() {
			return nil, nil
		}
		out := make(map[string]any, v.Len())
		for it := v.MapRange(); it.Next(); {
			m, err := jsonMirror(it.Value())
			if err != nil {
				return nil, err
			}
			out[it.Key().String()] = m
		}
		return out, nil
	}
	return x, nil
}

// marshalMirror is json.Marshal of v's mirror, as the MarshalJSON methods
// that called json.Marshal wrote it.
func marshalMirror(v reflect.Value) (any, error) {
	m, err := jsonMirror(v)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(m)
	return json.RawMessage(b), err
}

func hasOpt(opts, opt string) bool {
	return slices.Contains(strings.Split(opts, ","), opt)
}

// isEmptyJSON is encoding/json's omitempty test.
func isEmptyJSON(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

// injectStrings replaces every non-empty string v holds (fields, elements,
// map values, set Nullable strings) with s.
func injectStrings(v reflect.Value, s string, depth int) {
	if depth > 32 {
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			injectStrings(v.Elem(), s, depth+1)
		}
	case reflect.Struct:
		if n, ok := v.Interface().(interface{ IsSet() bool }); ok && strings.HasPrefix(v.Type().Name(), "Nullable[") {
			if n.IsSet() && v.CanAddr() {
				x := v.MethodByName("Get").Call(nil)[0]
				c := reflect.New(x.Type()).Elem()
				c.Set(x)
				injectStrings(c, s, depth+1)
				v.Addr().MethodByName("Set").Call([]reflect.Value{c})
			}
			return
		}
		for i := range v.NumField() {
			if v.Field(i).CanSet() {
				injectStrings(v.Field(i), s, depth+1)
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			injectStrings(v.Index(i), s, depth+1)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			c := reflect.New(it.Value().Type()).Elem()
			c.Set(it.Value())
			injectStrings(c, s, depth+1)
			v.SetMapIndex(it.Key(), c)
		}
	case reflect.String:
		if v.CanSet() && v.Len() > 0 {
			v.SetString(s)
		}
	}
}
