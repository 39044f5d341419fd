package build

import "testing"

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
