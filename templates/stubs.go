package templates

// securitySchemes stands in for the table the generator emits from
// components.securitySchemes. It mirrors the KIIEX document so that the
// runtime's defaults are exercised against the real shape.
var securitySchemes = []securityScheme{
	{name: "bearerAuth", typ: "http", scheme: "bearer"},
	{name: "apToken", typ: "apiKey", in: "header", param: "aptoken"},
}
