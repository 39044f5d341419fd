module github.com/kiiexgen/kiiexgen/bench

go 1.26.8

require (
	github.com/getkin/kin-openapi v0.153.0
	github.com/kiiexgen/kiiexgen v0.0.0-00010101000000-000000000000
)

require (
	github.com/dave/jennifer v1.7.1 // indirect
	github.com/go-openapi/jsonpointer v0.22.5 // indirect
	github.com/go-openapi/swag/jsonname v0.25.5 // indirect
	github.com/google/pprof v0.0.0-20261105003125-4bf881d7fb0b
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3 // indirect
	go.yaml.in/yaml/v4 v4.0.0
	golang.org/x/text v0.14.0 // indirect
)

replace github.com/kiiexgen/kiiexgen => ../
