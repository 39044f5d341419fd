package kiiex

// The KIIEX client is generated from the document embedded in ../../spec;
// `make generate` (go generate ./...) rebuilds it, and a test fails when the
// checked-in files differ from a fresh generation. -fake adds the fake
// server package kiiexfake (./kiiexfake) that tests of client code run
// against.
//
//go:generate go run ../../cmd/kiiexgen -out . -package kiiex -fake
