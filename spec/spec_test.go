package spec

import (
	"context"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

func load(t *testing.T) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(KIIEX)
	if err != nil {
		t.Fatalf("load %s: %v", Path, err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("validate %s: %v", Path, err)
	}
	return doc
}

var mainTags = []string{"System", "User", "Authentication"}

func TestDocumentValidates(t *testing.T) {
	doc := load(t)
	if doc.OpenAPI != "3.0.3" {
		t.Errorf("openapi = %q, want 3.0.3", doc.OpenAPI)
	}
	if doc.Info == nil || doc.Info.Title != "KIIEX Trading API" || doc.Info.Version != "1.0.0" {
		t.Errorf("unexpected info: %+v", doc.Info)
	}
	want := map[string]string{
		"https://apstage.proxy.kiiex.io/ap":   "Staging",
		"https://alphaprod.proxy.kiiex.io/ap": "Production",
	}
	if len(doc.Servers) != len(want) {
		t.Fatalf("got %d servers, want %d", len(doc.Servers), len(want))
	}
	for _, s := range doc.Servers {
		if want[s.URL] != s.Description {
			t.Errorf("server %s: description %q, want %q", s.URL, s.Description, want[s.URL])
		}
	}
}

func TestTags(t *testing.T) {
	doc := load(t)
	for _, name := range mainTags {
		tag := doc.Tags.Get(name)
		if tag == nil {
			t.Errorf("tag %s missing", name)
			continue
		}
		if tag.Description == "" {
			t.Errorf("tag %s has no description", name)
		}
	}
}

func TestOperations(t *testing.T) {
	doc := load(t)
	getOps := map[string]bool{"GetOpenTradeReports": true, "GetAllOpenTradeReports": true}
	total, ws := 0, 0
	paths := doc.Paths.InMatchingOrder()
	sort.Strings(paths)
	for _, path := range paths {
		item := doc.Paths.Value(path)
		ops := item.Operations()
		if len(ops) != 1 {
			t.Errorf("%s: %d operations, want exactly 1", path, len(ops))
		}
		for method, op := range ops {
			total++
			name := strings.TrimPrefix(path, "/")
			if op.OperationID != name {
				t.Errorf("%s: operationId %q, want %q", path, op.OperationID, name)
			}
			if len(op.Tags) != 1 || !slices.Contains(mainTags, op.Tags[0]) {
				t.Errorf("%s: tags %v, want exactly one of %v", path, op.Tags, mainTags)
			}
			wantMethod := "POST"
			if getOps[name] {
				wantMethod = "GET"
			}
			if method != wantMethod {
				t.Errorf("%s: method %s, want %s", path, method, wantMethod)
			}
			if op.Summary == "" || op.Description == "" {
				t.Errorf("%s: summary and description are required", path)
			}
			if op.RequestBody == nil || op.RequestBody.Value == nil || !op.RequestBody.Value.Required {
				t.Errorf("%s: request body must be present and required", path)
			} else if op.RequestBody.Value.Content.Get("application/json") == nil {
				t.Errorf("%s: request body must be application/json", path)
			}
			for _, code := range []int{200, 400, 401} {
				if op.Responses.Status(code) == nil {
					t.Errorf("%s: no %d response", path, code)
				}
			}
			transport, hasTransport := op.Extensions["x-kiiex-transport"]
			isWS := strings.HasPrefix(name, "Subscribe") || strings.HasPrefix(name, "Unsubscribe")
			switch {
			case isWS && transport != "websocket":
				t.Errorf("%s: x-kiiex-transport = %v, want websocket", path, transport)
			case !isWS && hasTransport:
				t.Errorf("%s: unexpected x-kiiex-transport %v", path, transport)
			}
			if isWS {
				ws++
			}
		}
	}
	if total == 0 || ws == 0 {
		t.Fatalf("found %d operations, %d websocket", total, ws)
	}
	t.Logf("%d operations (%d websocket), %d component schemas", total, ws, len(doc.Components.Schemas))
}

func TestLoginNeedsNoSecurity(t *testing.T) {
	doc := load(t)
	for _, name := range []string{"AuthenticateUser", "Authenticate2FA"} {
		op := doc.Paths.Value("/" + name).Post
		if op.Security == nil || len(*op.Security) != 0 {
			t.Errorf("%s: security must be an explicit empty list", name)
		}
		if _, ok := op.Extensions["x-kiiex-note"]; !ok {
			t.Errorf("%s: missing x-kiiex-note", name)
		}
	}
	if len(doc.Security) != 2 {
		t.Errorf("global security has %d alternatives, want 2", len(doc.Security))
	}
	for _, s := range []string{"bearerAuth", "apToken"} {
		if doc.Components.SecuritySchemes[s] == nil {
			t.Errorf("security scheme %s missing", s)
		}
	}
}

func TestAuthenticateUserRequest(t *testing.T) {
	doc := load(t)
	body := doc.Paths.Value("/AuthenticateUser").Post.RequestBody.Value.Content.Get("application/json").Schema
	if body.Ref != "#/components/schemas/AuthenticateUserRequest" {
		t.Fatalf("AuthenticateUser body ref = %q", body.Ref)
	}
	req := doc.Components.Schemas["AuthenticateUserRequest"]
	if req == nil || req.Value == nil {
		t.Fatal("AuthenticateUserRequest missing")
	}
	if req.Value.Discriminator != nil {
		t.Error("AuthenticateUserRequest must not have a discriminator")
	}
	var refs []string
	for _, alt := range req.Value.OneOf {
		refs = append(refs, alt.Ref)
	}
	wantRefs := []string{"#/components/schemas/PasswordCredentials", "#/components/schemas/APIKeyCredentials"}
	if !slices.Equal(refs, wantRefs) {
		t.Fatalf("oneOf = %v, want %v", refs, wantRefs)
	}
	wantRequired := map[string][]string{
		"PasswordCredentials": {"Password", "UserName"},
		"APIKeyCredentials":   {"APIKey", "Nonce", "Signature", "UserId"},
	}
	for name, want := range wantRequired {
		s := doc.Components.Schemas[name].Value
		got := slices.Clone(s.Required)
		sort.Strings(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s required = %v, want %v", name, got, want)
		}
	}
	api := doc.Components.Schemas["APIKeyCredentials"].Value
	if typ := api.Properties["UserId"].Value.Type; !typ.Is("string") {
		t.Errorf("APIKeyCredentials.UserId type = %v, want string", typ)
	}
	if _, ok := api.Properties["UserName"]; !ok {
		t.Error("APIKeyCredentials.UserName missing")
	}
	if api.Properties["Signature"].Value.Extensions["x-kiiex-secret"] != true {
		t.Error("APIKeyCredentials.Signature must be x-kiiex-secret")
	}
	pw := doc.Components.Schemas["PasswordCredentials"].Value.Properties["Password"].Value
	if pw.Format != "password" || pw.Extensions["x-kiiex-secret"] != true {
		t.Error("PasswordCredentials.Password must be format password and x-kiiex-secret")
	}
}

func TestModels(t *testing.T) {
	doc := load(t)
	for _, name := range []string{"DepositTicket", "WithdrawTicket", "OMSOrderData", "AuthenticationResult",
		"GenericResponse", "AuthenticatedUser"} {
		s := doc.Components.Schemas[name]
		if s == nil || s.Value == nil {
			t.Errorf("schema %s missing", name)
			continue
		}
		if s.Value.Description == "" {
			t.Errorf("schema %s has no description", name)
		}
	}
	dt := doc.Components.Schemas["DepositTicket"].Value
	for _, p := range []string{"Status", "lastUpdateTimeStamp", "depositInfo", "comments", "attachments"} {
		if dt.Properties[p] == nil {
			t.Errorf("DepositTicket.%s missing", p)
		}
	}
	for _, p := range []string{"depositInfo", "comments", "attachments"} {
		if v := dt.Properties[p].Value; !v.Nullable || !v.Type.Is("object") {
			t.Errorf("DepositTicket.%s must be a nullable object", p)
		}
	}
	for _, name := range []string{"BadRequest", "Unauthorized", "NotFound"} {
		if doc.Components.Responses[name] == nil {
			t.Errorf("response %s missing", name)
		}
	}
}

func TestEnums(t *testing.T) {
	doc := load(t)
	n := 0
	for name, ref := range doc.Components.Schemas {
		s := ref.Value
		if len(s.Enum) == 0 {
			continue
		}
		n++
		names, ok := s.Extensions["x-enum-varnames"].([]any)
		if !ok || len(names) != len(s.Enum) {
			t.Errorf("%s: x-enum-varnames must list one name per enum value", name)
		}
		if d, ok := s.Extensions["x-enum-descriptions"].([]any); ok && len(d) != len(s.Enum) {
			t.Errorf("%s: x-enum-descriptions has %d entries for %d values", name, len(d), len(s.Enum))
		}
	}
	for _, name := range []string{"OrderSide", "OrderType", "TimeInForce", "PegPriceType", "DepositTicketStatus",
		"WithdrawTicketStatus", "OrderSideName", "OrderTypeName", "OrderStateName"} {
		if s := doc.Components.Schemas[name]; s == nil || len(s.Value.Enum) == 0 {
			t.Errorf("enum schema %s missing", name)
		}
	}
	if n == 0 {
		t.Fatal("no enum schemas")
	}
}
