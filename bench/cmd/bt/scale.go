package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// cmdScale times kiiexgen on each spec (median of -n runs after a warm-up,
// whole process, as "time" does) and tells whether the cost grows linearly
// with the size of the spec: a least-squares line of CPU time against
// bytes (its intercept is what a run costs whatever the spec: process
// start, the runtime templates), how well it fits (R²), and the exponent
// k of CPU - intercept ∝ bytes^k over the specs of 100 KB and more (1 is
// linear, 2 quadratic). It prints a Markdown table and the fit.
func cmdScale(args []string) error {
	fl := flag.NewFlagSet("scale", flag.ExitOnError)
	n := fl.Int("n", 3, "measured runs per spec (the median is reported)")
	bin := fl.String("bin", "", "the kiiexgen binary")
	out := fl.String("o", "", "also write the report here")
	refRoot := fl.String("refroot", "", "corpus directory: a spec inside it is run with -ref-root set to its own top folder there, and a multi-file spec's size is that folder's")
	fl.Parse(args)
	if *bin == "" || fl.NArg() == 0 {
		return errors.New("scale: need -bin and specs")
	}
	type row struct {
		name           string
		bytes          float64
		files          int // > 1: a multi-file spec, bytes of all its files
		wall, cpu, rss float64
		err            string
	}
	var rows []row
	tmp, err := os.MkdirTemp("", "bt-scale-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	for _, spec := range fl.Args() {
		fi, err := os.Stat(spec)
		if err != nil {
			return err
		}
		r := row{name: filepath.Base(spec), bytes: float64(fi.Size()), files: 1}
		argv := []string{*bin, "-spec", spec, "-out", filepath.Join(tmp, "out"), "-package", "client"}
		if rel, err := filepath.Rel(*refRoot, spec); *refRoot != "" && err == nil && !strings.HasPrefix(rel, "..") {
			if top, _, multi := strings.Cut(filepath.ToSlash(rel), "/"); multi {
				dir := filepath.Join(*refRoot, top)
				argv = append(argv, "-ref-root", dir)
				r.name = filepath.ToSlash(rel)
				r.bytes, r.files = 0, 0
				filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
					if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".json")) {
						if i, err := d.Info(); err == nil {
							r.bytes += float64(i.Size())
							r.files++
						}
					}
					return nil
				})
			}
		}
		var walls, cpus []float64
		var rss int64
		for i := -1; i < *n; i++ {
			res, err := runOnce(argv, "", nil, filepath.Join(tmp, "out"), "", "")
			if err != nil {
				r.err = strings.SplitN(err.Error(), "\n", 2)[0]
				break
			}
			if i >= 0 {
				walls, cpus, rss = append(walls, res.wall), append(cpus, res.cpu), max(rss, res.rss)
			}
		}
		if r.err == "" {
			r.wall, r.cpu, r.rss = median(walls), median(cpus), float64(rss)
		}
		fmt.Fprintf(os.Stderr, "  %-48s %9.0f bytes  wall %6.0f ms  cpu %6.0f ms  rss %6.1f MiB %s\n", r.name, r.bytes, r.wall, r.cpu, r.rss/1024, r.err)
		rows = append(rows, r)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].bytes < rows[j].bytes })
	// The fit is over the single-file specs: a multi-file spec's cost also
	// depends on how many files it has (each is read, parsed and resolved
	// on its own), and is listed apart.
	var xs, ys []float64
	for _, r := range rows {
		if r.err == "" && r.files == 1 {
			xs, ys = append(xs, r.bytes), append(ys, r.cpu)
		}
	}
	a, b, r2 := linearFit(xs, ys)
	var lx, ly []float64
	for i := range xs {
		if xs[i] >= 100e3 && ys[i] > a {
			lx, ly = append(lx, math.Log(xs[i])), append(ly, math.Log(ys[i]-a))
		}
	}
	_, k, _ := linearFit(lx, ly)

	var s strings.Builder
	fmt.Fprintf(&s, "| spec | size | wall | CPU | peak RSS | CPU per MB | CPU − fit |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, r := range rows {
		if r.files != 1 {
			continue
		}
		if r.err != "" {
			fmt.Fprintf(&s, "| %s | %s | failed: %s | | | | |\n", r.name, kb(r.bytes), mdEscape(r.err))
			continue
		}
		fmt.Fprintf(&s, "| %s | %s | %s | %s | %s | %s | %+.0f ms |\n", r.name, kb(r.bytes), secs(r.wall), secs(r.cpu), mib(r.rss),
			secs(r.cpu/(r.bytes/1e6)), r.cpu-(a+b*r.bytes))
	}
	multi := false
	for _, r := range rows {
		if r.files == 1 {
			continue
		}
		if !multi {
			fmt.Fprintf(&s, "\nMulti-file specs (size: all their files), not in the fit:\n\n| spec | files | size | wall | CPU | peak RSS | CPU per MB |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n")
			multi = true
		}
		if r.err != "" {
			fmt.Fprintf(&s, "| %s | %d | %s | failed: %s | | | |\n", r.name, r.files, kb(r.bytes), mdEscape(r.err))
			continue
		}
		fmt.Fprintf(&s, "| %s | %d | %s | %s | %s | %s | %s |\n", r.name, r.files, kb(r.bytes), secs(r.wall), secs(r.cpu), mib(r.rss), secs(r.cpu/(r.bytes/1e6)))
	}
	fmt.Fprintf(&s, "\nLeast squares over %d single-file specs: CPU = %.0f ms + %.0f ms per MB (R² = %.3f); over the %d specs of 100 KB and more, CPU − %.0f ms ∝ size^%.2f (1 is linear).\n",
		len(xs), a, b*1e6, r2, len(lx), a, k)
	fmt.Print(s.String())
	if *out != "" {
		return os.WriteFile(*out, []byte(s.String()), 0o644)
	}
	return nil
}

func kb(bytes float64) string {
	if bytes >= 1e6 {
		return fmt.Sprintf("%.2f MB", bytes/1e6)
	}
	return fmt.Sprintf("%.0f KB", bytes/1e3)
}

// linearFit is the least-squares line y = a + b x and its R².
func linearFit(xs, ys []float64) (a, b, r2 float64) {
	n := float64(len(xs))
	if n < 2 {
		return 0, 0, 0
	}
	var sx, sy, sxx, sxy float64
	for i := range xs {
		sx, sy, sxx, sxy = sx+xs[i], sy+ys[i], sxx+xs[i]*xs[i], sxy+xs[i]*ys[i]
	}
	b = (n*sxy - sx*sy) / (n*sxx - sx*sx)
	a = (sy - b*sx) / n
	mean := sy / n
	var ssRes, ssTot float64
	for i := range xs {
		d := ys[i] - (a + b*xs[i])
		ssRes += d * d
		ssTot += (ys[i] - mean) * (ys[i] - mean)
	}
	if ssTot > 0 {
		r2 = 1 - ssRes/ssTot
	}
	return a, b, r2
}
