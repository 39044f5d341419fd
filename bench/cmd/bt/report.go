package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// The inputs and generators, in table order. File names in the results
// directory use the ids: gen_<input>_<tool>.json and so on.
var (
	inputs = []struct{ id, title string }{
		{"kiiex", "spec/kiiex.yaml (KIIEX)"},
		{"twilio", "Twilio api_v2010 (1.87 MB)"},
	}
	// Generation only, kiiexgen against oapi-codegen (run.sh alt_gen).
	largeInputs = []struct{ id, title string }{
		{"stripe", "Stripe spec3.yaml (4.2 MB YAML)"},
		{"github", "GitHub api.github.com.json (3.7 MB, ogen's corpus)"},
	}
	tools = []struct{ id, name string }{
		{"kiiexgen", "kiiexgen"},
		{"oapi", "oapi-codegen"},
		{"ogen", "ogen"},
	}
)

// Markers delimiting the generated parts of BENCHMARKS.md.
const (
	resultsBegin = "<!-- bench:results:begin (written by bench/run.sh; edits here are overwritten) -->"
	resultsEnd   = "<!-- bench:results:end -->"
	logBegin     = "<!-- bench:log:begin (written by bench/run.sh) -->"
	logEnd       = "<!-- bench:log:end -->"
)

func cmdReport(args []string) error {
	fl := flag.NewFlagSet("report", flag.ExitOnError)
	dir := fl.String("results", "", "results directory of a run")
	md := fl.String("md", "", "BENCHMARKS.md to update between the results markers")
	logFile := fl.String("log", "", "instead of the results: put this run log between the log markers of -md")
	fl.Parse(args)
	if *logFile != "" {
		if *md == "" {
			return errors.New("report: -log needs -md")
		}
		b, err := os.ReadFile(*logFile)
		if err != nil {
			return err
		}
		text := "```text\n" + strings.TrimRight(logWithoutReport(stripANSI(string(b))), "\n") + "\n```\n"
		return splice(*md, logBegin, logEnd, text)
	}
	if *dir == "" {
		return errors.New("report: need -results")
	}
	text, err := render(*dir)
	if err != nil {
		return err
	}
	fmt.Print(text)
	if *md != "" {
		return splice(*md, resultsBegin, resultsEnd, text)
	}
	return nil
}

// logWithoutReport drops the report step's output from a run log: it is
// the Results section already.
func logWithoutReport(log string) string {
	var out []string
	skip := false
	for _, line := range strings.Split(log, "\n") {
		if strings.HasPrefix(line, "== [") {
			skip = strings.HasSuffix(line, "] report")
			out = append(out, line)
			if skip {
				out = append(out, "(the report: see Results above)")
			}
			continue
		}
		if !skip {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

var ansiRE = regexp.MustCompile(`\x1b\[[0-9;]*m`)

func stripANSI(s string) string { return ansiRE.ReplaceAllString(s, "") }

// splice replaces what is between begin and end in file (appending both
// markers at the end when they are missing).
func splice(file, begin, end, text string) error {
	b, err := os.ReadFile(file)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	s := string(b)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	block := begin + "\n\n" + strings.TrimRight(text, "\n") + "\n\n" + end
	if i < 0 || j < i {
		s = strings.TrimRight(s, "\n") + "\n\n" + block + "\n"
	} else {
		s = s[:i] + block + s[j+len(end):]
	}
	return os.WriteFile(file, []byte(s), 0o644)
}

// ---------------------------------------------------------------- rendering

type results struct {
	dir    string
	facts  map[string]string
	gen    map[string]*TimeResult // key input_tool
	cold   map[string]*TimeResult
	pkg    map[string]*TimeResult
	loc    map[string]*LocResult
	deps   map[string]*DepsResult
	seed   *TimeResult
	gogc   *TimeResult
	bench  map[string]map[string]map[string][]float64 // benchmark -> tool -> unit -> values
	order  []string                                   // benchmarks in output order
	phases map[string]any
}

func load(dir string) (*results, error) {
	r := &results{dir: dir, facts: map[string]string{},
		gen: map[string]*TimeResult{}, cold: map[string]*TimeResult{}, pkg: map[string]*TimeResult{},
		loc: map[string]*LocResult{}, deps: map[string]*DepsResult{}}
	if err := readJSON(filepath.Join(dir, "facts.json"), &r.facts); err != nil {
		return nil, err
	}
	for _, in := range inputs {
		for _, t := range tools {
			k := in.id + "_" + t.id
			for prefix, m := range map[string]map[string]*TimeResult{"gen": r.gen, "cold": r.cold, "pkg": r.pkg} {
				var tr TimeResult
				if readJSON(filepath.Join(dir, prefix+"_"+k+".json"), &tr) == nil {
					m[k] = &tr
				}
			}
			var lr LocResult
			if readJSON(filepath.Join(dir, "loc_"+k+".json"), &lr) == nil {
				r.loc[k] = &lr
			}
			var dr DepsResult
			if readJSON(filepath.Join(dir, "deps_"+k+".json"), &dr) == nil {
				r.deps[k] = &dr
			}
		}
	}
	for _, in := range largeInputs {
		for _, t := range tools {
			var tr TimeResult
			if readJSON(filepath.Join(dir, "gen_"+in.id+"_"+t.id+".json"), &tr) == nil {
				r.gen[in.id+"_"+t.id] = &tr
			}
		}
	}
	var seed TimeResult
	if readJSON(filepath.Join(dir, "std_seed.json"), &seed) == nil {
		r.seed = &seed
	}
	var gc TimeResult
	if readJSON(filepath.Join(dir, "gogc400_twilio_kiiexgen.json"), &gc) == nil {
		r.gogc = &gc
	}
	var ph map[string]any
	if readJSON(filepath.Join(dir, "phases.json"), &ph) == nil {
		r.phases = ph
	}
	if f, err := os.Open(filepath.Join(dir, "clients.txt")); err == nil {
		defer f.Close()
		r.bench, r.order = parseBench(f)
	}
	return r, nil
}

// benchLineRE matches "BenchmarkX/gen=tool-2   	 100	 123 ns/op	 45 B/op	 6 allocs/op".
var benchLineRE = regexp.MustCompile(`^Benchmark([^/\s]+)/gen=(\S+?)(?:-\d+)?\s+\d+\s+(.*)$`)

func parseBench(f *os.File) (map[string]map[string]map[string][]float64, []string) {
	out := map[string]map[string]map[string][]float64{}
	var order []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		m := benchLineRE.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		name, tool := m[1], m[2]
		if out[name] == nil {
			out[name] = map[string]map[string][]float64{}
			order = append(order, name)
		}
		if out[name][tool] == nil {
			out[name][tool] = map[string][]float64{}
		}
		f := strings.Fields(m[3])
		for i := 0; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err == nil {
				out[name][tool][f[i+1]] = append(out[name][tool][f[i+1]], v)
			}
		}
	}
	return out, order
}

func render(dir string) (string, error) {
	r, err := load(dir)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	f := r.facts

	p("### Run of %s\n\n", f["date"])
	p("- Machine: %s CPUs (`nproc`), %s, %s RAM, Linux %s; load average %s at the start, %s at the end (other jobs shared the machine).\n",
		f["nproc"], f["cpu"], f["mem"], f["kernel"], f["loadavg_start"], f["loadavg_end"])
	p("- %s; kiiexgen %s; oapi-codegen %s; ogen %s (oapi-codegen/runtime %s for its generated code).\n",
		f["go"], f["kiiexgen"], f["oapi-codegen"], f["ogen"], f["oapi-runtime"])
	p("- Whole run (`make bench`): %s.\n\n", f["elapsed"])

	for _, in := range inputs {
		if _, ok := r.gen[in.id+"_kiiexgen"]; !ok {
			p("#### %s\n\nskipped: %s\n\n", in.title, orDefault(f["skip_"+in.id], "no results"))
			continue
		}
		p("#### %s\n\n", in.title)
		p("| | kiiexgen | oapi-codegen | ogen | kiiexgen / oapi-codegen | kiiexgen / ogen |\n")
		p("| --- | ---: | ---: | ---: | ---: | ---: |\n")
		row := func(label string, get func(k string) (float64, string, string)) {
			p("| %s ", label)
			vals := map[string]float64{}
			for _, t := range tools {
				v, txt, fail := get(in.id + "_" + t.id)
				if fail != "" {
					p("| %s ", fail)
					continue
				}
				vals[t.id] = v
				p("| %s ", txt)
			}
			for _, peer := range []string{"oapi", "ogen"} {
				a, okA := vals["kiiexgen"]
				c, okC := vals[peer]
				if okA && okC && c != 0 {
					p("| %s ", ratio(a/c))
				} else {
					p("| — ")
				}
			}
			p("|\n")
		}
		n := 0
		if g := r.gen[in.id+"_kiiexgen"]; g != nil {
			n = g.Runs
		}
		row(fmt.Sprintf("generation, wall (median of %d runs)", n), timeCell(r.gen, func(t *TimeResult) float64 { return t.MedianWallMS }, secs))
		row("generation, CPU user+sys (median)", timeCell(r.gen, func(t *TimeResult) float64 { return t.MedianCPUMS }, secs))
		row("generation, peak RSS", timeCell(r.gen, func(t *TimeResult) float64 { return float64(t.PeakRSSKB) }, mib))
		row("generated lines (.go)", func(k string) (float64, string, string) {
			if fail := genFailed(r, k); fail != "" {
				return 0, "", fail
			}
			l := r.loc[k]
			if l == nil {
				return 0, "", "—"
			}
			return float64(l.Lines), thousands(l.Lines), ""
		})
		row("generated files", func(k string) (float64, string, string) {
			if fail := genFailed(r, k); fail != "" {
				return 0, "", fail
			}
			l := r.loc[k]
			if l == nil {
				return 0, "", "—"
			}
			return float64(l.Files), strconv.Itoa(l.Files), ""
		})
		row("third-party modules the code needs", func(k string) (float64, string, string) {
			if fail := genFailed(r, k); fail != "" {
				return 0, "", fail
			}
			d := r.deps[k]
			if d == nil {
				return 0, "", "—"
			}
			if !d.OK {
				return 0, "", "failed: " + mdEscape(d.Err)
			}
			return float64(len(d.Modules)), strconv.Itoa(len(d.Modules)), ""
		})
		cn := 0
		if c := r.cold[in.id+"_kiiexgen"]; c != nil {
			cn = c.Runs
		}
		row(fmt.Sprintf("compile, cold (std lib cached; %d run)", cn), compileCell(r, r.cold, func(t *TimeResult) float64 { return t.MedianWallMS }))
		pn := 0
		if c := r.pkg[in.id+"_kiiexgen"]; c != nil {
			pn = c.Runs
		}
		row(fmt.Sprintf("compile, generated package only (median of %d)", pn), compileCell(r, r.pkg, func(t *TimeResult) float64 { return t.MedianWallMS }))
		p("\n")
		// Module lists.
		for _, t := range tools {
			d := r.deps[in.id+"_"+t.id]
			if d == nil || !d.OK || len(d.Modules) == 0 {
				continue
			}
			p("- %s's generated code needs: %s\n", t.name, strings.Join(codeEach(d.Modules), ", "))
		}
		p("\n")
	}
	if r.seed != nil && r.seed.OK {
		p("Compiling the standard library packages these clients use (net/http and friends) from an empty cache took %s (CPU %s); a fully cold build (empty GOCACHE) costs that on top of the \"cold\" row.\n\n",
			secs(r.seed.MedianWallMS), secs(r.seed.MedianCPUMS))
	}

	renderLarge(&b, r)
	renderBench(&b, r)
	renderPhases(&b, r)
	renderTargets(&b, r)
	return b.String(), nil
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func codeEach(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = "`" + s + "`"
	}
	return out
}

func genFailed(r *results, k string) string {
	g := r.gen[k]
	if g == nil {
		return "—"
	}
	if !g.OK {
		return "failed: " + mdEscape(g.Err)
	}
	return ""
}

func timeCell(m map[string]*TimeResult, get func(*TimeResult) float64, format func(float64) string) func(string) (float64, string, string) {
	return func(k string) (float64, string, string) {
		t := m[k]
		if t == nil {
			return 0, "", "—"
		}
		if !t.OK {
			return 0, "", "failed: " + mdEscape(t.Err)
		}
		v := get(t)
		return v, format(v), ""
	}
}

func compileCell(r *results, m map[string]*TimeResult, get func(*TimeResult) float64) func(string) (float64, string, string) {
	return func(k string) (float64, string, string) {
		if fail := genFailed(r, k); fail != "" {
			return 0, "", fail
		}
		return timeCell(m, get, secs)(k)
	}
}

func mdEscape(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "`", "'")
}

func secs(ms float64) string {
	switch {
	case ms >= 10000:
		return fmt.Sprintf("%.1f s", ms/1000)
	case ms >= 1000:
		return fmt.Sprintf("%.2f s", ms/1000)
	default:
		return fmt.Sprintf("%.0f ms", ms)
	}
}

func mib(kb float64) string { return fmt.Sprintf("%.0f MiB", kb/1024) }

func ratio(x float64) string {
	if x >= 10 {
		return fmt.Sprintf("%.0f×", x)
	}
	return fmt.Sprintf("%.2f×", x)
}

func thousands(n int) string {
	s := strconv.Itoa(n)
	var out []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

func num(v float64) string {
	switch {
	case v >= 100:
		return thousands(int(math.Round(v)))
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.2f", v)
	}
}

// ---------------------------------------------------------------- client benchmarks

func renderBench(b *strings.Builder, r *results) {
	p := func(format string, a ...any) { fmt.Fprintf(b, format, a...) }
	if len(r.order) == 0 {
		p("#### Generated code benchmarks\n\nnot run: %s\n\n", orDefault(r.facts["skip_clients"], "no results"))
		return
	}
	count := 0
	for _, name := range r.order {
		for _, units := range r.bench[name] {
			count = max(count, len(units["ns/op"]))
		}
	}
	p("#### Generated code benchmarks (KIIEX clients; median of %d, `go test -bench . -benchmem -count %d`)\n\n", count, count)
	for _, unit := range []string{"ns/op", "B/op", "allocs/op"} {
		p("| %s | kiiexgen | oapi-codegen | ogen | kiiexgen / oapi-codegen | kiiexgen / ogen |\n", unit)
		p("| --- | ---: | ---: | ---: | ---: | ---: |\n")
		for _, name := range r.order {
			p("| %s ", name)
			med := map[string]float64{}
			for _, t := range tools {
				vs := r.bench[name][t.name][unit]
				if len(vs) == 0 {
					p("| — ")
					continue
				}
				med[t.id] = median(vs)
				p("| %s ", num(med[t.id]))
			}
			for _, peer := range []string{"oapi", "ogen"} {
				a, okA := med["kiiexgen"]
				c, okC := med[peer]
				switch {
				case okA && okC && c != 0:
					p("| %s ", ratio(a/c))
				case okA && okC:
					p("| — ")
				default:
					p("| — ")
				}
			}
			p("|\n")
		}
		p("\n")
	}
}

// ---------------------------------------------------------------- phases

func fnum(m map[string]any, k string) float64 {
	v, _ := m[k].(float64)
	return v
}

func renderPhases(b *strings.Builder, r *results) {
	p := func(format string, a ...any) { fmt.Fprintf(b, format, a...) }
	ph := r.phases
	if ph == nil {
		p("#### Where kiiexgen's time goes (Twilio)\n\nnot run: %s\n\n", orDefault(r.facts["skip_phases"], "no results"))
		return
	}
	iters := int(fnum(ph, "iters"))
	p("#### Where kiiexgen's time goes (Twilio, in process, median of %d after a warm-up)\n\n", iters)
	floorC := fnum(ph, "tokenize_cpu_ms")
	p("The physical floor is reading the file and tokenizing it (JSON: `json.Valid`, encoding/json's scanner; YAML: go-yaml's parse into a node tree); \"× floor\" is each row's CPU time over the floor's.\n\n")
	p("| phase | wall | CPU (all threads, GC included) | × floor |\n| --- | ---: | ---: | ---: |\n")
	for _, row := range []struct{ label, wall, cpu string }{
		{"physical floor: read the file", "read_ms", "read_cpu_ms"},
		{"physical floor: read + tokenize", "tokenize_ms", "tokenize_cpu_ms"},
		{"load: parse, checks and repairs, kin-openapi decode of our tree, $refs, Origins, validation", "load_ms", "load_cpu_ms"},
		{"build: spec → IR", "build_ms", "build_cpu_ms"},
		{"emit: jennifer render (incl. jennifer's own gofmt)", "emit_ms", "emit_cpu_ms"},
		{"runtime templates: parse each (once per process)", "runtime_ms", "runtime_cpu_ms"},
		{"**sum of phases**", "phase_sum_ms", "phase_sum_cpu_ms"},
		{"generator.Generate end to end", "generate_ms", "generate_cpu_ms"},
		{"bare kin-openapi `openapi3.NewLoader().LoadFromFile`", "bare_load_ms", "bare_load_cpu_ms"},
		{"… with `IncludeOrigin = true`", "origin_load_ms", "origin_load_cpu_ms"},
		{"… plus `doc.Validate`", "bare_load_validate_ms", "bare_load_validate_cpu_ms"},
		{"kin-openapi's JSON path: `json.Unmarshal` into `openapi3.T` + `Loader.ResolveRefsIn`", "json_load_ms", "json_load_cpu_ms"},
	} {
		if fnum(ph, row.wall) == 0 {
			continue
		}
		x := "—"
		if floorC > 0 {
			x = ratio(fnum(ph, row.cpu) / floorC)
		}
		p("| %s | %s | %s | %s |\n", row.label, secs(fnum(ph, row.wall)), secs(fnum(ph, row.cpu)), x)
	}
	p("\n")
	list := func(key string) []map[string]any {
		raw, _ := ph[key].([]any)
		var out []map[string]any
		for _, x := range raw {
			if m, ok := x.(map[string]any); ok {
				out = append(out, m)
			}
		}
		return out
	}
	p("CPU profile of %d × generator.Generate (%.1f s), by phase: ", iters, fnum(ph, "profile_seconds"))
	var parts []string
	for _, bk := range list("buckets") {
		parts = append(parts, fmt.Sprintf("%s %.1f%%", bk["name"], fnum(bk, "pct")))
	}
	p("%s.\n\n", strings.Join(parts, "; "))
	parts = nil
	for _, bk := range list("load_buckets") {
		parts = append(parts, fmt.Sprintf("%s %.1f%%", bk["name"], fnum(bk, "pct")))
	}
	p("Inside load (shares of the whole profile): %s.\n\n", strings.Join(parts, "; "))
	parts = nil
	for _, bk := range list("emit_buckets") {
		parts = append(parts, fmt.Sprintf("%s %.1f%%", bk["name"], fnum(bk, "pct")))
	}
	p("Inside emit: %s.\n\n", strings.Join(parts, "; "))
	p("Our functions by *own* CPU (samples whose innermost kiiexgen frame is the function: its code plus the library calls it makes directly); *cum* = anywhere on the stack:\n\n")
	p("| own | cum | function | file |\n| ---: | ---: | --- | --- |\n")
	for _, h := range list("hotspots") {
		p("| %.1f%% | %.1f%% | `%s` | %s |\n", fnum(h, "own_pct"), fnum(h, "cum_pct"), h["func"], h["file"])
	}
	p("\n")
	if g, base := r.gogc, r.gen["twilio_kiiexgen"]; g != nil && g.OK && base != nil && base.OK {
		p("GC share, whole process: the same `kiiexgen` Twilio run with `GOGC=400` takes %s wall (%s with the default GOGC=100), %s CPU (%s), peak RSS %s (%s).\n\n",
			secs(g.MedianWallMS), secs(base.MedianWallMS), secs(g.MedianCPUMS), secs(base.MedianCPUMS), mib(float64(g.PeakRSSKB)), mib(float64(base.PeakRSSKB)))
	}
	if al := list("alloc_hotspots"); len(al) > 0 {
		p("Allocation (bytes) by our functions, same attribution: ")
		parts = nil
		for _, h := range al[:min(6, len(al))] {
			parts = append(parts, fmt.Sprintf("`%s` %.1f%%", h["func"], fnum(h, "own_pct")))
		}
		p("%s.\n\n", strings.Join(parts, ", "))
	}
}

// renderLarge is the generation-only table of the large specs.
func renderLarge(b *strings.Builder, r *results) {
	p := func(format string, a ...any) { fmt.Fprintf(b, format, a...) }
	p("#### Large specs, generation only (kiiexgen and oapi-codegen taking turns)\n\n")
	p("| spec | kiiexgen wall | CPU | peak RSS | oapi-codegen wall | CPU | peak RSS | wall ratio | CPU ratio | RSS ratio |\n")
	p("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, in := range largeInputs {
		kx, oa := r.gen[in.id+"_kiiexgen"], r.gen[in.id+"_oapi"]
		if kx == nil {
			p("| %s | skipped: %s | | | | | | | | |\n", in.title, mdEscape(orDefault(r.facts["skip_"+in.id], "no results")))
			continue
		}
		cell := func(t *TimeResult) string {
			if t == nil {
				return "— | — | —"
			}
			if !t.OK {
				return "failed: " + mdEscape(t.Err) + " | — | —"
			}
			return fmt.Sprintf("%s | %s | %s", secs(t.MedianWallMS), secs(t.MedianCPUMS), mib(float64(t.PeakRSSKB)))
		}
		ratios := "— | — | —"
		if kx.OK && oa != nil && oa.OK {
			ratios = fmt.Sprintf("%s | %s | %s", ratio(kx.MedianWallMS/oa.MedianWallMS), ratio(kx.MedianCPUMS/oa.MedianCPUMS), ratio(float64(kx.PeakRSSKB)/float64(oa.PeakRSSKB)))
		}
		p("| %s (median of %d) | %s | %s | %s |\n", in.title, kx.Runs, cell(kx), cell(oa), ratios)
	}
	p("\n")
}

// ---------------------------------------------------------------- targets

func renderTargets(b *strings.Builder, r *results) {
	p := func(format string, a ...any) { fmt.Fprintf(b, format, a...) }
	p("#### Targets\n\n| target | measured | status |\n| --- | --- | --- |\n")
	status := func(ok bool) string {
		if ok {
			return "met"
		}
		return "**not met**"
	}
	kx, oa := r.gen["twilio_kiiexgen"], r.gen["twilio_oapi"]
	if kx != nil && kx.OK && oa != nil && oa.OK {
		w, c := kx.MedianWallMS/oa.MedianWallMS, kx.MedianCPUMS/oa.MedianCPUMS
		p("| Twilio generation ≤ 0.4× oapi-codegen's time | %s wall (%s vs %s), %s CPU | %s |\n",
			ratio(w), secs(kx.MedianWallMS), secs(oa.MedianWallMS), ratio(c), status(w <= 0.4))
	} else {
		p("| Twilio generation ≤ 0.4× oapi-codegen's time | not measured | — |\n")
	}
	if kx != nil && kx.OK && oa != nil && oa.OK {
		m := float64(kx.PeakRSSKB) / float64(oa.PeakRSSKB)
		p("| Twilio generation ≤ 1.0× oapi-codegen's peak memory | %s (%s vs %s peak RSS) | %s |\n",
			ratio(m), mib(float64(kx.PeakRSSKB)), mib(float64(oa.PeakRSSKB)), status(m <= 1))
	}
	for _, t := range []struct {
		id, name string
		max      float64
	}{{"kiiex", "KIIEX", 0.25}, {"stripe", "Stripe", 0.4}} {
		k, o := r.gen[t.id+"_kiiexgen"], r.gen[t.id+"_oapi"]
		if k != nil && k.OK && o != nil && o.OK {
			w, c := k.MedianWallMS/o.MedianWallMS, k.MedianCPUMS/o.MedianCPUMS
			p("| %s generation ≤ %.2g× oapi-codegen's time | %s wall (%s vs %s), %s CPU | %s |\n",
				t.name, t.max, ratio(w), secs(k.MedianWallMS), secs(o.MedianWallMS), ratio(c), status(w <= t.max))
		} else {
			p("| %s generation ≤ %.2g× oapi-codegen's time | not measured | — |\n", t.name, t.max)
		}
	}
	if g := r.gen["github_kiiexgen"]; g != nil && g.OK {
		p("| GitHub generation ≤ 2 s | %s wall, %s CPU, %s peak RSS | %s |\n", secs(g.MedianWallMS), secs(g.MedianCPUMS), mib(float64(g.PeakRSSKB)), status(g.MedianWallMS <= 2000))
	} else {
		p("| GitHub generation ≤ 2 s | not measured | — |\n")
	}
	if ph := r.phases; ph != nil && kx != nil && kx.OK {
		bare, bareC := fnum(ph, "bare_load_ms"), fnum(ph, "bare_load_cpu_ms")
		w := kx.MedianWallMS / bare
		p("| Twilio generation ≤ 3× bare kin-openapi load | whole `kiiexgen` process %s wall / %s = %s; in process: Generate %s wall = %s, CPU %s / %s = %s | %s |\n",
			secs(kx.MedianWallMS), secs(bare), ratio(w),
			secs(fnum(ph, "generate_ms")), ratio(fnum(ph, "generate_ms")/bare),
			secs(fnum(ph, "generate_cpu_ms")), secs(bareC), ratio(fnum(ph, "generate_cpu_ms")/bareC), status(w <= 3))
	} else {
		p("| Twilio generation ≤ 3× bare kin-openapi load | not measured | — |\n")
	}
	if l := r.loc["twilio_kiiexgen"]; l != nil {
		p("| Twilio output ≤ 60k lines | %s lines in %d files | %s |\n", thousands(l.Lines), l.Files, status(l.Lines <= 60000))
	} else {
		p("| Twilio output ≤ 60k lines | not measured | — |\n")
	}
	if c := r.cold["twilio_kiiexgen"]; c != nil && c.OK {
		extra := ""
		if r.seed != nil && r.seed.OK {
			extra = fmt.Sprintf("; with an empty GOCACHE add %s for the standard library", secs(r.seed.MedianWallMS))
		}
		pk := ""
		if pc := r.pkg["twilio_kiiexgen"]; pc != nil && pc.OK {
			pk = fmt.Sprintf("; the package alone %s", secs(pc.MedianWallMS))
		}
		p("| Twilio output compiles in < 10 s cold | %s (standard library cached%s%s) | %s |\n", secs(c.MedianWallMS), pk, extra, status(c.MedianWallMS < 10000))
	} else {
		p("| Twilio output compiles in < 10 s cold | not measured | — |\n")
	}
	d := r.bench["DecodeTickets"]
	if d != nil && len(d["kiiexgen"]["ns/op"]) > 0 && len(d["oapi-codegen"]["ns/op"]) > 0 {
		kn, on := median(d["kiiexgen"]["ns/op"]), median(d["oapi-codegen"]["ns/op"])
		ka, oa := median(d["kiiexgen"]["allocs/op"]), median(d["oapi-codegen"]["allocs/op"])
		p("| decode of 1,000 tickets: ns/op ≤ oapi-codegen's | %s vs %s ns/op = %s | %s |\n", num(kn), num(on), ratio(kn/on), status(kn <= on))
		p("| decode of 1,000 tickets: allocs/op ≤ oapi-codegen's | %s vs %s = %s | %s |\n", num(ka), num(oa), ratio(ka/oa), status(ka <= oa))
	} else {
		p("| decode of 1,000 tickets ≤ oapi-codegen's | not measured | — |\n")
	}
	p("\n")
}
