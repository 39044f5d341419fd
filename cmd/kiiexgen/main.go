// Command kiiexgen generates a typed Go client package from an OpenAPI
// document; without -spec it uses the KIIEX exchange document embedded from
// spec/kiiex.yaml.
//
// Usage:
//
//	kiiexgen [-spec FILE] [-out DIR] [-package NAME] [-check] [-api-report FILE]
//	         [-strict] [-number decimal|float64] [-allow-remote-refs]
//	         [-ref-root DIR] [-fake] [-import-path PATH] [-dump-spec] [-version]
//
// Flags:
//
//	-spec FILE          OpenAPI 3.0/3.1 or Swagger 2.0 document, JSON or YAML
//	                    (default: the embedded KIIEX document)
//	-out DIR            output directory (default ".")
//	-package NAME       Go package name (default: the base name of -out, or "kiiex");
//	                    not main, _, a keyword or a predeclared identifier
//	-check              generate in memory and exit 1, listing the files that
//	                    differ and the Go API changes, when DIR is not up to
//	                    date; writes nothing
//	-api-report FILE    write the Go API changes against the package in DIR
//	                    as Markdown (for a pull-request comment)
//	-strict             treat repairable spec defects (warnings) as errors
//	-number KIND        Go type for OpenAPI number: decimal (exact, default) or float64
//	-allow-remote-refs  let $refs fetch http(s) URLs (off: no network access)
//	-ref-root DIR       let $refs to files reach anywhere below DIR, which must
//	                    contain the spec's directory; for multi-file specs that
//	                    refer to a sibling folder (../common/x.yaml). Default:
//	                    the widest of the working directory and its Go module
//	                    that holds the spec (never / or the home directory),
//	                    else the spec's directory. Absolute paths and
//	                    symbolic links that leave DIR are still refused
//	-fake               also generate a fake server for tests, package NAMEfake in
//	                    DIR/NAMEfake: typed handlers per operation, request
//	                    validation against the spec, and (APEX specs) the
//	                    signed login and session check; see the README
//	-import-path PATH   the client package's import path, which the fake
//	                    imports (default: derived from the nearest go.mod
//	                    above DIR: module path + DIR's path below it)
//	-dump-spec          write the embedded KIIEX document to standard output
//	-version            print the version and exit
//	-h                  print this usage to standard output
//
// Warnings go to standard error as "file:line:col: #/pointer: warning: ...",
// one line each: control and format characters from the spec are escaped.
// Errors print as "kiiexgen: file:line:col: #/pointer: message" and exit 1;
// usage errors (including stray arguments) exit 2. Files are written only
// after everything generated, atomically; only *_gen.go files carrying the
// kiiexgen header are ever replaced or removed, and nothing is written into
// a directory whose own Go files declare another package. A regeneration
// that replaces an existing package prints its Go API changes (breaking or
// compatible) to standard error.
//
// The garbage collector does not run until the process holds 64 MiB, then
// runs with Go's defaults; GOGC or GOMEMLIMIT in the environment replace
// that policy.
//
// In a downstream module (see the README):
//
//	go get -tool github.com/kiiexgen/kiiexgen/cmd/kiiexgen@latest
//	//go:generate go tool kiiexgen -spec kiiex.yaml -out . -package kiiex
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
	"github.com/kiiexgen/kiiexgen/generator/apidiff"
	"github.com/kiiexgen/kiiexgen/generator/diag"
	"github.com/kiiexgen/kiiexgen/generator/load"
	"github.com/kiiexgen/kiiexgen/spec"
)

func main() {
	tuneGC()
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

const usageLine = "usage: kiiexgen [-spec FILE] [-out DIR] [-package NAME] [-check] [-api-report FILE] [-strict] [-number decimal|float64] [-allow-remote-refs] [-ref-root DIR] [-fake] [-import-path PATH] [-dump-spec] [-version]"

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("kiiexgen", flag.ContinueOnError)
	specPath := fs.String("spec", "", "OpenAPI document (default: the embedded KIIEX spec)")
	out := fs.String("out", ".", "output directory")
	pkgName := fs.String("package", "", "Go package name (default: base name of -out)")
	check := fs.Bool("check", false, "exit 1 if the output directory is not up to date; write nothing")
	apiReport := fs.String("api-report", "", "write the Go API changes against the package in -out as Markdown to `FILE`")
	strict := fs.Bool("strict", false, "treat spec warnings as errors")
	number := fs.String("number", "decimal", "Go type for OpenAPI number: decimal or float64")
	remote := fs.Bool("allow-remote-refs", false, "allow $refs to http(s) URLs")
	refRoot := fs.String("ref-root", "", "directory $refs to files may reach (default: the working directory or its Go module when it holds the spec, else the spec's directory)")
	fake := fs.Bool("fake", false, "also generate the fake server package NAMEfake in DIR/NAMEfake")
	importPath := fs.String("import-path", "", "the client's import path, for -fake (default: from the nearest go.mod)")
	dump := fs.Bool("dump-spec", false, "write the embedded KIIEX spec to standard output and exit")
	version := fs.Bool("version", false, "print the version and exit")
	usage := func(w io.Writer) {
		fmt.Fprintln(w, usageLine)
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	// The flag package's own messages are replaced by ours: -h is a request
	// (usage on stdout, exit 0), anything else a usage error on stderr.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	bad := func(format string, a ...any) error {
		fmt.Fprintln(stderr, "kiiexgen: "+diag.Escape(fmt.Sprintf(format, a...)))
		fmt.Fprintln(stderr, usageLine)
		fmt.Fprintln(stderr, "run kiiexgen -h for the flags")
		return usageError{fmt.Errorf(format, a...)}
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(stdout)
			return nil
		}
		return bad("%v", err)
	}
	if fs.NArg() > 0 {
		arg := fs.Arg(0)
		hint := ""
		switch strings.ToLower(filepath.Ext(arg)) {
		case ".yaml", ".yml", ".json":
			hint = fmt.Sprintf("; did you mean -spec %s?", arg)
		}
		return bad("unexpected argument %q%s (kiiexgen takes flags only)", arg, hint)
	}
	if *number != "decimal" && *number != "float64" {
		return bad("-number must be decimal or float64, not %q", *number)
	}
	if *version {
		fmt.Fprintln(stdout, "kiiexgen", versionString())
		return nil
	}
	if *dump {
		if *specPath != "" {
			return bad("-dump-spec writes the embedded spec; it takes no -spec")
		}
		_, err := stdout.Write(spec.KIIEX)
		return err
	}
	name := *pkgName
	if name != "" {
		if err := generator.CheckPackageName(name); err != nil {
			return bad("-package: %v", err)
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
	in := generator.Input{Path: spec.Path, Data: spec.KIIEX, Source: spec.Source}
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
		if in.RefRoot == "" && in.Dir != "" {
			in.RefRoot = defaultRefRoot(in.Dir)
		}
	} else if *refRoot != "" {
		return bad("-ref-root needs -spec")
	}
	if *importPath != "" && !*fake {
		return bad("-import-path is for -fake")
	}
	clientPath := *importPath
	if *fake && clientPath == "" {
		p, err := generator.ImportPathOf(*out)
		if err != nil {
			return fmt.Errorf("-fake: cannot derive the client's import path (%v); pass -import-path", err)
		}
		clientPath = p
	}
	files, warnings, err := generator.Generate(ctx, in, generator.Options{
		Package:         name,
		Number:          *number,
		Strict:          *strict,
		AllowRemoteRefs: *remote,
		Fake:            *fake,
		ImportPath:      clientPath,
		Phase:           collectAfterBuild,
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
	// The API report compares against what is on disk, so it is taken
	// before anything is written, and only when something differs (type
	// checking both versions costs more than generating).
	diffs, err := generator.Check(*out, files)
	if err != nil {
		return explain(err, name)
	}
	var report apidiff.Report
	hadPackage := false
	if len(diffs) > 0 || *apiReport != "" {
		if report, hadPackage, err = apiChanges(*out, files); err != nil {
			return err
		}
	}
	if *apiReport != "" {
		md := report.Markdown(name)
		if !hadPackage {
			md = fmt.Sprintf("### Go API of %s\n\nA new package: %s holds no generated package to compare with.\n", name, *out)
		}
		if err := os.WriteFile(*apiReport, []byte(md), 0o644); err != nil {
			return err
		}
	}
	if *check {
		if len(diffs) > 0 {
			fmt.Fprintf(stderr, "kiiexgen: %s is not up to date with %s; regenerate it with go generate (or kiiexgen with the same flags, without -check):\n", diag.Escape(*out), diag.Escape(specName(in)))
			for _, d := range diffs {
				fmt.Fprintln(stderr, "  "+d)
			}
			printReport(stderr, report)
			return errReported
		}
		return nil
	}
	if err := generator.Write(*out, files); err != nil {
		return explain(err, name)
	}
	if hadPackage {
		printReport(stderr, report)
	}
	return nil
}

// specName is how messages refer to the spec.
func specName(in generator.Input) string {
	if in.Source != "" {
		return "the " + in.Source
	}
	return in.Path
}

// explain adds the way out to errors the user can fix with a flag.
func explain(err error, name string) error {
	var pm *generator.PackageMismatchError
	if errors.As(err, &pm) {
		return fmt.Errorf("%w\nwrite to another -out directory, or pass -package %s if the client belongs in that package", err, strings.TrimSuffix(pm.Have, "_test"))
	}
	return err
}

// apiChanges compares the exported API of the generated package already in
// dir (its kiiexgen-owned files) with files. hadPackage is false when dir
// holds no generated package yet.
func apiChanges(dir string, files []generator.File) (r apidiff.Report, had bool, err error) {
	// The report is advice: a failure inside go/types on a hand-mangled
	// old file must not stop a generation.
	defer func() {
		if recover() != nil {
			r, err = apidiff.Report{}, nil
		}
	}()
	old, err := generator.Existing(dir)
	if err != nil || len(old) == 0 {
		return apidiff.Report{}, false, err
	}
	conv := func(fs []generator.File) []apidiff.File {
		var out []apidiff.File
		for _, f := range fs {
			out = append(out, apidiff.File{Name: f.Name, Content: f.Content})
		}
		return out
	}
	// The fake's files (in a subdirectory) are another package: the
	// report covers the client's API.
	var own []generator.File
	for _, f := range files {
		if !strings.Contains(f.Name, "/") {
			own = append(own, f)
		}
	}
	r, err = apidiff.Compare(conv(old), conv(own))
	if err != nil {
		// An unparsable old file (hand-edited) is no reason to refuse
		// generation; the report is only advice.
		return apidiff.Report{}, true, nil
	}
	return r, true, nil
}

func printReport(w io.Writer, r apidiff.Report) {
	if len(r.Changes) == 0 {
		return
	}
	if r.Breaking() {
		fmt.Fprintln(w, "kiiexgen: Go API changes (BREAKING):")
	} else {
		fmt.Fprintln(w, "kiiexgen: Go API changes (compatible):")
	}
	for _, line := range strings.Split(strings.TrimSuffix(r.Text(), "\n"), "\n") {
		fmt.Fprintln(w, "  "+line)
	}
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
