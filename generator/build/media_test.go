package build

import (
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/kiiexgen/kiiexgen/generator/ir"
)

func TestMediaClassification(t *testing.T) {
	str := &openapi3.MediaType{Schema: openapi3.NewStringSchema().NewRef()}
	bin := &openapi3.MediaType{Schema: openapi3.NewStringSchema().WithFormat("binary").NewRef()}
	obj := &openapi3.MediaType{Schema: openapi3.NewObjectSchema().NewRef()}
	for _, tc := range []struct {
		key  string
		mt   *openapi3.MediaType
		req  mediaClass
		resp ir.ResultKind
	}{
		{"application/json", obj, classJSON, ir.ResultJSON},
		{"application/json; charset=utf-8", obj, classJSON, ir.ResultJSON},
		{"Application/JSON", obj, classJSON, ir.ResultJSON},
		{"application/vnd.api+json", obj, classJSON, ir.ResultJSON},
		{"application/merge-patch+json", obj, classJSON, ir.ResultJSON},
		{"application/problem+json", obj, classJSON, ir.ResultJSON},
		{"application/*+json", obj, classJSON, ir.ResultJSON},
		{"application/json", bin, classRaw, ir.ResultStream},
		{"application/x-www-form-urlencoded", obj, classForm, ir.ResultText},
		{"multipart/form-data", obj, classMultipart, ir.ResultStream},
		{"text/plain", str, classText, ir.ResultText},
		{"text/csv", str, classText, ir.ResultText},
		{"text/event-stream", str, classText, ir.ResultStream},
		{"application/xml", obj, classRaw, ir.ResultText},
		{"application/atom+xml", obj, classRaw, ir.ResultText},
		{"application/octet-stream", bin, classRaw, ir.ResultStream},
		{"application/zip", nil, classRaw, ir.ResultStream},
		{"application/pdf", bin, classRaw, ir.ResultStream},
		{"image/*", bin, classRaw, ir.ResultStream},
		{"application/x-ndjson", obj, classRaw, ir.ResultStream},
		{"*/*", obj, classJSON, ir.ResultJSON},
		{"*/*", bin, classRaw, ir.ResultStream},
		{"*/*", nil, classRaw, ir.ResultStream},
	} {
		if got := requestClass(tc.key, tc.mt); got != tc.req {
			t.Errorf("requestClass(%q) = %d, want %d", tc.key, got, tc.req)
		}
		if got := responseKind(tc.key, tc.mt); got != tc.resp {
			t.Errorf("responseKind(%q) = %d, want %d", tc.key, got, tc.resp)
		}
	}
}

func TestSendTypeAndAcceptRange(t *testing.T) {
	for _, tc := range []struct{ key, send, accept string }{
		{"application/json", "application/json", "application/json"},
		{"application/json; charset=utf-8", "application/json; charset=utf-8", "application/json; charset=utf-8"},
		{"Text/Plain", "text/plain", "text/plain"},
		{"image/*", "", "image/*"},
		{"*/*", "", "*/*"},
		{"application/*+json", "", ""},
		{"*/json", "", ""},
		{"not a type", "", ""},
	} {
		if got := sendType(tc.key); got != tc.send {
			t.Errorf("sendType(%q) = %q, want %q", tc.key, got, tc.send)
		}
		if got := acceptRange(tc.key); got != tc.accept {
			t.Errorf("acceptRange(%q) = %q, want %q", tc.key, got, tc.accept)
		}
	}
}

func TestAddAccept(t *testing.T) {
	o := &ir.Operation{}
	for _, k := range []string{"application/json", "application/problem+json", "application/json", "application/*+json", "bad type", "text/html"} {
		addAccept(o, k)
	}
	if o.Accept != "application/json, application/problem+json, text/html" {
		t.Errorf("Accept %q", o.Accept)
	}
}
