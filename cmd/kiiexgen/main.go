// Command kiiexgen generates a typed Go client package from an OpenAPI
// document; without -spec it uses the KIIEX exchange document embedded from
// spec/kiiex.yaml.
//
// Usage:
//
//	kiiexgen [-spec FILE] [-out DIR] [-package NAME] [-check] [-strict]
//	         [-number decimal|float64] [-allow-remote-refs] [-ref-root DIR] [-version]
//
// Flags:
//
//	-spec FILE          OpenAPI 3.0/3.1 or Swagger 2.0 document, JSON or YAML
//	                    (default: the embedded KIIEX document)
//	-out DIR            output directory (default ".")
//	-package NAME       Go package name (default: the base name of -out, or "kiiex");
//	                    not main, _, a keyword or a predeclared identifier
//	-check              generate in memory and exit 1, listing the files that
//	                    differ, when DIR is not up to date; writes nothing
//	-strict             treat repairable spec defects (warnings) as errors
//	-number KIND        Go type for OpenAPI number: decimal (exact, default) or float64
//	-allow-remote-refs  let $refs fetch http(s) URLs (off: no network access)
//	-ref-root DIR       let $refs to files reach anywhere below DIR, which must
//	                    contain the spec's directory (default: the spec's
//	                    directory); for multi-file specs that refer to a
//	                    sibling folder (../common/x.yaml). Absolute paths and
//	                    symbolic links that leave DIR are still refused
//	-version            print the version and exit
//
// Warnings go to standard error as "file:line:col: #/pointer: warning: ...",
// one line each: control and format characters from the spec are escaped.
// Errors print as "kiiexgen: file:line:col: #/pointer: message" and exit 1;
// usage errors exit 2. Files are written only after everything generated,
// atomically; only *_gen.go files carrying the kiiexgen header are ever
// replaced or removed.
//
// In a downstream repository:
//
//	//go:generate go run github.com/kiiexgen/kiiexgen/cmd/kiiexgen -spec kiiex.yaml -out . -package kiiex
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/kiiexgen/kiiexgen/generator"
	"github.com/kiiexgen/kiiexgen/generator/diag"
	"github.com/kiiexgen/kiiexgen/generator/load"
	"github.com/kiiexgen/kiiexgen/spec"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		var u usageError
		if errors.As(err, &u) {
			os.Exit(2)
		}
		if !errors.Is(err, errReported) {
			printError(os.Stderr, err)
		}
		os.Exit(1)
	}
}

// printError prints err one "kiiexgen: " line per line of its text, each
// escaped so that no byte of it can forge a line or reach the terminal as
// a control sequence.
func printError(w io.Writer, err error) {
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintln(w, "kiiexgen: "+diag.Escape(line))
	}
}

// usageError marks bad flags: exit status 2, usage already printed.
type usageError struct{ error }

// errReported means the details were already printed.
var errReported = errors.New("reported")

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("kiiexgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	specPath := fs.String("spec", "", "OpenAPI document (default: the embedded KIIEX spec)")
	out := fs.String("out", ".", "output directory")
	pkgName := fs.String("package", "", "Go package name (default: base name of -out)")
	check := fs.Bool("check", false, "exit 1 if the output directory is not up to date; write nothing")
	strict := fs.Bool("strict", false, "treat spec warnings as errors")
	number := fs.String("number", "decimal", "Go type for OpenAPI number: decimal or float64")
	remote := fs.Bool("allow-remote-refs", false, "allow $refs to http(s) URLs")
	refRoot := fs.String("ref-root", "", "directory $refs to files may reach (default: the spec's directory)")
	version := fs.Bool("version", false, "print the version and exit")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: kiiexgen [-spec FILE] [-out DIR] [-package NAME] [-check] [-strict] [-number decimal|float64] [-allow-remote-refs] [-ref-root DIR] [-version]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError{err}
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return usageError{fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))}
	}
	if *number != "decimal" && *number != "float64" {
		fmt.Fprintf(stderr, "kiiexgen: -number must be decimal or float64, not %q\n", *number)
		fs.Usage()
		return usageError{errors.New("bad -number")}
	}
	if *version {
		fmt.Fprintln(stdout, "kiiexgen", versionString())
		return nil
	}
	name := *pkgName
	if name != "" {
		if err := generator.CheckPackageName(name); err != nil {
			fmt.Fprintf(stderr, "kiiexgen: -package: %v\n", err)
			fs.Usage()
			return usageError{err}
		}
	}
	if name == "" {
		name = "kiiex"
		if abs, err := filepath.Abs(*out); err == nil {
			if b := filepath.Base(abs); generator.CheckPackageName(b) == nil {
				name = b
			}
		}
	}
	in := generator.Input{Path: spec.Path, Data: spec.KIIEX}
	if *specPath != "" {
		in = generator.Input{Path: displayPath(*specPath)}
		if abs, err := filepath.Abs(*specPath); err == nil {
			in.Dir = filepath.Dir(abs)
		}
		data, err := load.ReadFile(*specPath)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return fmt.Errorf("%s: %v", *specPath, err)
		}
		in.Data = data
		in.RefRoot = *refRoot
	} else if *refRoot != "" {
		fs.Usage()
		return usageError{errors.New("-ref-root needs -spec")}
	}
	files, warnings, err := generator.Generate(ctx, in, generator.Options{
		Package:         name,
		Number:          *number,
		Strict:          *strict,
		AllowRemoteRefs: *remote,
	})
	for _, w := range warnings {
		fmt.Fprintln(stderr, w.String())
	}
	if err != nil {
		var list diag.List
		if errors.As(err, &list) {
			for _, d := range list {
				if d.Severity == diag.Error {
					fmt.Fprintln(stderr, "kiiexgen: "+d.String())
				}
			}
			return errReported
		}
		return err
	}
	if *check {
		diffs, err := generator.Check(*out, files)
		if err != nil {
			return err
		}
		if len(diffs) > 0 {
			fmt.Fprintf(stderr, "kiiexgen: %s is not up to date with %s; run kiiexgen (or make generate):\n", diag.Escape(*out), diag.Escape(in.Path))
			for _, d := range diffs {
				fmt.Fprintln(stderr, "  "+d)
			}
			return errReported
		}
		return nil
	}
	return generator.Write(*out, files)
}

// displayPath is the spec path as it appears in output: relative paths as
// given, absolute ones made relative to the working directory when they lie
// below it, else reduced to the base name, so no machine-specific path ends
// up in generated files.
func displayPath(p string) string {
	if !filepath.IsAbs(p) {
		return filepath.ToSlash(filepath.Clean(p))
	}
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.Base(p)
}

func versionString() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}
