package clients

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"
)

// NTickets is the size of the GetDepositTickets response.
const NTickets = 1000

// ticketsPayload is a GetDepositTickets response body: NTickets
// DepositTicket objects as KIIEX returns them (every property of
// spec/kiiex.yaml's DepositTicket present, nullable ones null at realistic
// rates, date-times with milliseconds and Z, decimal amounts, small
// free-form depositInfo/comments/attachments objects). Deterministic.
var ticketsPayload = buildTickets(NTickets)

// Each field in spec order; nullable ones are null with the given odds.
func buildTickets(n int) []byte {
	r := rand.New(rand.NewPCG(6, 1000))
	base := time.Date(2025, 8, 26, 20, 35, 22, 893e6, time.UTC)
	users := []string{"maria.gomez@example.com", "ops-desk", "j.okafor@example.org", "treasury@kiiex.io"}
	assets := []string{"USDT", "BTC", "ETH", "COPM", "KII"}
	var b bytes.Buffer
	b.WriteByte('[')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		nullOr := func(p float64, v string) string {
			if r.Float64() < p {
				return "null"
			}
			return v
		}
		q := func(s string) string { return strconv.Quote(s) }
		created := base.Add(-time.Duration(i) * 37 * time.Minute).Add(time.Duration(r.IntN(1000)) * time.Millisecond)
		updated := created.Add(time.Duration(r.IntN(86400)) * time.Second).Add(time.Duration(r.IntN(1000)) * time.Millisecond)
		amount := fmt.Sprintf("%d.%0*d", r.IntN(50000), 1+r.IntN(8), r.IntN(1e6))
		fee := fmt.Sprintf("0.%04d", r.IntN(10000))
		depositInfo := nullOr(0.3, fmt.Sprintf(`{"Address":"0x%040x","TXID":"0x%064x","Confirmations":%d,"Network":"%s"}`,
			r.Uint64(), r.Uint64(), r.IntN(64), assets[r.IntN(len(assets))]))
		comments := nullOr(0.8, fmt.Sprintf(`{"0":{"commentId":%d,"enteredBy":%d,"commentText":"checked by compliance"}}`, r.IntN(1e6), r.IntN(500)))
		attachments := nullOr(0.95, `{"0":{"attachmentId":1,"fileName":"receipt.pdf"}}`)
		fmt.Fprintf(&b, `{"assetManagerId":1,"accountId":%d,"assetId":%d,"assetName":%s,"amount":%s,"omsId":1,`+
			`"requestCode":%s,"requestIP":%s,"requestUser":%d,"requestUserName":%s,"operatorId":1,"Status":%d,`+
			`"feeAmt":%s,"updatedByUser":%d,"updatedByUserName":%s,"ticketNumber":%d,"depositInfo":%s,`+
			`"createdTimestamp":%s,"lastUpdateTimeStamp":%s,"comments":%s,"attachments":%s}`,
			7+r.IntN(300), 1+r.IntN(5), nullOr(0.1, q(assets[r.IntN(len(assets))])), amount,
			nullOr(0.2, q(fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", r.Uint32(), r.IntN(1<<16), r.IntN(1<<16), r.IntN(1<<16), r.Uint64()&(1<<48-1)))),
			nullOr(0.3, q(fmt.Sprintf("10.%d.%d.%d", r.IntN(256), r.IntN(256), r.IntN(256)))),
			r.IntN(500), nullOr(0.25, q(users[r.IntN(len(users))])), r.IntN(15),
			fee, r.IntN(500), nullOr(0.5, q(users[r.IntN(len(users))])), 100000+i, depositInfo,
			q(created.Format("2006-01-02T15:04:05.000Z07:00")), q(updated.Format("2006-01-02T15:04:05.000Z07:00")),
			comments, attachments)
	}
	b.WriteByte(']')
	if !json.Valid(b.Bytes()) {
		panic("tickets payload is not JSON")
	}
	return b.Bytes()
}

// The AuthenticateUser request bodies: the oneOf of PasswordCredentials
// and APIKeyCredentials, without a discriminator.
var (
	authAPIKeyPayload   = []byte(`{"APIKey":"28c68ac3fcfafc3d4e8d653fe57e5baf","Signature":"29c15c42e4fabcc9e229421e148e647903927c503ab4578ada55bb13a63a9636","UserId":"96","Nonce":"2247733562"}`)
	authPasswordPayload = []byte(`{"UserName":"maria.gomez@example.com","Password":"correct horse battery staple"}`)
)

// sendOrderResponse is the canned body of the fake server's SendOrder.
var sendOrderResponse = []byte(`{"status":"Accepted","errormsg":"","OrderId":6713}`)
