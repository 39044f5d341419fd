package templates

// defaultWSDial is the RFC 6455 transport of DialWS.
var defaultWSDial wsDialFunc
