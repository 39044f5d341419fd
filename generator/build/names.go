package build

import (
	_ "embed" // for go:embed
	"go/types"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// initialisms are written in upper case inside Go names (Go's own style,
// plus the ones KIIEX names lean on: OMS and 2FA).
var initialisms = map[string]bool{
	"ACL": true, "API": true, "ASCII": true, "CPU": true, "CSS": true, "DNS": true,
	"EOF": true, "GUID": true, "HTML": true, "HTTP": true, "HTTPS": true, "ID": true,
	"IP": true, "JSON": true, "JWT": true, "OMS": true, "QPS": true, "RAM": true,
	"RPC": true, "SLA": true, "SMTP": true, "SQL": true, "SSH": true, "TCP": true,
	"TLS": true, "TTL": true, "UDP": true, "UI": true, "UID": true, "UUID": true,
	"URI": true, "URL": true, "UTF8": true, "VM": true, "XML": true, "2FA": true,
	"AP": true, // APEX's "aptoken"
}

//go:embed words.txt
var wordsTxt string

// knownWords is words.txt as a set.
var knownWords = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(wordsTxt, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		for _, w := range strings.Fields(line) {
			m[w] = true
		}
	}
	return m
}()

// maxSegmentRun bounds the runs segment looks at (its work is quadratic).
const maxSegmentRun = 48

// segment splits a run of lower-case letters into known words, the fewest
// possible (ties: the longest first word), or returns nil when the run is
// itself a known word, is not made of known words entirely, or is too long.
// So "errormsg" gives error+msg and "omsid" oms+id, while "account" and
// "reaccepted" stay whole. "is" is a word only at the start ("isactive",
// not "apis").
func segment(run string) []string {
	if len(run) > maxSegmentRun || knownWords[run] {
		return nil
	}
	// best[i] is the fewest words covering run[i:], 0 when impossible;
	// next[i] is where the first of them ends.
	n := len(run)
	best := make([]int, n+1)
	next := make([]int, n+1)
	for i := n - 1; i >= 0; i-- {
		for j := n; j >= i+2; j-- { // longest first word wins ties
			w := run[i:j]
			if !knownWords[w] || (j < n && best[j] == 0) || w == "is" && i > 0 {
				continue
			}
			if c := 1 + best[j]; best[i] == 0 || c < best[i] {
				best[i], next[i] = c, j
			}
		}
	}
	if best[0] < 2 {
		return nil
	}
	var out []string
	for i := 0; i < n; i = next[i] {
		out = append(out, run[i:next[i]])
	}
	return out
}

// segmentWord applies segment to a word from splitWords that is a letter
// run in lower case, optionally led by one capital ("errormsg",
// "Errormsg"); other words come back as they are.
func segmentWord(w string) []string {
	if len(w) < 4 {
		return []string{w}
	}
	for i := 1; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return []string{w}
		}
	}
	if c := w[0]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
		return []string{w}
	}
	parts := segment(strings.ToLower(w))
	if parts == nil {
		return []string{w}
	}
	return parts
}

// symbolWords spell out the symbols that carry meaning in real parameter
// names (Twilio's StartTime<, StartTime>), so they do not vanish and collide.
var symbolWords = map[rune]string{
	'<': "Lt", '>': "Gt", '=': "Eq", '!': "Not", '+': "Plus", '@': "At", '#': "Hash", '%': "Pct", '&': "And", '*': "Star",
}

// GoName turns any spec string into an exported Go identifier: words split
// at separators and case changes, lower-case runs split into the known words
// of words.txt ("errormsg" -> "ErrorMsg"), each word capitalised, initialisms
// upper-cased,
// meaningful symbols spelt out, a leading digit prefixed with "N". The empty
// string (or one with no letters or digits) becomes "Empty".
func GoName(s string) string {
	var words []string
	for _, w := range splitWords(s) {
		words = append(words, segmentWord(w)...)
	}
	var b strings.Builder
	for _, w := range words {
		up := strings.ToUpper(w)
		if initialisms[up] {
			b.WriteString(up)
			continue
		}
		r, size := utf8.DecodeRuneInString(w)
		b.WriteRune(unicode.ToUpper(r))
		b.WriteString(w[size:])
	}
	out := b.String()
	if out == "" {
		return "Empty"
	}
	r, _ := utf8.DecodeRuneInString(out)
	if unicode.IsDigit(r) {
		return "N" + out
	}
	if !unicode.IsUpper(r) {
		// A letter without case (e.g. CJK) cannot be exported on its own.
		return "X" + out
	}
	return out
}

// splitWords breaks s into words: runs of lower-case letters (optionally led
// by one upper-case letter), runs of upper-case letters (an acronym, which
// gives up its last letter to a following lower-case run), and runs of
// digits; a digit run joins a following letter run when the two form an
// initialism ("2FA"). Symbols with a meaning become words of their own.
func splitWords(s string) []string {
	var words []string
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsDigit(r):
			j := i
			for j < len(rs) && unicode.IsDigit(rs[j]) {
				j++
			}
			k := j
			for k < len(rs) && unicode.IsLetter(rs[k]) {
				k++
			}
			if k > j && initialisms[strings.ToUpper(string(rs[i:k]))] {
				words = append(words, string(rs[i:k]))
				i = k
				continue
			}
			words = append(words, string(rs[i:j]))
			i = j
		case unicode.IsUpper(r):
			j := i + 1
			for j < len(rs) && unicode.IsUpper(rs[j]) {
				j++
			}
			if j-i > 1 {
				// An acronym; if lower case follows, its last letter starts
				// the next word ("OMSId" -> "OMS", "Id").
				if j < len(rs) && unicode.IsLower(rs[j]) {
					j--
				}
				words = append(words, string(rs[i:j]))
				i = j
				continue
			}
			for j < len(rs) && (unicode.IsLower(rs[j]) || (unicode.IsLetter(rs[j]) && !unicode.IsUpper(rs[j]))) {
				j++
			}
			words = append(words, string(rs[i:j]))
			i = j
		case unicode.IsLetter(r):
			j := i + 1
			for j < len(rs) && unicode.IsLetter(rs[j]) && !unicode.IsUpper(rs[j]) {
				j++
			}
			words = append(words, string(rs[i:j]))
			i = j
		default:
			if w, ok := symbolWords[r]; ok {
				words = append(words, w)
			}
			i++
		}
	}
	return words
}

// lowerFirst returns name with its first word lower-cased, for unexported
// identifiers derived from exported ones (GetX -> opGetX uses the name as is;
// this is for parameters).
func lowerFirst(name string) string {
	if name == "" {
		return name
	}
	r, size := utf8.DecodeRuneInString(name)
	return string(unicode.ToLower(r)) + name[size:]
}

// localReserved are names a function parameter must not take: Go's
// keywords and predeclared identifiers (shadowing string or error inside a
// generated function would break it or confuse its reader).
var localReserved = append([]string{
	"break", "case", "chan", "const", "continue", "default", "defer", "else", "fallthrough", "for", "func",
	"go", "goto", "if", "import", "interface", "map", "package", "range", "return", "select", "struct",
	"switch", "type", "var",
}, types.Universe.Names()...)

// localName turns a spec string into an unexported Go identifier: GoName
// with its leading word lower-cased ("Region" -> "region", "URLPrefix" ->
// "urlPrefix", "ID" -> "id").
func localName(s string) string {
	name := GoName(s)
	rs := []rune(name)
	j := 0
	for j < len(rs) && unicode.IsUpper(rs[j]) {
		j++
	}
	if j > 1 && j < len(rs) && unicode.IsLower(rs[j]) {
		j-- // the last capital starts the next word
	}
	if j == 0 {
		j = 1
	}
	for i := 0; i < j; i++ {
		rs[i] = unicode.ToLower(rs[i])
	}
	return string(rs)
}

// namer hands out unique identifiers in one Go scope. It is the only place
// collisions are resolved, so every rename in the output has one rule:
// a name taken by the runtime gets a kind suffix, a name taken by another
// generated identifier gets the next free number. Callers claim in an order
// fixed by the spec's names (components by name, fields by JSON name), so a
// number depends only on the names that collide with each other: an
// addition elsewhere renames nothing (TestNumberedNamesStable); only a new
// name that collides with existing ones and sorts before them can.
type namer struct {
	used map[string]bool
	// reserved names belong to the runtime; they are never handed out.
	reserved map[string]bool
	// next is, per base, the number to try first: every smaller one is
	// taken (names are never given back), so thousands of colliding names
	// cost linear time, not quadratic.
	next map[string]int
}

func newNamer(reserved ...string) *namer {
	n := &namer{used: map[string]bool{}, reserved: map[string]bool{}, next: map[string]int{}}
	for _, r := range reserved {
		n.reserved[r] = true
	}
	return n
}

// claim returns base, or base+suffix when the runtime owns base, or the
// first free numbered variant (base2, base3, ...) otherwise.
func (n *namer) claim(base, suffix string) string {
	if n.reserved[base] && suffix != "" {
		base += suffix
	}
	if !n.taken(base) {
		n.used[base] = true
		return base
	}
	for i := max(2, n.next[base]); ; i++ {
		c := base + strconv.Itoa(i)
		if !n.taken(c) {
			n.used[c] = true
			n.next[base] = i + 1
			return c
		}
	}
}

func (n *namer) taken(s string) bool { return n.used[s] || n.reserved[s] }
