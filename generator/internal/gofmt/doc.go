// Package gofmt formats Go source files the way go/format.Source does, only
// cheaper. Its contract is strict: Format returns either exactly the bytes
// format.Source would return for the same input, or ok == false ("declined"),
// in which case the caller runs format.Source itself. A declined file is only
// slower; a differing byte would be a gofmt-unclean generated file, so the
// printer declines whenever the input holds something whose gofmt rule it
// does not implement: /*-style comments, //line directives, build
// constraints, cgo's import "C", syntax errors and source fragments, and
// the few tree shapes go/printer itself treats as internal errors.
//
// go/printer's layout decisions depend on where the source put its line
// breaks (lists, composite literals, binary expressions, blank lines) and on
// trial renderings of sub-trees (does this fit on one line?). This package
// follows the same rules, so it sees the same information: it parses with
// go/parser and sorts imports with ast.SortImports as format.Source does,
// then prints the tree with go/printer's rules restated (engine.go: queued
// whitespace and comment placement; expr.go, stmt.go, decl.go, list.go: the
// nodes). The savings come from what go/printer pays for generality:
//
//   - positions are resolved through a block index of the file's line table
//     instead of token.FileSet lookups;
//   - "does it fit on one line" is answered from the tree for one-line
//     expressions (width.go) and for lists and function literals sure to
//     break, and the remaining trial renderings stop at their first line
//     break;
//   - doc comments already in canonical form skip go/doc/comment;
//   - the column layout that go/printer gets from text/tabwriter and its
//     trimmer is done in one pass per section (align.go), copying sections
//     without alignment cells as they are.
//
// Each shortcut is checked against what it replaces: the width and break
// shortcuts against trial renderings, the doc comment shortcut against
// go/doc/comment, over a GOROOT sample (width_test.go, doccomment_test.go).
// The contract itself is held by differential tests against format.Source
// (emitter_test.go: every file the emitter renders for KIIEX, the goldens
// and the public corpus, where none may be declined; goroot_test.go: the
// .go files under GOROOT and go/printer's test data; fuzz_test.go).
package gofmt
