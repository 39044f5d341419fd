package clients

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/go-faster/jx"
	"github.com/ogen-go/ogen/ogenerrors"

	"github.com/kiiexgen/kiiexgen/bench/clients/kx"
	"github.com/kiiexgen/kiiexgen/bench/clients/oapi"
	"github.com/kiiexgen/kiiexgen/bench/clients/ogenc"
)

// Each benchmark has one sub-benchmark per generator, gen=kiiexgen,
// gen=oapi-codegen and gen=ogen, so that `benchstat -col /gen` puts them
// side by side; bt report computes its ratios from the same names.
// Every sub-benchmark does what that generator's client does with the
// bytes (see the comments), nothing more.

const server = "https://api.kiiex.test/AP"

// ---------------------------------------------------------------- decode tickets

// kiiexgen's client: the generated decoder reads the []DepositTicket in one
// pass (decodeResponse; UnmarshalArray is the same call, exported).
func decodeTicketsKX(data []byte) ([]kx.DepositTicket, error) {
	return kx.UnmarshalArray[kx.DepositTicket](data)
}

// kiiexgen's types under encoding/json: json.Unmarshal into
// []DepositTicket, which calls the generated UnmarshalJSON per element.
func decodeTicketsKXStd(data []byte) ([]kx.DepositTicket, error) {
	var out []kx.DepositTicket
	err := json.Unmarshal(data, &out)
	return out, err
}

// oapi-codegen's ParseGetDepositTicketsResponse: json.Unmarshal into
// []DepositTicket.
func decodeTicketsOAPI(data []byte) ([]oapi.DepositTicket, error) {
	var out []oapi.DepositTicket
	err := json.Unmarshal(data, &out)
	return out, err
}

// ogen's decodeGetDepositTicketsResponse: jx decode, trailing-data check,
// Validate.
func decodeTicketsOgen(data []byte) (ogenc.GetDepositTicketsOKApplicationJSON, error) {
	var out ogenc.GetDepositTicketsOKApplicationJSON
	d := jx.DecodeBytes(data)
	if err := out.Decode(d); err != nil {
		return nil, err
	}
	if err := d.Skip(); err != io.EOF {
		return nil, errors.New("unexpected trailing data")
	}
	if err := out.Validate(); err != nil {
		return nil, err
	}
	return out, nil
}

func BenchmarkDecodeTickets(b *testing.B) {
	b.Run("gen=kiiexgen", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := decodeTicketsKX(ticketsPayload); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("gen=kiiexgen-encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := decodeTicketsKXStd(ticketsPayload); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("gen=oapi-codegen", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := decodeTicketsOAPI(ticketsPayload); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("gen=ogen", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := decodeTicketsOgen(ticketsPayload); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// ---------------------------------------------------------------- encode SendOrder

func sendOrderKX() *kx.SendOrderRequest {
	return &kx.SendOrderRequest{
		InstrumentID: 1, OMSID: 1, AccountID: 7, TimeInForce: 1,
		ClientOrderID: kx.Ptr(int64(42)), Side: 0, Quantity: kx.MustDecimal("0.125"), OrderType: 2,
		LimitPrice: kx.Ptr(kx.MustDecimal("64250.5")), PostOnly: kx.Ptr(false),
	}
}

func sendOrderOAPI() oapi.SendOrderJSONRequestBody {
	return oapi.SendOrderJSONRequestBody{
		InstrumentId: 1, OMSId: 1, AccountId: 7, TimeInForce: 1,
		ClientOrderId: ptr(int64(42)), Side: 0, Quantity: 0.125, OrderType: 2,
		LimitPrice: ptr(float32(64250.5)), PostOnly: ptr(false),
	}
}

func sendOrderOgen() *ogenc.SendOrderReq {
	return &ogenc.SendOrderReq{
		InstrumentId: 1, OMSId: 1, AccountId: 7, TimeInForce: 1,
		ClientOrderId: ogenc.NewOptInt64(42), Side: 0, Quantity: 0.125, OrderType: 2,
		LimitPrice: ogenc.NewOptFloat64(64250.5), PostOnly: ogenc.NewOptBool(false),
	}
}

func ptr[T any](v T) *T { return &v }

// kiiexgen's request.setJSON: the body's generated appendJSON into a fresh
// buffer, without reflection. MarshalJSON is the same encoder (with HTML
// escaping, which this order does not need).
func encodeKX(v *kx.SendOrderRequest) ([]byte, error) {
	return v.MarshalJSON()
}

// ogen's encodeSendOrderRequest: a new jx.Encoder per request.
func encodeOgen(req *ogenc.SendOrderReq) []byte {
	e := new(jx.Encoder)
	req.Encode(e)
	return e.Bytes()
}

func BenchmarkEncodeSendOrder(b *testing.B) {
	b.Run("gen=kiiexgen", func(b *testing.B) {
		req := sendOrderKX()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := encodeKX(req); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("gen=oapi-codegen", func(b *testing.B) {
		body := sendOrderOAPI()
		b.ReportAllocs()
		for b.Loop() {
			// NewSendOrderRequest: json.Marshal(body).
			if _, err := json.Marshal(body); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("gen=ogen", func(b *testing.B) {
		req := sendOrderOgen()
		b.ReportAllocs()
		for b.Loop() {
			_ = encodeOgen(req)
		}
	})
}

// ---------------------------------------------------------------- decode the credential union

// oapi-codegen's union keeps the raw JSON and cannot tell the variants
// apart (no discriminator): the caller must already know which As* to
// call. The benchmark calls the right one, the best case for it.
func BenchmarkDecodeAuthAPIKey(b *testing.B) { benchAuth(b, authAPIKeyPayload, true) }

func BenchmarkDecodeAuthPassword(b *testing.B) { benchAuth(b, authPasswordPayload, false) }

func benchAuth(b *testing.B, payload []byte, apiKey bool) {
	b.Run("gen=kiiexgen", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := kx.DecodeAuthenticateUserRequest(payload); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("gen=oapi-codegen", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var u oapi.AuthenticateUserRequest
			if err := json.Unmarshal(payload, &u); err != nil {
				b.Fatal(err)
			}
			var err error
			if apiKey {
				_, err = u.AsAPIKeyCredentials()
			} else {
				_, err = u.AsPasswordCredentials()
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("gen=ogen", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var u ogenc.AuthenticateUserRequest
			if err := u.Decode(jx.DecodeBytes(payload)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// ---------------------------------------------------------------- whole client calls

// fakeServer answers in memory: no sockets, so the numbers are the
// clients' own work (request building, auth header, net/http client
// plumbing, reading and decoding the body).
type fakeServer struct{}

func (fakeServer) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		io.Copy(io.Discard, req.Body)
		req.Body.Close()
	}
	if req.Header.Get("Authorization") != "Bearer tok" {
		return nil, errors.New("fake server: no bearer token")
	}
	var body []byte
	switch req.URL.Path {
	case "/AP/GetDepositTickets":
		body = ticketsPayload
	case "/AP/SendOrder":
		body = sendOrderResponse
	default:
		return nil, errors.New("fake server: unexpected path " + req.URL.Path)
	}
	return &http.Response{
		StatusCode:    200,
		Status:        "200 OK",
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        http.Header{"Content-Type": {"application/json; charset=utf-8"}},
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       req,
	}, nil
}

var httpClient = &http.Client{Transport: fakeServer{}}

func newKX(tb testing.TB) *kx.Client {
	c, err := kx.NewClient(server, kx.WithHTTPClient(httpClient), kx.WithAuth("bearerAuth", kx.BearerToken("tok")))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func newOAPI(tb testing.TB) *oapi.ClientWithResponses {
	c, err := oapi.NewClientWithResponses(server, oapi.WithHTTPClient(httpClient),
		oapi.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
			req.Header.Set("Authorization", "Bearer tok")
			return nil
		}))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

type ogenSecurity struct{}

func (ogenSecurity) ApToken(context.Context, ogenc.OperationName) (ogenc.ApToken, error) {
	return ogenc.ApToken{}, ogenerrors.ErrSkipClientSecurity
}

func (ogenSecurity) BearerAuth(context.Context, ogenc.OperationName) (ogenc.BearerAuth, error) {
	return ogenc.BearerAuth{Token: "tok"}, nil
}

func newOgen(tb testing.TB) *ogenc.Client {
	c, err := ogenc.NewClient(server, ogenSecurity{}, ogenc.WithClient(httpClient))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func callTicketsKX(c *kx.Client) (int, error) {
	out, err := c.GetDepositTickets(context.Background(), &kx.GetDepositTicketsRequest{OMSID: 1, OperatorID: 1, AccountID: 7})
	return len(out), err
}

func callTicketsOAPI(c *oapi.ClientWithResponses) (int, error) {
	res, err := c.GetDepositTicketsWithResponse(context.Background(), oapi.GetDepositTicketsJSONRequestBody{OMSId: 1, OperatorId: 1, AccountId: 7})
	if err != nil {
		return 0, err
	}
	if res.JSON200 == nil {
		return 0, errors.New("oapi-codegen: no JSON200")
	}
	return len(*res.JSON200), nil
}

func callTicketsOgen(c *ogenc.Client) (int, error) {
	res, err := c.GetDepositTickets(context.Background(), &ogenc.GetDepositTicketsReq{OMSId: 1, OperatorId: 1, AccountId: 7})
	if err != nil {
		return 0, err
	}
	ok, isOK := res.(*ogenc.GetDepositTicketsOKApplicationJSON)
	if !isOK {
		return 0, errors.New("ogen: unexpected response type")
	}
	return len(*ok), nil
}

func BenchmarkClientGetDepositTickets(b *testing.B) {
	b.Run("gen=kiiexgen", func(b *testing.B) {
		c := newKX(b)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := callTicketsKX(c); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("gen=oapi-codegen", func(b *testing.B) {
		c := newOAPI(b)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := callTicketsOAPI(c); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("gen=ogen", func(b *testing.B) {
		c := newOgen(b)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := callTicketsOgen(c); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkClientSendOrder(b *testing.B) {
	b.Run("gen=kiiexgen", func(b *testing.B) {
		c := newKX(b)
		req := sendOrderKX()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.SendOrder(context.Background(), req); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("gen=oapi-codegen", func(b *testing.B) {
		c := newOAPI(b)
		body := sendOrderOAPI()
		b.ReportAllocs()
		for b.Loop() {
			res, err := c.SendOrderWithResponse(context.Background(), body)
			if err != nil || res.JSON200 == nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("gen=ogen", func(b *testing.B) {
		c := newOgen(b)
		req := sendOrderOgen()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.SendOrder(context.Background(), req); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// ---------------------------------------------------------------- the generators agree

// ticket is what the three decoders must agree on.
type ticket struct {
	Account, Ticket, Status int64
	AssetName               string // "<null>" when null
	Amount                  float64
	Created, Updated        time.Time
	DepositInfoKeys         int // -1 when null
	CommentsNull            bool
}

func TestTicketsAgree(t *testing.T) {
	a, err := decodeTicketsKX(ticketsPayload)
	if err != nil {
		t.Fatal(err)
	}
	if std, err := decodeTicketsKXStd(ticketsPayload); err != nil || !reflect.DeepEqual(a, std) {
		t.Fatalf("kiiexgen: the generated decoder and json.Unmarshal disagree (%v)", err)
	}
	o, err := decodeTicketsOAPI(ticketsPayload)
	if err != nil {
		t.Fatal(err)
	}
	g, err := decodeTicketsOgen(ticketsPayload)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != NTickets || len(o) != NTickets || len(g) != NTickets {
		t.Fatalf("decoded %d/%d/%d tickets, want %d", len(a), len(o), len(g), NTickets)
	}
	var floatLoss int
	for i := range NTickets {
		ka, ko, kg := normKX(a[i]), normOAPI(o[i]), normOgen(g[i])
		if ka.Amount != kg.Amount {
			t.Errorf("ticket %d: amount %v (kiiexgen) vs %v (ogen)", i, ka.Amount, kg.Amount)
		}
		if float64(float32(ka.Amount)) != ko.Amount {
			t.Errorf("ticket %d: amount %v (kiiexgen as float32) vs %v (oapi-codegen)", i, float32(ka.Amount), ko.Amount)
		}
		if ko.Amount != ka.Amount {
			floatLoss++
		}
		ko.Amount, kg.Amount = ka.Amount, ka.Amount
		if !reflect.DeepEqual(ka, ko) || !reflect.DeepEqual(ka, kg) {
			t.Fatalf("ticket %d differs:\nkiiexgen     %+v\noapi-codegen %+v\nogen         %+v", i, ka, ko, kg)
		}
	}
	t.Logf("%d tickets agree; oapi-codegen's float32 amounts lost precision in %d of them", NTickets, floatLoss)
}

func normKX(v kx.DepositTicket) ticket {
	n := ticket{Account: *v.AccountID, Ticket: *v.TicketNumber, Status: int64(*v.Status), AssetName: "<null>",
		Created: v.CreatedTimestamp.Time, Updated: v.LastUpdateTimeStamp.Time, DepositInfoKeys: -1}
	if s, ok := v.AssetName.Get(); ok {
		n.AssetName = s
	}
	n.Amount, _ = strconv.ParseFloat(v.Amount.String(), 64)
	if raw, ok := v.DepositInfo.Get(); ok {
		var m map[string]json.RawMessage
		_ = json.Unmarshal(raw, &m)
		n.DepositInfoKeys = len(m)
	}
	n.CommentsNull = v.Comments.IsNull()
	return n
}

func normOAPI(v oapi.DepositTicket) ticket {
	// oapi-codegen gives nullable fields a plain pointer: null and absent
	// both become nil.
	n := ticket{Account: *v.AccountId, Ticket: *v.TicketNumber, Status: int64(*v.Status), AssetName: "<null>",
		Amount: float64(*v.Amount), Created: *v.CreatedTimestamp, Updated: *v.LastUpdateTimeStamp, DepositInfoKeys: -1}
	if v.AssetName != nil {
		n.AssetName = *v.AssetName
	}
	if v.DepositInfo != nil {
		n.DepositInfoKeys = len(*v.DepositInfo)
	}
	n.CommentsNull = v.Comments == nil
	return n
}

func normOgen(v ogenc.DepositTicket) ticket {
	n := ticket{Account: v.AccountId.Value, Ticket: v.TicketNumber.Value, Status: int64(v.Status.Value), AssetName: "<null>",
		Amount: v.Amount.Value, Created: v.CreatedTimestamp.Value, Updated: v.LastUpdateTimeStamp.Value, DepositInfoKeys: -1}
	if !v.AssetName.Null {
		n.AssetName = v.AssetName.Value
	}
	if !v.DepositInfo.Null {
		n.DepositInfoKeys = len(v.DepositInfo.Value)
	}
	n.CommentsNull = v.Comments.Null
	return n
}

func TestSendOrderAgrees(t *testing.T) {
	a, err := encodeKX(sendOrderKX())
	if err != nil {
		t.Fatal(err)
	}
	o, err := json.Marshal(sendOrderOAPI())
	if err != nil {
		t.Fatal(err)
	}
	g := encodeOgen(sendOrderOgen())
	ma, mo, mg := numbersOf(t, a), numbersOf(t, o), numbersOf(t, g)
	if !reflect.DeepEqual(ma, mo) || !reflect.DeepEqual(ma, mg) {
		t.Fatalf("SendOrder bodies differ:\nkiiexgen     %s\noapi-codegen %s\nogen         %s", a, o, g)
	}
}

// numbersOf decodes a JSON object with numbers as float64 (so 0.125 and
// 1.25e-1 compare equal).
func numbersOf(t *testing.T, b []byte) map[string]any {
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	for k, v := range m {
		if f, ok := v.(float64); ok && math.IsNaN(f) {
			t.Fatalf("%s: NaN", k)
		}
	}
	return m
}

func TestAuthAgrees(t *testing.T) {
	for _, tc := range []struct {
		name    string
		payload []byte
		apiKey  bool
	}{{"apikey", authAPIKeyPayload, true}, {"password", authPasswordPayload, false}} {
		u, err := kx.DecodeAuthenticateUserRequest(tc.payload)
		if err != nil {
			t.Fatalf("%s: kiiexgen: %v", tc.name, err)
		}
		if _, isKey := u.(*kx.APIKeyCredentials); isKey != tc.apiKey {
			t.Fatalf("%s: kiiexgen picked %T", tc.name, u)
		}
		var g ogenc.AuthenticateUserRequest
		if err := g.Decode(jx.DecodeBytes(tc.payload)); err != nil {
			t.Fatalf("%s: ogen: %v", tc.name, err)
		}
		if g.IsAPIKeyCredentials() != tc.apiKey {
			t.Fatalf("%s: ogen picked %s", tc.name, g.Type)
		}
		var o oapi.AuthenticateUserRequest
		if err := json.Unmarshal(tc.payload, &o); err != nil {
			t.Fatalf("%s: oapi-codegen: %v", tc.name, err)
		}
		// What oapi-codegen cannot do: the wrong variant decodes without
		// an error too (its fields just stay empty).
		if _, err := o.AsPasswordCredentials(); err != nil {
			t.Fatalf("%s: oapi-codegen AsPasswordCredentials: %v", tc.name, err)
		}
		if _, err := o.AsAPIKeyCredentials(); err != nil {
			t.Fatalf("%s: oapi-codegen AsAPIKeyCredentials: %v", tc.name, err)
		}
	}
}

func TestClientsAgree(t *testing.T) {
	na, err := callTicketsKX(newKX(t))
	if err != nil {
		t.Fatal("kiiexgen:", err)
	}
	no, err := callTicketsOAPI(newOAPI(t))
	if err != nil {
		t.Fatal("oapi-codegen:", err)
	}
	ng, err := callTicketsOgen(newOgen(t))
	if err != nil {
		t.Fatal("ogen:", err)
	}
	if na != NTickets || no != NTickets || ng != NTickets {
		t.Fatalf("client calls returned %d/%d/%d tickets", na, no, ng)
	}
	if _, err := newKX(t).SendOrder(context.Background(), sendOrderKX()); err != nil {
		t.Fatal("kiiexgen SendOrder:", err)
	}
	if _, err := newOgen(t).SendOrder(context.Background(), sendOrderOgen()); err != nil {
		t.Fatal("ogen SendOrder:", err)
	}
}
