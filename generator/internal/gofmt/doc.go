// Package gofmt formats Go source files the way go/format.Source does, only
// cheaper. Its contract is strict: Format returns either exactly the bytes
// format.Source would return for the same input, or ok == false ("declined"),
// in which case the caller runs format.Source itself. A declined file is only
// slower; a differing byte would be a gofmt-unclean generated file, so the
// printer declines whenever the input holds something whose gofmt rule it
// does not implement: /*-style comments, //line directives, build
// constraints, cgo's import "C", syntax errors, and anything that would make
// go/printer itself fail.
//
// go/printer's layout decisions depend on where the source put its line
// breaks (lists, composite literals, binary expressions, blank lines) and on
// trial renderings of sub-trees (does this fit on one line?). This package
// follows the same rules, so it must see the same information: it parses
// with go/parser and sorts imports with ast.SortImports as format.Source
// does, then prints the tree. The savings come from what go/printer pays for
// generality: positions are resolved against the file's line table directly
// instead of through token.FileSet, trial renderings reuse one pooled
// printer and are measured without a writer chain, and the printer works
// on typed items instead of boxed arguments. Column alignment still goes
// through text/tabwriter, configured exactly as go/printer configures it,
// because alignment is where an independent implementation would most
// easily differ.
//
// The differential tests (format_test.go) hold the contract: every file the
// emitter renders (KIIEX, the goldens, the public corpus), every .go file in
// GOROOT (declined or identical), and a fuzz target.
package gofmt
