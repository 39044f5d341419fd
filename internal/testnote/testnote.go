// Package testnote makes tests that skip for missing data (../shared, a
// module not in the cache) visible without -v: t.Skip alone is silent in a
// normal run, so a green run could hide that the real-spec corpus was never
// read. Tests call Skip instead of t.Skip; the package's TestMain calls Main,
// which prints one line per such skip after the tests ran.
//
// The go command shows a passing package's output in local-directory mode
// (`go test` in the package directory), with -v and with -json; in
// package-list mode (`go test ./...`) it prints only the "ok" line, so
// there the notes appear only with -v or -json.
package testnote

import (
	"fmt"
	"os"
	"sort"
	"sync"
	"testing"
)

var (
	mu      sync.Mutex
	skipped []string
)

// Skip records that t cannot run for lack of data, then skips it.
func Skip(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	mu.Lock()
	skipped = append(skipped, t.Name()+": "+msg)
	mu.Unlock()
	t.Skip(msg)
}

// Main runs the tests, prints the data skips and exits with m's status.
func Main(m *testing.M) {
	code := m.Run()
	os.Stdout.WriteString(Summary())
	os.Exit(code)
}

// Summary is the note Main prints: "" when nothing was skipped for data.
func Summary() string {
	mu.Lock()
	defer mu.Unlock()
	if len(skipped) == 0 {
		return ""
	}
	lines := append([]string(nil), skipped...)
	sort.Strings(lines)
	s := fmt.Sprintf("NOTE: %d data-dependent test(s) skipped:\n", len(lines))
	for _, l := range lines {
		s += "  " + l + "\n"
	}
	return s
}

// CorpusEnv is the environment variable `make corpus` sets: with it, the
// tests that read the real-spec corpora read all of them and compile every
// package generated from them; without it (`make test`) they take a sample
// small enough for the everyday suite's time budget.
const CorpusEnv = "KIIEXGEN_CORPUS"

// Corpus reports whether the full corpus run was asked for (CorpusEnv set
// to anything but "" or "0").
func Corpus() bool {
	v := os.Getenv(CorpusEnv)
	return v != "" && v != "0"
}
