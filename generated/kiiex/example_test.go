package kiiex_test

import (
	"context"
	"fmt"
	"log"

	"github.com/kiiexgen/kiiexgen/generated/kiiex"
)

// Log in with an API key and read the account's balances. The API key,
// secret, user id and nonce are the ones the KIIEX web UI shows when the
// key is created; the client signs the login (HMAC-SHA256) and sends the
// session token on every later call.
func ExampleClient_LoginWithAPIKey() {
	server := startExampleServer() // stands in for kiiex.ServerStaging
	defer server.Close()

	ctx := context.Background()
	client, err := kiiex.NewClient(server.URL)
	if err != nil {
		log.Fatal(err)
	}
	session, err := client.LoginWithAPIKey(ctx, kiiex.APIKeyLogin{
		APIKey:    "your-api-key",
		APISecret: "your-api-secret",
		UserID:    "96",
		Nonce:     "2247733562",
	})
	if err != nil {
		log.Fatal(err)
	}

	positions, err := client.GetAccountPositions(ctx, &kiiex.GetAccountPositionsRequest{
		OMSID:     session.OMSID,
		AccountID: session.AccountID,
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range positions {
		fmt.Println(p.ProductSymbol, p.Amount)
	}
	// Output:
	// USDT 35000.35
	// COPM 123456789.123456789
}
