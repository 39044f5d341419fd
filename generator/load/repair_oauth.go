package load

import (
	"fmt"
	"net/url"
	"strings"

	"go.yaml.in/yaml/v4"
)

// oauthFlowURLs lists, for each OAuth 2 flow (OpenAPI 3's flows, then
// Swagger 2.0's flow names), the URLs it must have; the other of
// authorizationUrl and tokenUrl it must not have.
var oauthFlowURLs = map[string][]string{
	"implicit": {"authorizationUrl"}, "password": {"tokenUrl"}, "clientCredentials": {"tokenUrl"},
	"authorizationCode": {"authorizationUrl", "tokenUrl"},
	"application":       {"tokenUrl"}, "accessCode": {"authorizationUrl", "tokenUrl"},
}

// repairOAuthFlows drops the OAuth 2 flows of scheme s (at ptr) that do
// not say what OpenAPI requires (a missing or unparsable authorization or
// token URL, no scopes), and removes a URL a flow must not have. A client
// sends the token its caller got, and never uses these URLs, so the scheme
// stays: only its description of how to obtain a token goes (kin-openapi
// refused the whole document for it). In Swagger 2.0 the flow is the
// scheme's own "flow" field.
func (l *loader) repairOAuthFlows(s *yaml.Node, ptr string) {
	if t := val(s, "type"); t == nil || t.Value != "oauth2" {
		return
	}
	if l.v2 {
		k, f := get(s, "flow")
		if f == nil || f.Kind != yaml.ScalarNode {
			return
		}
		if why := l.flowProblem(s, f.Value, true); why != "" {
			// The conversion to OpenAPI 3 needs a known flow; the
			// converted scheme loses it (see loadSwagger2).
			if l.noFlows2 == nil {
				l.noFlows2 = map[string]bool{}
			}
			l.noFlows2[unescapeToken(ptr[strings.LastIndexByte(ptr, '/')+1:])] = true
			l.rep.repair("oauth-flow", l.name, nodePos(k), ptr+"/flow",
				fmt.Sprintf("OAuth 2 flow %q %s; dropped (the token is still sent)", f.Value, why))
		}
		return
	}
	flows := val(s, "flows")
	if !isMap(flows) {
		return
	}
	kept := flows.Content[:0:0]
	for i := 0; i+1 < len(flows.Content); i += 2 {
		k, f := flows.Content[i], flows.Content[i+1]
		if _, known := oauthFlowURLs[k.Value]; known && isMap(f) && !hasRef(f) {
			if why := l.flowProblem(f, k.Value, false); why != "" {
				l.rep.repair("oauth-flow", l.name, nodePos(k), join(ptr+"/flows", k.Value),
					fmt.Sprintf("OAuth 2 flow %q %s; dropped (the token is still sent)", k.Value, why))
				continue
			}
		}
		kept = append(kept, k, f)
	}
	flows.Content = kept
}

// flowProblem says what keeps flow f of the given kind from being valid,
// or "", after removing the URL a flow of its kind must not have.
func (l *loader) flowProblem(f *yaml.Node, kind string, v2 bool) string {
	need := oauthFlowURLs[kind]
	for _, key := range []string{"authorizationUrl", "tokenUrl"} {
		v := val(f, key)
		wanted := false
		for _, n := range need {
			wanted = wanted || n == key
		}
		switch {
		case !wanted && v != nil && !v2:
			del(f, key)
			l.edits++ // a URL this flow never uses
		case wanted && (v == nil || v.Kind != yaml.ScalarNode || strings.TrimSpace(v.Value) == ""):
			return "has no " + key
		case wanted:
			if _, err := url.Parse(v.Value); err != nil {
				return fmt.Sprintf("has an %s that is not a URL (%q)", key, v.Value)
			}
		}
	}
	if sc := val(f, "scopes"); sc == nil || isNull(sc) {
		return "has no scopes"
	}
	return ""
}
