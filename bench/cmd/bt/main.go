// Command bt is the measuring half of bench/run.sh: it times whole
// processes (wall clock, CPU, peak RSS from wait4's rusage), counts
// generated code, lists the third-party modules a package needs, records
// machine facts, and renders everything as the Markdown report that goes
// into BENCHMARKS.md.
//
//	bt time   -o OUT.json [-n 5] [-warmup 1] [-reset DIR] [-gocache SEED|empty] [-bust DIR] [-dir WD] -- CMD ARGS...
//	bt alt    [-n 5] [-warmup 1] -c 'LABEL;OUT.json;RESETDIR;CMD ARGS...' -c ...
//	bt scale  [-n 3] -bin KIIEXGEN [-o OUT.md] SPEC...
//	bt loc    -o OUT.json DIR
//	bt deps   -o OUT.json DIR
//	bt facts  -o OUT.json [-set key=value]...
//	bt report -results DIR [-md FILE]
//
// Every subcommand writes JSON (time also prints a one-line summary); a
// command that fails is recorded, not fatal: its JSON says ok=false and
// holds the first line of its error, which the report prints in the table.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	log := func(err error) {
		fmt.Fprintln(os.Stderr, "bt:", err)
		os.Exit(1)
	}
	if len(os.Args) < 2 {
		log(errors.New("usage: bt time|loc|deps|facts|report ..."))
	}
	var err error
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "time":
		err = cmdTime(args)
	case "alt":
		err = cmdAlt(args)
	case "scale":
		err = cmdScale(args)
	case "loc":
		err = cmdLoc(args)
	case "deps":
		err = cmdDeps(args)
	case "facts":
		err = cmdFacts(args)
	case "report":
		err = cmdReport(args)
	default:
		err = fmt.Errorf("unknown subcommand %q", cmd)
	}
	if err != nil {
		log(err)
	}
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// ---------------------------------------------------------------- time

// TimeResult is what "bt time" records.
type TimeResult struct {
	Command  []string  `json:"command"`
	OK       bool      `json:"ok"`
	Err      string    `json:"err,omitempty"`
	Runs     int       `json:"runs"`
	WallMS   []float64 `json:"wall_ms"`
	CPUMS    []float64 `json:"cpu_ms"`
	MaxRSSKB []int64   `json:"max_rss_kb"`
	// Medians over Runs; MaxRSSKB is the largest of the runs.
	MedianWallMS float64 `json:"median_wall_ms"`
	MedianCPUMS  float64 `json:"median_cpu_ms"`
	PeakRSSKB    int64   `json:"peak_rss_kb"`
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

func cmdTime(args []string) error {
	fl := flag.NewFlagSet("time", flag.ExitOnError)
	out := fl.String("o", "", "write the JSON result here")
	n := fl.Int("n", 5, "measured runs (the median is reported)")
	warmup := fl.Int("warmup", 1, "unmeasured runs first (page cache, binary)")
	reset := fl.String("reset", "", "directory emptied before every run (generator output)")
	gocache := fl.String("gocache", "", "give every run a fresh GOCACHE: \"empty\", or a directory whose contents seed it (hard links)")
	bust := fl.String("bust", "", "package directory that gets a fresh zz_bt_bust.go before every run, so only it recompiles")
	dir := fl.String("dir", "", "working directory of the command")
	label := fl.String("label", "", "what to call the command in the summary line")
	var env multiFlag
	fl.Var(&env, "env", "KEY=VALUE added to the command's environment (repeatable)")
	fl.Parse(args)
	argv := fl.Args()
	if len(argv) == 0 || *out == "" {
		return errors.New("time: need -o and a command after --")
	}
	res := TimeResult{Command: argv, OK: true}
	for i := -*warmup; i < *n; i++ {
		r, err := runOnce(argv, *dir, env, *reset, *gocache, *bust)
		if err != nil {
			res.OK = false
			res.Err = err.Error()
			break
		}
		if i < 0 {
			continue
		}
		res.WallMS = append(res.WallMS, r.wall)
		res.CPUMS = append(res.CPUMS, r.cpu)
		res.MaxRSSKB = append(res.MaxRSSKB, r.rss)
	}
	res.Runs = len(res.WallMS)
	if res.Runs > 0 {
		res.MedianWallMS = median(res.WallMS)
		res.MedianCPUMS = median(res.CPUMS)
		res.PeakRSSKB = slices.Max(res.MaxRSSKB)
	}
	name := *label
	if name == "" {
		name = shortCmd(argv)
	}
	if res.OK {
		fmt.Printf("  %-44s wall %8.0f ms  cpu %8.0f ms  rss %7.1f MiB  (median of %d)\n",
			name, res.MedianWallMS, res.MedianCPUMS, float64(res.PeakRSSKB)/1024, res.Runs)
	} else {
		fmt.Printf("  %-44s FAILED: %s\n", name, res.Err)
	}
	return writeJSON(*out, res)
}

// cmdAlt times several commands the way "time" times one, taking turns
// (A B C A B C ...) so that a change in the machine's load during the run
// falls on all of them alike: ratios between them are then fair on a
// shared machine. Each -c is LABEL;OUT.json;RESETDIR;COMMAND, the command
// split at spaces; each gets its own result file, as from "time". A
// command that fails drops out; the others go on.
func cmdAlt(args []string) error {
	fl := flag.NewFlagSet("alt", flag.ExitOnError)
	n := fl.Int("n", 5, "measured runs of each command (the median is reported)")
	warmup := fl.Int("warmup", 1, "unmeasured rounds first")
	var cmds multiFlag
	fl.Var(&cmds, "c", "LABEL;OUT.json;RESETDIR;COMMAND (repeatable)")
	fl.Parse(args)
	type job struct {
		label, out, reset string
		argv              []string
		res               TimeResult
	}
	var jobs []*job
	for _, c := range cmds {
		parts := strings.SplitN(c, ";", 4)
		if len(parts) != 4 || parts[1] == "" || len(strings.Fields(parts[3])) == 0 {
			return fmt.Errorf("alt: -c %q is not LABEL;OUT.json;RESETDIR;COMMAND", c)
		}
		argv := strings.Fields(parts[3])
		jobs = append(jobs, &job{label: parts[0], out: parts[1], reset: parts[2], argv: argv, res: TimeResult{Command: argv, OK: true}})
	}
	for i := -*warmup; i < *n; i++ {
		for _, j := range jobs {
			if !j.res.OK {
				continue
			}
			r, err := runOnce(j.argv, "", nil, j.reset, "", "")
			if err != nil {
				j.res.OK, j.res.Err = false, err.Error()
				continue
			}
			if i >= 0 {
				j.res.WallMS = append(j.res.WallMS, r.wall)
				j.res.CPUMS = append(j.res.CPUMS, r.cpu)
				j.res.MaxRSSKB = append(j.res.MaxRSSKB, r.rss)
			}
		}
	}
	for _, j := range jobs {
		res := &j.res
		res.Runs = len(res.WallMS)
		if res.Runs > 0 && res.OK {
			res.MedianWallMS = median(res.WallMS)
			res.MedianCPUMS = median(res.CPUMS)
			res.PeakRSSKB = slices.Max(res.MaxRSSKB)
			fmt.Printf("  %-44s wall %8.0f ms  cpu %8.0f ms  rss %7.1f MiB  (median of %d)\n",
				j.label, res.MedianWallMS, res.MedianCPUMS, float64(res.PeakRSSKB)/1024, res.Runs)
		} else {
			fmt.Printf("  %-44s FAILED: %s\n", j.label, res.Err)
		}
		if err := writeJSON(j.out, res); err != nil {
			return err
		}
	}
	return nil
}

func shortCmd(argv []string) string {
	s := filepath.Base(argv[0])
	for _, a := range argv[1:] {
		s += " " + filepath.Base(a)
	}
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}

type run struct {
	wall, cpu float64
	rss       int64
}

func runOnce(argv []string, dir string, env []string, reset, gocache, bust string) (run, error) {
	if reset != "" {
		if err := os.RemoveAll(reset); err != nil {
			return run{}, err
		}
		if err := os.MkdirAll(reset, 0o755); err != nil {
			return run{}, err
		}
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	if gocache != "" {
		tmp, err := os.MkdirTemp("", "bt-gocache-")
		if err != nil {
			return run{}, err
		}
		defer os.RemoveAll(tmp)
		if gocache != "empty" {
			if err := linkTree(gocache, tmp); err != nil {
				return run{}, fmt.Errorf("seed GOCACHE: %w", err)
			}
		}
		cmd.Env = append(cmd.Env, "GOCACHE="+tmp)
	}
	if bust != "" {
		f, err := bustFile(bust)
		if err != nil {
			return run{}, err
		}
		defer os.Remove(f)
	}
	var stderr tailBuffer
	cmd.Stdout = io.Discard
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return run{}, errors.New(firstErrorLine(stderr.String(), err))
	}
	ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	r := run{wall: ms(wall)}
	if ru != nil {
		r.cpu = ms(time.Duration(syscall.TimevalToNsec(ru.Utime) + syscall.TimevalToNsec(ru.Stime)))
		r.rss = ru.Maxrss // KiB on Linux
	}
	return r, nil
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

// tailBuffer keeps the first 64 KiB of a stream (enough for any first
// error line) and discards the rest.
type tailBuffer struct{ bytes.Buffer }

func (t *tailBuffer) Write(p []byte) (int, error) {
	if room := 64<<10 - t.Len(); room > 0 {
		t.Buffer.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

var (
	errorLineRE    = regexp.MustCompile(`(?i)\b(error|fatal|panic|failed|cannot|unable)\b`)
	compilerLineRE = regexp.MustCompile(`^\S+\.go:\d+:\d+: `)
)

// firstErrorLine picks the line of a failed command's stderr that says
// what went wrong: the first compiler diagnostic (file.go:line:col: ...),
// else the first line that looks like an error, else the last non-empty
// line, else the exit status.
func firstErrorLine(stderr string, err error) string {
	for _, line := range strings.Split(stderr, "\n") {
		if compilerLineRE.MatchString(strings.TrimSpace(line)) {
			return clip(strings.TrimSpace(line))
		}
	}
	var last string
	for _, line := range strings.Split(stderr, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if errorLineRE.MatchString(line) {
			return clip(line)
		}
		last = line
	}
	if last != "" {
		return clip(last)
	}
	return err.Error()
}

func clip(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 160 {
		s = s[:157] + "..."
	}
	return s
}

// linkTree recreates src under dst with hard links (a Go build cache is
// write-once, so sharing its files is safe), copying when linking fails.
func linkTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if err := os.Link(p, target); err == nil {
			return nil
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		o, err := os.Create(target)
		if err != nil {
			return err
		}
		if _, err := io.Copy(o, in); err != nil {
			o.Close()
			return err
		}
		return o.Close()
	})
}

var pkgClauseRE = regexp.MustCompile(`(?m)^package\s+(\w+)`)

// bustFile writes a file that changes the package's content hash, so the
// go command recompiles exactly that package (and nothing it imports).
func bustFile(dir string) (string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	for _, e := range ents {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return "", err
		}
		if m := pkgClauseRE.FindSubmatch(b); m != nil {
			f := filepath.Join(dir, "zz_bt_bust.go")
			src := fmt.Sprintf("package %s\n\nconst zzBtBust = %q\n", m[1], strconv.FormatInt(time.Now().UnixNano(), 36))
			return f, os.WriteFile(f, []byte(src), 0o644)
		}
	}
	return "", fmt.Errorf("bust: no Go package in %s", dir)
}

// ---------------------------------------------------------------- loc

// LocResult counts generated Go code.
type LocResult struct {
	Files    int   `json:"files"`
	Lines    int   `json:"lines"`
	NonBlank int   `json:"non_blank_lines"`
	Bytes    int64 `json:"bytes"`
}

func cmdLoc(args []string) error {
	fl := flag.NewFlagSet("loc", flag.ExitOnError)
	out := fl.String("o", "", "write the JSON result here")
	fl.Parse(args)
	if fl.NArg() != 1 || *out == "" {
		return errors.New("loc: need -o and one directory")
	}
	var r LocResult
	err := filepath.WalkDir(fl.Arg(0), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		r.Files++
		r.Bytes += int64(len(b))
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Buffer(nil, 1<<24)
		for sc.Scan() {
			r.Lines++
			if strings.TrimSpace(sc.Text()) != "" {
				r.NonBlank++
			}
		}
		return sc.Err()
	})
	if err != nil {
		return err
	}
	return writeJSON(*out, r)
}

// ---------------------------------------------------------------- deps

// DepsResult lists the modules outside the standard library that a
// module's packages need (the module itself excluded).
type DepsResult struct {
	OK      bool     `json:"ok"`
	Err     string   `json:"err,omitempty"`
	Modules []string `json:"modules"`
}

func cmdDeps(args []string) error {
	fl := flag.NewFlagSet("deps", flag.ExitOnError)
	out := fl.String("o", "", "write the JSON result here")
	fl.Parse(args)
	if fl.NArg() != 1 || *out == "" {
		return errors.New("deps: need -o and one module directory")
	}
	cmd := exec.Command("go", "list", "-deps", "-f", "{{with .Module}}{{if not .Main}}{{.Path}}@{{.Version}}{{end}}{{end}}", "./...")
	cmd.Dir = fl.Arg(0)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	r := DepsResult{OK: err == nil, Modules: []string{}}
	if err != nil {
		r.Err = firstErrorLine(stderr.String(), err)
	}
	seen := map[string]bool{}
	for _, m := range strings.Fields(string(b)) {
		if !seen[m] {
			seen[m] = true
			r.Modules = append(r.Modules, m)
		}
	}
	sort.Strings(r.Modules)
	return writeJSON(*out, r)
}

// ---------------------------------------------------------------- facts

func cmdFacts(args []string) error {
	fl := flag.NewFlagSet("facts", flag.ExitOnError)
	out := fl.String("o", "", "write (or update) the JSON facts here")
	var set multiFlag
	fl.Var(&set, "set", "key=value to record (repeatable)")
	fl.Parse(args)
	if *out == "" {
		return errors.New("facts: need -o")
	}
	facts := map[string]string{}
	_ = readJSON(*out, &facts) // update an existing file
	if _, ok := facts["cpu"]; !ok {
		facts["nproc"] = strconv.Itoa(runtime.NumCPU())
		facts["cpu"] = cpuModel()
		facts["mem"] = memTotal()
		facts["kernel"] = strings.TrimSpace(readFirstLine("/proc/sys/kernel/osrelease"))
	}
	for _, kv := range set {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return fmt.Errorf("facts: -set %q is not key=value", kv)
		}
		facts[k] = v
	}
	return writeJSON(*out, facts)
}

func readFirstLine(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "?"
	}
	line, _, _ := strings.Cut(string(b), "\n")
	return line
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

func memTotal() string {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return "?"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "MemTotal:") {
			f := strings.Fields(line)
			if len(f) >= 2 {
				kb, _ := strconv.ParseFloat(f[1], 64)
				return fmt.Sprintf("%.1f GiB", kb/(1<<20))
			}
		}
	}
	return "?"
}
