// Command phases measures where kiiexgen's generation time goes for one
// spec, in process: load (our guard/repair pass + kin-openapi load and
// validation), build (IR), emit (jennifer render, which gofmts each file),
// and the runtime templates' parse (once per process in the CLI), next to
// the physical floor: reading the spec, and reading plus tokenizing it.
// It also times bare kin-openapi (openapi3.NewLoader().LoadFromFile), the
// yardstick of the "generation <= 3x bare load" target, and profiles
// generator.Generate with pprof to name the hotspots in our own code.
//
//	phases -spec FILE [-n 10] [-o phases.json] [-cpuprofile cpu.pprof] [-memprofile mem.pprof]
//
// Phase timings are medians over -n iterations after one warm-up, next to
// generator.Generate end to end. The CPU profile covers -n further
// iterations of the real generator.Generate and attributes its samples to
// the phases by the functions on the stack, so work Generate does beyond
// the stages above (e.g. a second gofmt pass) shows up there.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/pprof/profile"
	"go.yaml.in/yaml/v4"

	"github.com/kiiexgen/kiiexgen/generator"
	"github.com/kiiexgen/kiiexgen/generator/build"
	"github.com/kiiexgen/kiiexgen/generator/emit"
	"github.com/kiiexgen/kiiexgen/generator/load"
	"github.com/kiiexgen/kiiexgen/templates"
)

// Result is written as JSON for bt report.
type Result struct {
	Spec  string `json:"spec"`
	Iters int    `json:"iters"`
	// Medians in milliseconds.
	LoadMS       float64 `json:"load_ms"`
	BuildMS      float64 `json:"build_ms"`
	EmitMS       float64 `json:"emit_ms"`
	RuntimeMS    float64 `json:"runtime_ms"` // runtime templates: gofmt each file (once per process)
	PhaseSumMS   float64 `json:"phase_sum_ms"`
	GenerateMS   float64 `json:"generate_ms"` // generator.Generate end to end
	BareLoadMS   float64 `json:"bare_load_ms"`
	BareLoadVMS  float64 `json:"bare_load_validate_ms"`
	OriginLoadMS float64 `json:"origin_load_ms"` // kin-openapi LoadFromFile with IncludeOrigin, as kiiexgen configures it
	// kin-openapi's JSON path: encoding/json into openapi3.T, then
	// Loader.ResolveRefsIn (LoadFromFile tries its yaml decoder first,
	// even on JSON, and kiiexgen needs that path for origins).
	JSONLoadMS float64 `json:"json_load_ms"`
	// The physical floor: reading the file, and reading it plus
	// tokenizing it (encoding/json's scanner, json.Valid, for JSON; for
	// YAML go-yaml's parse into a node tree, which cannot be had without
	// its composer).
	ReadMS      float64 `json:"read_ms"`
	ReadCPU     float64 `json:"read_cpu_ms"`
	TokenizeMS  float64 `json:"tokenize_ms"`
	TokenizeCPU float64 `json:"tokenize_cpu_ms"`
	// The same, as process CPU time (user+sys, all threads, GC included):
	// robust against other load on the machine, which wall time is not.
	LoadCPU       float64 `json:"load_cpu_ms"`
	BuildCPU      float64 `json:"build_cpu_ms"`
	EmitCPU       float64 `json:"emit_cpu_ms"`
	RuntimeCPU    float64 `json:"runtime_cpu_ms"`
	PhaseSumCPU   float64 `json:"phase_sum_cpu_ms"`
	GenerateCPU   float64 `json:"generate_cpu_ms"`
	BareLoadCPU   float64 `json:"bare_load_cpu_ms"`
	BareLoadVCPU  float64 `json:"bare_load_validate_cpu_ms"`
	OriginLoadCPU float64 `json:"origin_load_cpu_ms"`
	JSONLoadCPU   float64 `json:"json_load_cpu_ms"`
	// From the CPU profile of generator.Generate.
	ProfileSeconds float64  `json:"profile_seconds"`
	Buckets        []Bucket `json:"buckets"`      // by phase
	LoadBuckets    []Bucket `json:"load_buckets"` // inside load, by library
	EmitBuckets    []Bucket `json:"emit_buckets"` // inside emit, jennifer vs gofmt
	Hotspots       []Hot    `json:"hotspots"`     // our functions
	AllocHotspots  []Hot    `json:"alloc_hotspots,omitempty"`
}

// Bucket is a share of the profile.
type Bucket struct {
	Name string  `json:"name"`
	Pct  float64 `json:"pct"`
}

// Hot is one of our functions: Own is the share of samples whose innermost
// kiiexgen frame is this function (its own code plus the library and
// runtime code it calls directly), Cum the share with it anywhere on the
// stack.
type Hot struct {
	Func string  `json:"func"`
	File string  `json:"file"`
	Own  float64 `json:"own_pct"`
	Cum  float64 `json:"cum_pct"`
	Flat float64 `json:"flat_pct"`
}

const ourPrefix = "github.com/kiiexgen/kiiexgen/"

// isOurs reports whether a function is kiiexgen's (the bench module aside).
func isOurs(fn string) bool {
	return strings.HasPrefix(fn, ourPrefix) && !strings.HasPrefix(fn, ourPrefix+"bench/")
}

func main() {
	spec := flag.String("spec", "", "OpenAPI document")
	n := flag.Int("n", 10, "iterations per measurement")
	out := flag.String("o", "", "write the JSON result here")
	cpuprof := flag.String("cpuprofile", "", "write the CPU profile of generator.Generate here")
	memprof := flag.String("memprofile", "", "write the allocation profile of generator.Generate here")
	root := flag.String("root", "..", "repository root (to print file paths relative to it)")
	flag.Parse()
	if *memprof != "" {
		runtime.MemProfileRate = 64 << 10
	}
	if *spec == "" {
		fail(fmt.Errorf("-spec is required"))
	}
	ctx := context.Background()
	res := Result{Spec: *spec, Iters: *n}
	names, methods, rtFiles, err := runtimeNames()
	if err != nil {
		fail(err)
	}

	var loadT, buildT, emitT, rtT, genT []float64
	var loadC, buildC, emitC, rtC, genC []float64
	for i := -1; i < *n; i++ {
		runtime.GC() // every iteration starts from the same heap
		c0 := cpuNow()
		t0 := time.Now()
		doc, err := load.File(ctx, *spec, load.Options{})
		if err != nil {
			fail(err)
		}
		t1, c1 := time.Now(), cpuNow()
		pkg, _, err := build.Build(doc.Doc, build.Options{
			Package: "bench", Source: *spec, Reserved: names, ReservedMethods: methods, Locate: doc.Locate,
		})
		if err != nil {
			fail(err)
		}
		t2, c2 := time.Now(), cpuNow()
		files, err := emit.Emit(pkg)
		if err != nil {
			fail(err)
		}
		t3, c3 := time.Now(), cpuNow()
		_ = files
		// Stand-in for the runtime templates' parse (for the names they
		// declare), which the CLI pays once per process
		// (generator.parseRuntime, behind a sync.Once).
		for _, src := range rtFiles {
			if _, err := parser.ParseFile(token.NewFileSet(), "", src, parser.ParseComments|parser.SkipObjectResolution); err != nil {
				fail(err)
			}
		}
		t4, c4 := time.Now(), cpuNow()
		if _, _, err := generator.Generate(ctx, generator.Input{Path: *spec}, generator.Options{Package: "bench"}); err != nil {
			fail(err)
		}
		t5, c5 := time.Now(), cpuNow()
		if i < 0 {
			continue
		}
		loadT = append(loadT, ms(t1.Sub(t0)))
		buildT = append(buildT, ms(t2.Sub(t1)))
		emitT = append(emitT, ms(t3.Sub(t2)))
		rtT = append(rtT, ms(t4.Sub(t3)))
		genT = append(genT, ms(t5.Sub(t4)))
		loadC = append(loadC, ms(c1-c0))
		buildC = append(buildC, ms(c2-c1))
		emitC = append(emitC, ms(c3-c2))
		rtC = append(rtC, ms(c4-c3))
		genC = append(genC, ms(c5-c4))
	}
	res.LoadCPU, res.BuildCPU, res.EmitCPU, res.RuntimeCPU, res.GenerateCPU =
		median(loadC), median(buildC), median(emitC), median(rtC), median(genC)
	res.PhaseSumCPU = res.LoadCPU + res.BuildCPU + res.EmitCPU + res.RuntimeCPU
	res.LoadMS, res.BuildMS, res.EmitMS, res.RuntimeMS, res.GenerateMS =
		median(loadT), median(buildT), median(emitT), median(rtT), median(genT)
	res.PhaseSumMS = res.LoadMS + res.BuildMS + res.EmitMS + res.RuntimeMS

	res.BareLoadMS, res.BareLoadCPU = timeIt(*n, func() error {
		_, err := openapi3.NewLoader().LoadFromFile(*spec)
		return err
	})
	res.BareLoadVMS, res.BareLoadVCPU = timeIt(*n, func() error {
		doc, err := openapi3.NewLoader().LoadFromFile(*spec)
		if err != nil {
			return err
		}
		_ = doc.Validate(ctx) // findings are not failures here
		return nil
	})
	res.OriginLoadMS, res.OriginLoadCPU = timeIt(*n, func() error {
		l := openapi3.NewLoader()
		l.IncludeOrigin = true
		_, err := l.LoadFromFile(*spec)
		return err
	})

	res.ReadMS, res.ReadCPU = timeIt(*n, func() error {
		_, err := os.ReadFile(*spec)
		return err
	})
	res.TokenizeMS, res.TokenizeCPU = timeIt(*n, func() error {
		data, err := os.ReadFile(*spec)
		if err != nil {
			return err
		}
		if strings.HasSuffix(*spec, ".json") {
			if !json.Valid(data) {
				return fmt.Errorf("%s: invalid JSON", *spec)
			}
			return nil
		}
		var n yaml.Node
		return yaml.Unmarshal(data, &n)
	})

	if abs, err := filepath.Abs(*spec); err == nil && strings.HasSuffix(abs, ".json") {
		data, err := os.ReadFile(abs)
		if err != nil {
			fail(err)
		}
		res.JSONLoadMS, res.JSONLoadCPU = timeIt(*n, func() error {
			doc := &openapi3.T{}
			if err := json.Unmarshal(data, doc); err != nil {
				return err
			}
			return openapi3.NewLoader().ResolveRefsIn(doc, &url.URL{Path: filepath.ToSlash(abs)})
		})
	}

	if *cpuprof != "" {
		f, err := os.Create(*cpuprof)
		if err != nil {
			fail(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fail(err)
		}
		start := time.Now()
		for range *n {
			if _, _, err := generator.Generate(ctx, generator.Input{Path: *spec}, generator.Options{Package: "bench"}); err != nil {
				fail(err)
			}
		}
		res.ProfileSeconds = time.Since(start).Seconds()
		pprof.StopCPUProfile()
		f.Close()
		absRoot, _ := filepath.Abs(*root)
		if err := analyzeCPU(*cpuprof, absRoot, &res); err != nil {
			fail(err)
		}
		if *memprof != "" {
			mf, err := os.Create(*memprof)
			if err != nil {
				fail(err)
			}
			if err := pprof.Lookup("allocs").WriteTo(mf, 0); err != nil {
				fail(err)
			}
			mf.Close()
			if hs, err := analyzeAllocs(*memprof, absRoot); err == nil {
				res.AllocHotspots = hs
			} else {
				fail(err)
			}
		}
	}

	fmt.Printf("%s, median of %d, wall ms: load %.0f  build %.0f  emit %.0f  runtime %.0f  = %.0f; Generate %.0f\n",
		filepath.Base(*spec), *n, res.LoadMS, res.BuildMS, res.EmitMS, res.RuntimeMS, res.PhaseSumMS, res.GenerateMS)
	fmt.Printf("%s, median of %d, CPU ms:  load %.0f  build %.0f  emit %.0f  runtime %.0f  = %.0f; Generate %.0f\n",
		filepath.Base(*spec), *n, res.LoadCPU, res.BuildCPU, res.EmitCPU, res.RuntimeCPU, res.PhaseSumCPU, res.GenerateCPU)
	fmt.Printf("bare kin-openapi LoadFromFile: wall %.0f ms, CPU %.0f ms (with Validate %.0f/%.0f, with IncludeOrigin %.0f/%.0f); Generate/bare load = %.2fx wall, %.2fx CPU\n",
		res.BareLoadMS, res.BareLoadCPU, res.BareLoadVMS, res.BareLoadVCPU, res.OriginLoadMS, res.OriginLoadCPU,
		res.GenerateMS/res.BareLoadMS, res.GenerateCPU/res.BareLoadCPU)
	if res.JSONLoadMS > 0 {
		fmt.Printf("kin-openapi JSON path (json.Unmarshal + ResolveRefsIn): wall %.0f ms, CPU %.0f ms\n", res.JSONLoadMS, res.JSONLoadCPU)
	}
	for _, b := range res.Buckets {
		fmt.Printf("  %-40s %5.1f%%\n", b.Name, b.Pct)
	}
	for _, h := range res.Hotspots {
		fmt.Printf("  own %5.1f%%  cum %5.1f%%  %s (%s)\n", h.Own, h.Cum, h.Func, h.File)
	}
	if *out != "" {
		b, _ := json.MarshalIndent(res, "", "  ")
		if err := os.WriteFile(*out, append(b, '\n'), 0o644); err != nil {
			fail(err)
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "phases:", err)
	os.Exit(1)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func median(v []float64) float64 {
	s := slices.Clone(v)
	sort.Float64s(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// timeIt returns the median wall and CPU milliseconds of f.
func timeIt(n int, f func() error) (wall, cpu float64) {
	var ts, cs []float64
	for i := -1; i < n; i++ {
		runtime.GC()
		t, c := time.Now(), cpuNow()
		if err := f(); err != nil {
			fail(err)
		}
		if i >= 0 {
			ts = append(ts, ms(time.Since(t)))
			cs = append(cs, ms(cpuNow()-c))
		}
	}
	return median(ts), median(cs)
}

// cpuNow is the process's CPU time so far (user+sys, all threads).
func cpuNow() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(syscall.TimevalToNsec(ru.Utime) + syscall.TimevalToNsec(ru.Stime))
}

// runtimeNames mirrors generator/runtime.go's parseRuntime (unexported):
// the names the runtime declares, which the build stage must avoid, and
// the runtime files as generator.Generate formats them.
func runtimeNames() (names, methods []string, files [][]byte, err error) {
	ents, err := fs.ReadDir(templates.FS, ".")
	if err != nil {
		return nil, nil, nil, err
	}
	nm, mm := map[string]bool{}, map[string]bool{}
	for _, e := range ents {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") || name == "embed.go" || name == "stubs.go" {
			continue
		}
		src, err := fs.ReadFile(templates.FS, name)
		if err != nil {
			return nil, nil, nil, err
		}
		files = append(files, src)
		f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.SkipObjectResolution)
		if err != nil {
			return nil, nil, nil, err
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					nm[d.Name.Name] = true
				} else {
					mm[d.Name.Name] = true // a superset of the methods on Client: fine for timing
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						nm[s.Name.Name] = true
					case *ast.ValueSpec:
						for _, id := range s.Names {
							nm[id.Name] = true
						}
					}
				}
			}
		}
	}
	for _, h := range []string{"securitySchemes", "unionOnlyKeys", "unionKind", "unionValueIs", "unionItemsKind", "unionStringIn", "decodeJSON", "decodeSlice", "decodeMap", "plain"} {
		nm[h] = true
	}
	for k := range nm {
		names = append(names, k)
	}
	for k := range mm {
		methods = append(methods, k)
	}
	sort.Strings(names)
	sort.Strings(methods)
	return names, methods, files, nil
}

// ---------------------------------------------------------------- profile analysis

type frame struct{ fn, file string }

// stacks returns each sample's frames, leaf first, inlined frames expanded.
func stacks(p *profile.Profile, valueIndex int) ([][]frame, []int64) {
	var ss [][]frame
	var vs []int64
	for _, s := range p.Sample {
		var st []frame
		for _, loc := range s.Location {
			for _, ln := range loc.Line {
				if ln.Function != nil {
					st = append(st, frame{ln.Function.Name, ln.Function.Filename})
				}
			}
		}
		ss = append(ss, st)
		vs = append(vs, s.Value[valueIndex])
	}
	return ss, vs
}

func has(st []frame, pred func(string) bool) bool {
	return slices.ContainsFunc(st, func(f frame) bool { return pred(f.fn) })
}

func prefix(p string) func(string) bool {
	return func(s string) bool { return strings.HasPrefix(s, p) }
}

func exact(names ...string) func(string) bool {
	return func(s string) bool { return slices.Contains(names, s) }
}

func analyzeCPU(path, root string, res *Result) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	p, err := profile.Parse(f)
	if err != nil {
		return err
	}
	ss, vs := stacks(p, 1) // cpu nanoseconds
	var total int64
	for _, v := range vs {
		total += v
	}
	if total == 0 {
		return fmt.Errorf("empty CPU profile")
	}
	pct := func(v int64) float64 { return 100 * float64(v) / float64(total) }

	// Phases, by the outermost pipeline function on the stack.
	phase := map[string]int64{}
	loadLib := map[string]int64{}
	emitLib := map[string]int64{}
	for i, st := range ss {
		v := vs[i]
		var name string
		switch {
		case has(st, prefix(ourPrefix+"generator/load.")):
			name = "load (parse, repair, kin-openapi load + validate)"
			loadLib[libOf(st)] += v
		case has(st, prefix(ourPrefix+"generator/build.")):
			name = "build (IR)"
		case has(st, prefix(ourPrefix+"generator/emit.")):
			name = "emit (jennifer, incl. its gofmt)"
			if has(st, prefix("go/format.")) {
				emitLib["jennifer's go/format.Source"] += v
			} else {
				emitLib["building + rendering jen.Code"] += v
			}
		case has(st, exact(ourPrefix+"generator.(*runtimeSet).render", ourPrefix+"generator.parseRuntime")):
			name = "runtime templates (parse)"
		case has(st, exact(ourPrefix+"generator.Generate")) && has(st, prefix("go/format.")):
			name = "second gofmt pass (generator.Generate)"
		case has(st, exact(ourPrefix+"generator.Generate")):
			name = "generator.Generate, other"
		case has(st, prefix("github.com/getkin/kin-openapi/")) || has(st, prefix("go.yaml.in/yaml/")):
			// Only load calls kin-openapi's loader and yaml; a stack
			// deeper than profstackdepth lost its kiiexgen frames.
			name = "load (parse, repair, kin-openapi load + validate)"
			loadLib[libOf(st)] += v
		case has(st, exact("runtime.gcBgMarkWorker")):
			name = "GC background workers"
		default:
			name = "other (runtime, profiler)"
		}
		phase[name] += v
	}
	res.Buckets = buckets(phase, pct)
	res.LoadBuckets = buckets(loadLib, pct)
	res.EmitBuckets = buckets(emitLib, pct)

	res.Hotspots = hotspots(ss, vs, total, root, 15)
	return nil
}

// libOf names the code a load-phase sample is in. kin-openapi decodes
// through go.yaml.in/yaml and validates with regexp and jsonschema, so a
// kin-openapi frame anywhere on the stack claims the sample; otherwise the
// innermost kiiexgen function does.
func libOf(st []frame) string {
	in := func(fn string) bool { return has(st, exact(ourPrefix+"generator/load."+fn)) }
	kin := has(st, prefix("github.com/getkin/kin-openapi/"))
	switch {
	case in("parseFile"):
		return "parse: JSON/YAML into a node tree, guards, pointer index (parseFile)"
	case in("(*loader).prepare"):
		return "checks and repairs on the tree (prepare)"
	case in("kinTree"):
		return "the tree as kin-openapi reads it (kinTree)"
	case in("(*loader).addOrigins"):
		return "Origins for the model (addOrigins)"
	case kin && has(st, func(s string) bool { return strings.Contains(s, "ResolveRefsIn") }):
		return "kin-openapi: resolving $refs"
	case kin && (in("(*loader).decodeTree") || has(st, prefix("go.yaml.in/yaml/"))):
		// Deep recursion can cost a stack its kiiexgen frames; only
		// decodeTree (and the rare text load) decodes YAML into openapi3.
		return "kin-openapi: decoding the tree into openapi3 types"
	case in("(*loader).validate"):
		return "validation (kin-openapi's checks, examples, defaults)"
	case in("(*loader).fixOrigins"):
		return "Origins to file positions (fixOrigins)"
	case has(st, prefix("github.com/getkin/kin-openapi/")):
		if has(st, prefix("go.yaml.in/yaml/")) {
			return "kin-openapi load: yaml decoding into openapi3 types"
		}
		return "kin-openapi load: refs, origins, other"
	case has(st, prefix("go.yaml.in/yaml/")):
		return "yaml parse of the input (our parseFile)"
	}
	for _, f := range st {
		if isOurs(f.fn) {
			return "our load code (" + shortFunc(f.fn) + ")"
		}
	}
	return "runtime (GC assist, malloc) in load"
}

func buckets(m map[string]int64, pct func(int64) float64) []Bucket {
	var out []Bucket
	for k, v := range m {
		out = append(out, Bucket{k, round1(pct(v))})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Pct != out[j].Pct {
			return out[i].Pct > out[j].Pct
		}
		return out[i].Name < out[j].Name
	})
	// Fold the tail of "our load code (...)" buckets so the table stays short.
	var kept []Bucket
	var rest float64
	for _, b := range out {
		if strings.HasPrefix(b.Name, "our load code (") && b.Pct < 1 {
			rest += b.Pct
			continue
		}
		kept = append(kept, b)
	}
	if rest > 0 {
		kept = append(kept, Bucket{"our load code (other functions)", round1(rest)})
	}
	return kept
}

func round1(f float64) float64 { return float64(int(f*10+0.5)) / 10 }

func shortFunc(fn string) string { return strings.TrimPrefix(fn, ourPrefix) }

// hotspots ranks our functions by own time (see Hot).
func hotspots(ss [][]frame, vs []int64, total int64, root string, k int) []Hot {
	own := map[string]int64{}
	cum := map[string]int64{}
	flat := map[string]int64{}
	files := map[string]string{}
	for i, st := range ss {
		v := vs[i]
		seen := map[string]bool{}
		first := true
		for j, f := range st {
			if !isOurs(f.fn) {
				continue
			}
			files[f.fn] = f.file
			if j == 0 {
				flat[f.fn] += v
			}
			if first {
				own[f.fn] += v
				first = false
			}
			if !seen[f.fn] {
				cum[f.fn] += v
				seen[f.fn] = true
			}
		}
	}
	var out []Hot
	for fn, v := range own {
		file := files[fn]
		if r, err := filepath.Rel(root, file); err == nil && !strings.HasPrefix(r, "..") {
			file = r
		}
		out = append(out, Hot{
			Func: shortFunc(fn), File: file,
			Own:  round1(100 * float64(v) / float64(total)),
			Cum:  round1(100 * float64(cum[fn]) / float64(total)),
			Flat: round1(100 * float64(flat[fn]) / float64(total)),
		})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Own != out[j].Own {
			return out[i].Own > out[j].Own
		}
		return out[i].Func < out[j].Func
	})
	if len(out) > k {
		out = out[:k]
	}
	return out
}

func analyzeAllocs(path, root string) ([]Hot, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	p, err := profile.Parse(f)
	if err != nil {
		return nil, err
	}
	idx := -1
	for i, st := range p.SampleType {
		if st.Type == "alloc_space" {
			idx = i
		}
	}
	if idx < 0 {
		return nil, fmt.Errorf("no alloc_space in %s", path)
	}
	ss, vs := stacks(p, idx)
	// Percentages of what our code allocates (the bare kin-openapi loads
	// in the same process are left out).
	var total int64
	for i, st := range ss {
		if slices.ContainsFunc(st, func(f frame) bool { return isOurs(f.fn) }) {
			total += vs[i]
		}
	}
	if total == 0 {
		return nil, nil
	}
	return hotspots(ss, vs, total, root, 10), nil
}
