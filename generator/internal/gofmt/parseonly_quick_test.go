package gofmt

import (
	"go/parser"
	"go/token"
)

func parseOnly(src []byte) {
	parser.ParseFile(token.NewFileSet(), "", src, parser.ParseComments|parser.SkipObjectResolution)
}
