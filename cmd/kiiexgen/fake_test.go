package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// shopCode is a downstream module's own code: what its tests exercise
// against the generated fake instead of the exchange.
const shopCode = `package shop

import (
	"context"
	"fmt"

	"example.com/shop/kiiex"
)

// Buy logs in, buys qty on instrument 12 at market and returns the state
// the order ended in.
func Buy(ctx context.Context, c *kiiex.Client, login kiiex.APIKeyLogin, qty string) (kiiex.OrderStateName, error) {
	sess, err := c.LoginWithAPIKey(ctx, login)
	if err != nil {
		return "", err
	}
	q, err := kiiex.NewDecimal(qty)
	if err != nil {
		return "", err
	}
	res, err := c.SendOrder(ctx, &kiiex.SendOrderRequest{
		InstrumentID: 12, OMSID: sess.OMSID, AccountID: sess.AccountID,
		TimeInForce: kiiex.TimeInForceIOC, Side: kiiex.OrderSideBuy, Quantity: q, OrderType: kiiex.OrderTypeMarket,
	})
	if err != nil {
		return "", err
	}
	st, err := c.GetOrderStatus(ctx, &kiiex.GetOrderStatusRequest{OMSID: sess.OMSID, AccountID: sess.AccountID, OrderID: res.OrderID})
	if err != nil {
		return "", err
	}
	if len(st) != 1 || st[0].OrderState == nil {
		return "", fmt.Errorf("order %d: no state", res.OrderID)
	}
	return *st[0].OrderState, nil
}
`

const shopTest = `package shop_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"example.com/shop"
	"example.com/shop/kiiex"
	"example.com/shop/kiiex/kiiexfake"
)

func TestBuy(t *testing.T) {
	srv := kiiexfake.NewServer(
		kiiexfake.WithAPIKey("96", "key-1", "secret-1"),
		kiiexfake.WithIdentity(kiiexfake.Identity{UserID: 96, AccountID: 185, OMSID: 1}),
	)
	defer srv.Close()
	var sent *kiiex.SendOrderRequest
	srv.HandleSendOrder(func(ctx context.Context, req *kiiex.SendOrderRequest) (*kiiex.OrderResult, error) {
		sent = req
		if kiiexfake.SessionToken(ctx) == "" {
			t.Error("handler ran without a session")
		}
		return &kiiex.OrderResult{Status: kiiex.OrderResultStatusAccepted, OrderID: 6544}, nil
	})
	srv.HandleGetOrderStatus(func(ctx context.Context, req *kiiex.GetOrderStatusRequest) ([]kiiex.OMSOrderData, error) {
		if req.OrderID != 6544 || req.AccountID != 185 {
			return nil, &kiiexfake.Error{Code: 104, Message: "Resource Not Found"}
		}
		return []kiiex.OMSOrderData{{OrderID: kiiex.Ptr[int64](6544), OrderState: kiiex.Ptr(kiiex.OrderStateNameFullyExecuted)}}, nil
	})

	c, err := kiiex.NewClient(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	login := kiiex.APIKeyLogin{APIKey: "key-1", APISecret: "secret-1", UserID: "96"}
	state, err := shop.Buy(t.Context(), c, login, "123456789.123456789")
	if err != nil || state != kiiex.OrderStateNameFullyExecuted {
		t.Fatalf("Buy = %q, %v", state, err)
	}
	if sent == nil || sent.Quantity.String() != "123456789.123456789" || sent.AccountID != 185 {
		t.Errorf("SendOrder as the handler saw it: %+v", sent)
	}

	// A wrong secret: the fake checks the signature.
	if _, err := shop.Buy(t.Context(), c, kiiex.APIKeyLogin{APIKey: "key-1", APISecret: "wrong", UserID: "96"}, "1"); !errors.Is(err, kiiex.ErrNotAuthorized) {
		t.Errorf("wrong secret: %v", err)
	}

	// A request missing a required member gets the APEX envelope error.
	dropQuantity := func(_ context.Context, r *http.Request) error {
		body := ` + "`" + `{"InstrumentId":12,"OMSId":1,"AccountId":185,"TimeInForce":3,"Side":0,"OrderType":1}` + "`" + `
		r.Body, r.ContentLength, r.GetBody = io.NopCloser(strings.NewReader(body)), int64(len(body)), nil
		return nil
	}
	if _, err := c.LoginWithAPIKey(t.Context(), login); err != nil {
		t.Fatal(err)
	}
	_, err = c.SendOrder(t.Context(), &kiiex.SendOrderRequest{}, dropQuantity)
	var ae *kiiex.APIError
	if !errors.As(err, &ae) || !errors.Is(err, kiiex.ErrInvalidRequest) || ae.Code != 100 || ae.StatusCode != 200 || !strings.Contains(ae.Detail, "quantity: required field missing") {
		t.Errorf("missing required member: %v", err)
	}

	// An operation the test did not register.
	_, err = c.GetAccountPositions(t.Context(), &kiiex.GetAccountPositionsRequest{OMSID: 1, AccountID: 185})
	if !errors.As(err, &ae) || ae.StatusCode != 501 || !strings.Contains(ae.Message, "not implemented: GetAccountPositions") {
		t.Errorf("unregistered operation: %v", err)
	}
}
`

// TestDownstreamFake is issue 14's acceptance test: a module outside this
// repository generates the KIIEX client with -fake (the import path taken
// from its go.mod), and its own test runs LoginWithAPIKey, SendOrder and
// GetOrderStatus through its code against the fake with two typed
// handlers, and gets the APEX envelope for a request missing a required
// member. The generated code is standard library only, so the module
// needs no requirement and builds offline. -check then covers the fake's
// files too.
func TestDownstreamFake(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module")
	}
	dir := t.TempDir()
	v := strings.TrimPrefix(runtime.Version(), "go")
	if parts := strings.SplitN(v, ".", 3); len(parts) >= 2 {
		v = parts[0] + "." + parts[1]
	}
	mustWriteFile(t, filepath.Join(dir, "go.mod"), "module example.com/shop\n\ngo "+v+"\n")
	mustWriteFile(t, filepath.Join(dir, "shop.go"), shopCode)
	mustWriteFile(t, filepath.Join(dir, "shop_test.go"), shopTest)
	if _, stderr, code := kiiexgen(t, dir, "-out", "kiiex", "-fake"); code != 0 {
		t.Fatalf("kiiexgen -fake: exit %d\n%s", code, stderr)
	}
	gocmd := func(args ...string) {
		t.Helper()
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local", "GOPROXY=off", "GOWORK=off", "GOSUMDB=off")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	gocmd("vet", "./...")
	gocmd("test", "./...")

	if _, stderr, code := kiiexgen(t, dir, "-out", "kiiex", "-fake", "-check"); code != 0 {
		t.Fatalf("-check right after generating: exit %d\n%s", code, stderr)
	}
	// -check sees the fake's files: an edit and a stale file of ours.
	fakeDir := filepath.Join(dir, "kiiex", "kiiexfake")
	server := filepath.Join(fakeDir, "server_gen.go")
	data, err := os.ReadFile(server)
	if err != nil {
		t.Fatal(err)
	}
	mustWriteFile(t, server, string(data)+"\n// edited\n")
	mustWriteFile(t, filepath.Join(fakeDir, "old_gen.go"), "// Code generated by kiiexgen. DO NOT EDIT.\n\npackage kiiexfake\n")
	_, stderr, code := kiiexgen(t, dir, "-out", "kiiex", "-fake", "-check")
	if code != 1 || !strings.Contains(stderr, "modified: kiiexfake/server_gen.go") || !strings.Contains(stderr, "stale: kiiexfake/old_gen.go") {
		t.Errorf("-check after editing the fake: exit %d\n%s", code, stderr)
	}
	// A hand-written file in the fake's directory is never overwritten.
	mustWriteFile(t, server, "package kiiexfake\n")
	if _, stderr, code := kiiexgen(t, dir, "-out", "kiiex", "-fake"); code != 1 || !strings.Contains(stderr, "was not written by kiiexgen") {
		t.Errorf("foreign server_gen.go: exit %d\n%s", code, stderr)
	}
}

// TestFakeImportPath: the import path comes from the nearest go.mod, or
// -import-path; neither is a clear error, and -import-path alone is a
// usage error.
func TestFakeImportPath(t *testing.T) {
	dir := t.TempDir()
	_, stderr, code := kiiexgen(t, dir, "-out", "kiiex", "-fake")
	if code != 1 || !strings.Contains(stderr, "cannot derive the client's import path") || !strings.Contains(stderr, "-import-path") {
		t.Errorf("no go.mod: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "kiiex")); !os.IsNotExist(err) {
		t.Errorf("a failed run created the output directory: %v", err)
	}
	if _, stderr, code := kiiexgen(t, dir, "-out", "kiiex", "-fake", "-import-path", "example.com/x/kiiex"); code != 0 {
		t.Fatalf("-import-path: exit %d\n%s", code, stderr)
	}
	data, err := os.ReadFile(filepath.Join(dir, "kiiex", "kiiexfake", "server_gen.go"))
	if err != nil || !strings.Contains(string(data), `"example.com/x/kiiex"`) {
		t.Errorf("server_gen.go does not import the given path: %v", err)
	}
	if _, stderr, code := kiiexgen(t, dir, "-import-path", "example.com/x"); code != 2 {
		t.Errorf("-import-path without -fake: exit %d\n%s", code, stderr)
	}
	if _, stderr, code := kiiexgen(t, dir, "-out", "k2", "-fake", "-import-path", "a/../b"); code != 1 || !strings.Contains(stderr, "not a clean") {
		t.Errorf("bad -import-path: exit %d\n%s", code, stderr)
	}
}

func mustWriteFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
