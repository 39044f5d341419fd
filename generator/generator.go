// Package generator is kiiexgen's library API: Generate turns an OpenAPI
// document into the files of a Go client package, in memory; Write puts
// them on disk atomically; Check compares them with what is on disk;
// Existing reads the previous generation back (for generator/apidiff).
// With Options.Fake, Generate also renders the fake server package
// <pkg>fake (emit.EmitFake plus the runtime in templates/fake), returned
// as "<pkg>fake/<file>" names that Write and Check put in that
// subdirectory of the output directory, under the same rules and locks.
// Write and Check refuse a directory whose own Go files declare another
// package (*PackageMismatchError).
//
// The pipeline runs one way: load (kin-openapi, lenient repairs, positions)
// -> build (IR with every Go decision made) -> emit (jennifer) -> format.
// Nothing is written until every file has rendered and formatted, so a
// broken spec leaves an existing output directory untouched.
package generator

import (
	"context"
	"errors"
	"fmt"
	"go/token"
	"go/types"
	"sort"

	"github.com/kiiexgen/kiiexgen/generator/build"
	"github.com/kiiexgen/kiiexgen/generator/diag"
	"github.com/kiiexgen/kiiexgen/generator/emit"
	"github.com/kiiexgen/kiiexgen/generator/load"
)

// Input names the spec. When Data is nil the file at Path is read; Path is
// also what diagnostics and the generated "// Source:" lines show.
type Input struct {
	Path string
	Data []byte
	// Dir is the directory relative $refs resolve against; default: the
	// directory of Path. The CLI sets it when Path is shortened for display.
	Dir string
	// Source, when set, replaces Path in the generated "// Source:" lines
	// and package doc (diagnostics still show Path), for a document that
	// is not a file of the user's repository, such as the embedded spec.
	Source string
	// RefRoot, when set, is the directory external $refs may reach (an
	// ancestor of the spec's directory, for multi-file specs whose files
	// refer to a sibling folder); default: the spec's directory.
	RefRoot string
}

// Options configure generation.
type Options struct {
	// Package is the generated package's name (default "kiiex").
	Package string
	// Number is "decimal" (default: the exact, string-backed Decimal) or
	// "float64".
	Number string
	// Strict turns repairable spec defects into errors.
	Strict bool
	// AllowRemoteRefs lets $refs fetch http(s) URLs.
	AllowRemoteRefs bool
	// Fake also generates the fake server package <Package>fake, whose
	// files are returned under the name "<Package>fake/<file>" (Write and
	// Check put them in that subdirectory of the output directory).
	Fake bool
	// ImportPath is the client package's import path, which the fake
	// imports; required with Fake (see ImportPathOf).
	ImportPath string
	// Phase, when set, is called with "load", "build" and "emit" as each
	// stage ends, on the goroutine that called Generate: the CLI collects
	// the spec's trees before emitting; tools can time the stages.
	Phase func(stage string)
}

func (o Options) phase(stage string) {
	if o.Phase != nil {
		o.Phase(stage)
	}
}

// FakeSuffix is appended to the client package's name to name the fake
// server package and its directory below the client's.
const FakeSuffix = "fake"

// CheckPackageName reports why name cannot name a generated client
// package: it must be a Go identifier, not a keyword or the blank
// identifier, not "main" (a client is imported, and a main package cannot
// be) or "init" (no import can bind it), and not a predeclared identifier such as string or error (every
// file importing the client would shadow it).
func CheckPackageName(name string) error {
	switch {
	case !token.IsIdentifier(name):
		return fmt.Errorf("package name %q is not a Go identifier", name)
	case token.IsKeyword(name):
		return fmt.Errorf("package name %q is a Go keyword", name)
	case name == "_":
		return errors.New("package name \"_\" is the blank identifier")
	case name == "main":
		return errors.New("package name \"main\" is for commands; a client package must be importable")
	case name == "init":
		return errors.New("package name \"init\" cannot be imported (init names only init functions)")
	case types.Universe.Lookup(name) != nil:
		return fmt.Errorf("package name %q is predeclared in Go; importing files would lose %s", name, name)
	}
	return nil
}

// File is one generated file: a bare file name and its formatted content.
type File = emit.File

// Generate runs the pipeline. It returns the files (sorted by name), the
// warnings, and an error; a spec error is a diag.List with positions.
func Generate(ctx context.Context, in Input, opts Options) ([]File, diag.List, error) {
	if opts.Package == "" {
		opts.Package = "kiiex"
	}
	if err := CheckPackageName(opts.Package); err != nil {
		return nil, nil, err
	}
	if opts.Fake {
		if err := checkImportPath(opts.ImportPath); err != nil {
			return nil, nil, err
		}
	}
	switch opts.Number {
	case "", "decimal", "float64":
	default:
		return nil, nil, fmt.Errorf("-number must be decimal or float64, not %q", opts.Number)
	}
	// The runtime templates are parsed (once per process) while the spec
	// loads: the CLI's single run would otherwise wait for both in turn.
	var rt *runtimeSet
	rtReady := make(chan error, 1)
	go func() {
		var err error
		rt, err = loadRuntime()
		rtReady <- err
	}()
	lopts := load.Options{Strict: opts.Strict, AllowRemoteRefs: opts.AllowRemoteRefs, BaseDir: in.Dir, RefRoot: in.RefRoot}
	var doc *load.Document
	var err error
	if in.Data != nil {
		doc, err = load.Data(ctx, in.Path, in.Data, lopts)
	} else {
		doc, err = load.File(ctx, in.Path, lopts)
	}
	if err != nil {
		return nil, nil, err
	}
	opts.phase("load")
	warnings := append(diag.List(nil), doc.Diagnostics...)
	if err := <-rtReady; err != nil {
		return nil, nil, err
	}
	pkg, bwarn, err := build.Build(doc.Doc, build.Options{
		Package:         opts.Package,
		Source:          in.Path,
		NumberFloat64:   opts.Number == "float64",
		Reserved:        rt.names,
		ReservedMethods: rt.methods,
		Locate:          doc.Locate,
		LocateNear:      doc.LocateNear,
		Number:          doc.Number,
		Strict:          opts.Strict,
	})
	if err != nil {
		return nil, warnings, err
	}
	warnings = append(warnings, bwarn...)
	opts.phase("build")
	source := in.Path
	if in.Source != "" {
		source = in.Source
		pkg.Source = source
	}
	warnings.Sort()
	if err := ctx.Err(); err != nil {
		return nil, warnings, err
	}
	// The fake server renders beside the client; both only read pkg.
	var fake []File
	fakeErr := make(chan error, 1)
	if opts.Fake {
		go func() {
			var err error
			fake, err = generateFake(pkg, opts, source)
			fakeErr <- err
		}()
	} else {
		fakeErr <- nil
	}
	files, err := emit.Emit(pkg)
	if ferr := <-fakeErr; err == nil {
		err = ferr
	}
	if err != nil {
		return nil, warnings, err
	}
	opts.phase("emit")
	rfiles, err := rt.render(opts.Package, source, pkg.APEX)
	if err != nil {
		return nil, warnings, err
	}
	// emit formats every file it renders (generator/internal/gofmt, which
	// prints exactly what go/format would, or go/format itself where that
	// declines) and the runtime files were formatted once when parsed, so
	// every file is gofmt-clean without a second pass
	// (which cost a sixth of the Twilio run); TestGoldenCompiles and the
	// corpus test hold gofmt-cleanliness to account.
	files = append(files, rfiles...)
	files = append(files, fake...)
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	return files, warnings, nil
}
