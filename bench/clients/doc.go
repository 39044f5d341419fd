// Package clients benchmarks the Go code that kiiexgen, oapi-codegen and
// ogen generate from spec/kiiex.yaml, on the same payloads.
//
// It is its own module (so ogen's and oapi-codegen's runtime libraries
// stay out of kiiexgen's go.mod and the bench module's), and it is not
// usable where it is checked in: bench/run.sh copies it to
// bench/.work/clients and generates the three packages next to it,
//
//	kx     kiiexgen     -package kx
//	oapi   oapi-codegen (generate: models + client)
//	ogenc  ogen         (client features only)
//
// then runs `go test -run Test -bench . -benchmem -count N` there. The
// Test functions check that each generator's types decode and encode the
// payloads to the same values before any timing is trusted.
package clients
