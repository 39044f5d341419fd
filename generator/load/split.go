package load

import (
	"bytes"
	"runtime"
	"slices"

	"go.yaml.in/yaml/v4"
	"go.yaml.in/yaml/v4/plugin/loaderlimits"
)

// go-yaml parses on one core, and parsing is the largest part of loading a
// YAML spec. A spec is almost always one block mapping whose keys start at
// column 0 (openapi, info, paths, components), and the large sections
// (paths, components) are block mappings too. Such a document is parsed in
// pieces cut at those keys, one piece per core, and the pieces' trees are
// joined into the one tree the whole parse builds: same nodes, same lines
// and columns (each piece is parsed behind as many empty lines as precede
// it in the file). Anything that would make a piece read differently than
// it does in place falls back to the whole parse:
//
//   - A cut is made only at a line that starts, at the column of a mapping's
//     keys, with a character that can start a plain or quoted key. If such a
//     line is not a key of that mapping after all, it is inside a quoted
//     scalar or a flow collection (block scalars and plain multi-line
//     scalars never reach back to that column), and the piece before the
//     cut ends with it unclosed: a parse error, and the fallback.
//   - An alias in one piece to an anchor in another is an unknown alias in
//     its piece: a parse error. A later piece cannot see an earlier one's
//     directives or document markers, so a file with any beyond a first
//     "---" line is parsed whole; so is one with a line break other than
//     LF or CRLF (go-yaml also counts a lone CR, NEL, LS and PS as one).
//   - A section is cut inside only when every line of it that is not blank
//     or a comment is indented at least as far as its first key (a
//     shallower one could only be inside a multi-line scalar or an error).
//   - Each piece must come out as one block mapping whose first key is the
//     line it was cut at; any parse error, in any piece, means the whole
//     file is parsed again, so errors are reported exactly as before.
//
// Comments are attached to different nodes than in the whole parse; the
// loader never reads them. TestSplitParseSameAsWhole and FuzzSplitParse
// pin the equivalence.

// splitMinSize is the smallest file parsed in pieces: below it, the
// goroutines and the stitching cost more than the second core saves.
const splitMinSize = 48 << 10

// splitPieceSize is the least data a piece holds (more cores than that
// would not pay).
const splitPieceSize = 32 << 10

// parseYAML parses data as a single YAML document, in pieces on several
// cores when the document allows it (see above).
func parseYAML(data []byte) (*yaml.Node, error) {
	if procs := runtime.GOMAXPROCS(0); procs >= 2 && len(data) >= splitMinSize {
		// Twice as many pieces as cores: a core that gets less of the
		// machine (or a piece that parses slower) holds the others up
		// less.
		if doc := parseYAMLSplit(data, min(2*procs, len(data)/splitPieceSize), procs); doc != nil {
			return doc, nil
		}
	}
	return parseYAMLWhole(data)
}

func parseYAMLWhole(data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	err := yaml.Load(data, &doc, yaml.WithV3Defaults(),
		yaml.WithPlugin(loaderlimits.New(loaderlimits.DepthValue(MaxDepth), loaderlimits.AliasNone())))
	return &doc, err
}

// yamlCut is where a piece starts: a line of the file that starts a key of
// the top-level mapping (header == nil) or of the block mapping that is the
// value of a top-level key, whose line (without its line break) is header.
type yamlCut struct {
	off, line int
	header    []byte
	indent    int // the column of the key (0-based)
}

// yamlCuts returns the lines at which data can be cut (see above) nearest
// the byte offsets targets (for each, the last one before it and the first
// one at or after it), in order, or nil when data must be parsed whole. A
// nil targets asks for every one (for tests). The first content line,
// which the first piece starts with, is never among them.
func yamlCuts(data []byte, targets []int) []yamlCut {
	if bytes.Contains(data, []byte("\xc2\x85")) || bytes.Contains(data, []byte("\xe2\x80\xa8")) || bytes.Contains(data, []byte("\xe2\x80\xa9")) {
		return nil
	}
	// Only the candidates nearest the targets are kept, so that a file of
	// a million short lines does not make a list of a million cuts.
	cuts := newCutPicker(targets)
	// The section being read: its header line, the indentation of its
	// keys (0 until its first key), its cuts so far, and whether it may
	// still be cut inside.
	var header []byte
	indent := 0
	sub := newCutPicker(targets)
	subOK := false
	endSection := func() {
		if subOK && indent > 0 {
			for _, c := range sub.picked() {
				cuts.offer(c)
			}
		}
		header, indent, subOK = nil, 0, false
		sub.reset()
	}
	first := true
	line := 0
	for off := 0; off < len(data); {
		line++
		end := bytes.IndexByte(data[off:], '\n')
		if end < 0 {
			end = len(data)
		} else {
			end += off
		}
		text := data[off:end]
		if i := bytes.IndexByte(text, '\r'); i >= 0 && i != len(text)-1 {
			return nil // a lone CR is a line break to go-yaml
		}
		text = bytes.TrimSuffix(text, []byte("\r"))
		start := off
		off = end + 1
		// The indentation (spaces) and the first other character.
		n := 0
		for n < len(text) && text[n] == ' ' {
			n++
		}
		if n == len(text) || text[n] == '#' || isBlankRest(text[n:]) {
			continue // blank or a comment
		}
		if n > 0 {
			if first {
				return nil // the top-level mapping is not at column 0
			}
			if header == nil {
				continue
			}
			switch {
			case indent == 0:
				indent, subOK = n, startsKey(text[n])
			case n < indent:
				subOK = false
			case n == indent && startsKey(text[n]):
				sub.offer(yamlCut{off: start, line: line, header: header, indent: n})
			}
			continue
		}
		// A line at column 0.
		c := text[0]
		switch {
		case c == '%', c == '.' && bytes.HasPrefix(text, []byte("...")):
			return nil // a directive or a document end
		case c == '-' && bytes.HasPrefix(text, []byte("---")):
			if !first || !isBlankRest(text[3:]) {
				return nil // a second document, or content after "---"
			}
			continue
		}
		endSection()
		if first {
			first = false
			if !startsKey(c) {
				return nil // not a block mapping of plain or quoted keys
			}
		} else if startsKey(c) {
			cuts.offer(yamlCut{off: start, line: line})
		}
		if isHeader(text) {
			header = text
		}
	}
	endSection()
	return cuts.picked()
}

// cutPicker keeps, of the cuts offered to it, the nearest before and the
// nearest at or after each target offset (or all, for nil targets).
type cutPicker struct {
	targets       []int
	before, after []yamlCut // off < 0: none yet
	all           []yamlCut
}

func newCutPicker(targets []int) *cutPicker {
	p := &cutPicker{targets: targets, before: make([]yamlCut, len(targets)), after: make([]yamlCut, len(targets))}
	p.reset()
	return p
}

func (p *cutPicker) reset() {
	for i := range p.targets {
		p.before[i].off, p.after[i].off = -1, -1
	}
	p.all = p.all[:0:0]
}

// offer is called with cuts in increasing order.
func (p *cutPicker) offer(c yamlCut) {
	if p.targets == nil {
		p.all = append(p.all, c)
		return
	}
	for i, t := range p.targets {
		if c.off < t {
			p.before[i] = c
		} else if p.after[i].off < 0 {
			p.after[i] = c
		}
	}
}

// picked returns the cuts kept, in order, each once.
func (p *cutPicker) picked() []yamlCut {
	if p.targets == nil {
		return p.all
	}
	var out []yamlCut
	for i := range p.targets {
		for _, c := range []yamlCut{p.before[i], p.after[i]} {
			if c.off >= 0 {
				out = append(out, c)
			}
		}
	}
	slices.SortFunc(out, func(a, b yamlCut) int { return a.off - b.off })
	return slices.CompactFunc(out, func(a, b yamlCut) bool { return a.off == b.off })
}

// startsKey reports whether c can start a plain or quoted mapping key (an
// indicator such as "-", "?", "&", "!", "[" cannot).
func startsKey(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '_' || c == '/' || c == '$' || c == '"' || c == '\''
}

// isHeader reports whether a line at column 0 is a plain key with nothing
// after its colon but a comment: a key whose value starts on the next line.
func isHeader(text []byte) bool {
	i := 0
	for i < len(text) && (text[i] >= 'a' && text[i] <= 'z' || text[i] >= 'A' && text[i] <= 'Z' ||
		text[i] >= '0' && text[i] <= '9' || text[i] == '_' || text[i] == '-' && i > 0) {
		i++
	}
	if i == 0 || i >= len(text) || text[i] != ':' {
		return false
	}
	rest := text[i+1:]
	if len(rest) > 0 && rest[0] != ' ' && rest[0] != '\t' {
		return false
	}
	return isBlankRest(rest)
}

// isBlankRest reports whether the rest of a line is only white space and
// perhaps a comment.
func isBlankRest(rest []byte) bool {
	for i, c := range rest {
		switch c {
		case ' ', '\t':
		case '#':
			return i == 0 || rest[i-1] == ' ' || rest[i-1] == '\t'
		default:
			return false
		}
	}
	return true
}

// yamlPiece is a part of the file, parsed on its own.
type yamlPiece struct {
	yamlCut
	end int
	doc yaml.Node
	err error
}

// parseYAMLSplit parses data in up to n pieces on up to procs goroutines
// and returns the document node the whole parse returns, or nil when the
// file is not to be parsed in pieces or a piece did not parse as it must
// (the caller then parses it whole).
func parseYAMLSplit(data []byte, n, procs int) *yaml.Node {
	if n < 2 {
		return nil
	}
	targets := make([]int, n-1)
	for k := range targets {
		targets[k] = len(data) * (k + 1) / n
	}
	cuts := yamlCuts(data, targets)
	if len(cuts) == 0 {
		return nil
	}
	pieces := choosePieces(cuts, len(data), n)
	if len(pieces) < 2 {
		return nil
	}
	jobs := make([]job, len(pieces))
	for i := range pieces {
		p := &pieces[i]
		jobs[i] = job{weight: p.end - p.off, run: func() error { p.parse(data); return nil }}
	}
	runJobs(jobs, procs)
	return stitch(pieces)
}

// choosePieces picks, of the cuts, the n-1 nearest to even shares of the
// file, and returns the pieces they make.
func choosePieces(cuts []yamlCut, size, n int) []yamlPiece {
	pieces := []yamlPiece{{}}
	j := 0
	for k := 1; k < n; k++ {
		want := size * k / n
		for j < len(cuts) && cuts[j].off < want {
			j++
		}
		// cuts[j-1] is before the share's end, cuts[j] at or after it.
		best := -1
		if j < len(cuts) {
			best = j
		}
		if j > 0 && (best < 0 || want-cuts[j-1].off < cuts[j].off-want) {
			best = j - 1
		}
		if best < 0 || cuts[best].off <= pieces[len(pieces)-1].off {
			continue
		}
		pieces = append(pieces, yamlPiece{yamlCut: cuts[best]})
		j = best + 1
	}
	for i := range pieces {
		pieces[i].end = size
		if i+1 < len(pieces) {
			pieces[i].end = pieces[i+1].off
		}
	}
	return pieces
}

// parse parses the piece where it is in the file: behind as many line
// breaks as precede it there (one fewer and the header line for a piece
// that starts inside a section).
func (p *yamlPiece) parse(data []byte) {
	if p.off == 0 {
		p.err = yaml.Load(data[:p.end], &p.doc, yaml.WithV3Defaults(),
			yaml.WithPlugin(loaderlimits.New(loaderlimits.DepthValue(MaxDepth), loaderlimits.AliasNone())))
		return
	}
	breaks := p.line - 1
	if p.header != nil {
		breaks--
	}
	buf := make([]byte, 0, breaks+len(p.header)+1+p.end-p.off)
	for range breaks {
		buf = append(buf, '\n')
	}
	if p.header != nil {
		buf = append(buf, p.header...)
		buf = append(buf, '\n')
	}
	buf = append(buf, data[p.off:p.end]...)
	p.err = yaml.Load(buf, &p.doc, yaml.WithV3Defaults(),
		yaml.WithPlugin(loaderlimits.New(loaderlimits.DepthValue(MaxDepth), loaderlimits.AliasNone())))
}

// blockMapping returns the mapping a piece parsed to, or nil when it
// parsed to anything else.
func (p *yamlPiece) blockMapping() *yaml.Node {
	if p.err != nil || p.doc.Kind != yaml.DocumentNode || len(p.doc.Content) != 1 {
		return nil
	}
	m := p.doc.Content[0]
	if m.Kind != yaml.MappingNode || m.Style&yaml.FlowStyle != 0 || m.Column != 1 || len(m.Content) < 2 {
		return nil
	}
	return m
}

// stitch joins the pieces' mappings into the document the whole parse
// makes, or returns nil when a piece is not what its cut promised.
func stitch(pieces []yamlPiece) *yaml.Node {
	root := pieces[0].blockMapping()
	if root == nil {
		return nil
	}
	for i := 1; i < len(pieces); i++ {
		p := &pieces[i]
		m := p.blockMapping()
		if m == nil {
			return nil
		}
		pairs := m.Content
		if p.header != nil {
			// The first entry is the section, its first key at the cut;
			// its entries continue the section that ends the mapping so far.
			k, v := pairs[0], pairs[1]
			last := root.Content[len(root.Content)-2:]
			if !sectionAt(v, p.line, p.indent) || last[0].Value != k.Value || !sectionAt(last[1], 0, p.indent) {
				return nil
			}
			last[1].Content = append(last[1].Content, v.Content...)
			pairs = pairs[2:]
		} else if pairs[0].Line != p.line || pairs[0].Column != 1 {
			return nil
		}
		root.Content = append(root.Content, pairs...)
	}
	return &pieces[0].doc
}

// sectionAt reports whether v is a block mapping whose keys are at the
// 0-based column indent (and its first key at line, unless line is 0).
func sectionAt(v *yaml.Node, line, indent int) bool {
	if v.Kind != yaml.MappingNode || v.Style&yaml.FlowStyle != 0 || len(v.Content) < 2 || v.Column != indent+1 {
		return false
	}
	return line == 0 || v.Content[0].Line == line && v.Content[0].Column == indent+1
}
