package kiiex

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
)

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
	reflect.TypeFor[OrderTradeEvent](),
	reflect.TypeFor[PasswordCredentials](),
	reflect.TypeFor[PendingDepositUpdate](),
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
	reflect.TypeFor[TradeEntry](),
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

// FuzzEncodeJSON builds values of every type by decoding fuzz input with
// encoding/json (optionally replacing their strings with raw fuzz bytes)
// and runs the differential check on them. It lives here, not in
// jsondiff_test.go, because the golden packages include specs whose
// decoders are not yet safe on every input.
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
