package main

import (
	"os"
	"path/filepath"
	"strings"
)

// defaultRefRoot picks how far a multi-file spec's $refs may reach when
// -ref-root is not given: the widest of the working directory and the Go
// module it lies in (go.mod found upward from it), each only if it holds
// the spec. Specs split across sibling folders (../common/x.yaml) then
// generate from wherever the user naturally runs the tool, in their repo
// or from go generate, while a spec fetched into a download folder still
// cannot pull in files from elsewhere: the filesystem root and the home
// directory are never taken as a root implicitly. It returns "" (the
// spec's own directory) when neither candidate holds the spec.
func defaultRefRoot(specDir string) string {
	cwd, err := os.Getwd()
	if err != nil {
		return ""
	}
	cwd, _ = filepath.Abs(cwd)
	home, _ := os.UserHomeDir()
	best := ""
	for _, cand := range []string{moduleRoot(cwd), cwd} {
		if cand == "" || isFSRoot(cand) || (home != "" && samePath(cand, home)) || !within(specDir, cand) {
			continue
		}
		if best == "" || len(cand) < len(best) {
			best = cand
		}
	}
	if best == "" || samePath(best, specDir) {
		return ""
	}
	if rel, err := filepath.Rel(cwd, best); err == nil {
		return rel
	}
	return best
}

// moduleRoot returns the directory of the go.mod that governs dir, or "".
func moduleRoot(dir string) string {
	for d := dir; ; {
		if fi, err := os.Stat(filepath.Join(d, "go.mod")); err == nil && fi.Mode().IsRegular() {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}

func isFSRoot(p string) bool { return filepath.Dir(p) == p }

func samePath(a, b string) bool { return filepath.Clean(a) == filepath.Clean(b) }

// within reports whether p is root or lies below it (both absolute).
func within(p, root string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
