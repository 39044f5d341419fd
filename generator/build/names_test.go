package build

import (
	"sort"
	"testing"
)

func TestGoName(t *testing.T) {
	for in, want := range map[string]string{
		"OMSId":                       "OMSID",
		"omsId":                       "OMSID",
		"omsID":                       "OMSID",
		"userId":                      "UserID",
		"requestIP":                   "RequestIP",
		"lastUpdateTimeStamp":         "LastUpdateTimeStamp",
		"SystemCanceled_NoMoreMarket": "SystemCanceledNoMoreMarket",
		"use2FA":                      "Use2FA",
		"use2fa":                      "Use2FA",
		"twoFAToken":                  "TwoFAToken",
		"rolling24HrVolume":           "Rolling24HrVolume",
		"StartTime<":                  "StartTimeLt",
		"StartTime>":                  "StartTimeGt",
		"0":                           "N0",
		"":                            "Empty",
		"---":                         "Empty",
		"type":                        "Type",
		"ñandú":                       "Ñandú",
		"名前":                          "X名前",
		"/account/transactions":       "AccountTransactions",
		"api-key":                     "APIKey",
		"APIKey":                      "APIKey",
		"Fully_Executed":              "FullyExecuted",
		"html_url":                    "HTMLURL",
		// Lower-case runs split into known words, so one property reads
		// the same whichever way a spec spells it.
		"omsid":               "OMSID",
		"errormsg":            "ErrorMsg",
		"Errormsg":            "ErrorMsg",
		"errorcode":           "ErrorCode",
		"statuscode":          "StatusCode",
		"apToken":             "APToken",
		"aptoken":             "APToken",
		"requestcode":         "RequestCode",
		"lastupdatetimestamp": "LastUpdateTimestamp",
		"isactive":            "IsActive",
		// Runs that are words, or not made of known words, stay whole.
		"timestamp":  "Timestamp",
		"password":   "Password",
		"reaccepted": "Reaccepted",
		"notice":     "Notice",
		"together":   "Together",
		"tokens":     "Tokens",
		"apis":       "Apis",
		"append":     "Append",
		"runtime":    "Runtime",
		"subnet":     "Subnet",
		"postage":    "Postage",
	} {
		if got := GoName(in); got != want {
			t.Errorf("GoName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNamerCollisions(t *testing.T) {
	n := newNamer("Client", "APIError")
	got := []string{n.claim("OMSID", ""), n.claim("OMSID", ""), n.claim("OMSID", ""), n.claim("Client", "Model"), n.claim("Client", "Model"), n.claim("APIError", "Model")}
	want := []string{"OMSID", "OMSID2", "OMSID3", "ClientModel", "ClientModel2", "APIErrorModel"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("claim #%d = %q, want %q", i, got[i], want[i])
		}
	}
}

// TestSegmentConsistency: a run of known words spelt in lower case names
// the same as the camelCase spelling, for every pair of known words that
// is not itself a listed compound; and every known word alone is one word.
func TestSegmentConsistency(t *testing.T) {
	var words []string
	for w := range knownWords {
		words = append(words, w)
	}
	sort.Strings(words)
	for _, w := range words {
		if got := segment(w); got != nil {
			t.Errorf("known word %q split into %q", w, got)
		}
	}
	checked := 0
	for i, a := range words {
		for j := i % 7; j < len(words); j += 7 { // a deterministic sample of pairs
			b := words[j]
			if knownWords[a+b] || b == "is" || len(a+b) > maxSegmentRun {
				continue
			}
			lower, camel := GoName(a+b), GoName(a+"_"+b)
			if lower != camel {
				// The pair may also read as other known words
				// (e.g. "sent"+"ry" vs "sentry"): then the fewest-words
				// rule decides; only a failure to split is a bug.
				if segment(a+b) == nil {
					t.Errorf("GoName(%q) = %s, want it split like %s", a+b, lower, camel)
				}
				continue
			}
			checked++
		}
	}
	if checked < 1000 {
		t.Errorf("only %d pairs checked", checked)
	}
}
