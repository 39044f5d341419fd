package gofmt

import (
	"text/tabwriter"
	"unicode/utf8"
)

// align turns the printer's stream into the final text, doing what
// go/printer's text/tabwriter (minwidth 0, tabwidth 8, padding 1, blank
// padding, DiscardEmptyColumns|TabIndent) and trimmer stages do together,
// in one pass per section and without their per-write overheads:
//
//   - A line is a sequence of cells, each ended by '\t' or '\v'; the text
//     after the last one (up to '\n' or '\f') is the line's last cell, which
//     belongs to no column. Escaped text (between tabwriter.Escape bytes)
//     never ends a cell or a line and counts its runes, not its escapes.
//   - Column j of a section is laid out in blocks: maximal runs of adjacent
//     lines that have a cell j other than their last. A block's width is
//     its widest cell plus one, or zero if all its cells are empty and none
//     was ended by '\t' (an empty column is discarded).
//   - Cells are padded with blanks to their block's width, except that the
//     leading empty cells of a line (indentation) are padded with tabs: as
//     many as the width rounded up to a multiple of 8, divided by 8.
//   - A '\f' ends the section: no block spans it. It prints as '\n'.
//   - Blanks and tabs at the end of a line are dropped unless escaped, and
//     the Escape bytes themselves are dropped.
type aligner struct {
	cells []cell
	lines []lineCells
}

type cell struct {
	start, end int // bytes of the stream, Escape bytes included
	width      int // runes, Escape bytes excluded
	htab       bool
	escaped    bool
	colWidth   int
}

type lineCells struct {
	first, n int  // cells[first : first+n]; the last one is the line's tail
	newline  bool // ended by '\n' or '\f' (else the stream ended)
}

func (a *aligner) run(src []byte, dst []byte) []byte {
	i := 0
	for i < len(src) {
		mark := len(dst)
		if end, ok := copySimple(src, i, &dst); ok {
			i = end
			continue
		}
		dst = dst[:mark]
		i = a.scanSection(src, i)
		a.widths()
		dst = a.write(src, dst)
	}
	return dst
}

// copySimple prints the section starting at i as written (escapes dropped,
// line ends trimmed) if it has no cells but indentation: no '\v', and '\t'
// only at line starts. Every column is then a run of empty tab-ended cells
// of width 1, printed as one tab each. It returns the offset after the
// section's '\f' (or the end of src), or ok == false, having appended
// garbage to *dst, when the section needs the full layout.
func copySimple(src []byte, i int, dst *[]byte) (end int, ok bool) {
	out := *dst
	keep := len(out) // trimming stops here (end of escaped text or line start)
	leading := true
	for i < len(src) {
		switch b := src[i]; b {
		case '\n', '\f':
			n := len(out)
			for n > keep && (out[n-1] == ' ' || out[n-1] == '\t') {
				n--
			}
			out = append(out[:n], '\n')
			keep = len(out)
			leading = true
			i++
			if b == '\f' {
				*dst = out
				return i, true
			}
		case '\t':
			if !leading {
				return 0, false
			}
			out = append(out, b)
			i++
		case '\v':
			return 0, false
		case tabwriter.Escape:
			j := i + 1
			for j < len(src) && src[j] != tabwriter.Escape {
				j++
			}
			out = append(out, src[i+1:j]...)
			keep = len(out)
			leading = false
			i = j + 1
		default:
			j := i + 1
			for j < len(src) && src[j] >= ' ' && src[j] != tabwriter.Escape {
				j++
			}
			out = append(out, src[i:j]...)
			leading = false
			i = j
		}
	}
	n := len(out)
	for n > keep && (out[n-1] == ' ' || out[n-1] == '\t') {
		n--
	}
	*dst = out[:n]
	return len(src), true
}

// scanSection splits src[i:] into lines of cells up to and including the
// first '\f', and returns the offset after it.
func (a *aligner) scanSection(src []byte, i int) int {
	a.cells = a.cells[:0]
	a.lines = a.lines[:0]
	first := 0
	start := i
	textStart := i // start of the current run of unescaped text
	width := 0
	escaped := false
	for i < len(src) {
		ch := src[i]
		switch ch {
		case '\t', '\v', '\n', '\f':
			width += runeCount(src[textStart:i])
			a.cells = append(a.cells, cell{start: start, end: i, width: width, htab: ch == '\t', escaped: escaped})
			i++
			start, textStart, width, escaped = i, i, 0, false
			if ch == '\n' || ch == '\f' {
				a.lines = append(a.lines, lineCells{first: first, n: len(a.cells) - first, newline: true})
				first = len(a.cells)
				if ch == '\f' {
					return i
				}
			}
		case tabwriter.Escape:
			width += runeCount(src[textStart:i])
			j := i + 1
			for j < len(src) && src[j] != tabwriter.Escape {
				j++
			}
			width += runeCount(src[i+1 : j])
			escaped = true
			i = j + 1
			textStart = i
		default:
			// plain text (control bytes other than the above included, as
			// in a string literal) up to the next control byte
			i++
			for i < len(src) && src[i] >= ' ' && src[i] != tabwriter.Escape {
				i++
			}
		}
	}
	if start < len(src) {
		width += runeCount(src[textStart:min(i, len(src))])
		a.cells = append(a.cells, cell{start: start, end: len(src), width: width, escaped: escaped})
	}
	if first < len(a.cells) {
		a.lines = append(a.lines, lineCells{first: first, n: len(a.cells) - first})
	}
	return len(src)
}

func runeCount(b []byte) int {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return utf8.RuneCount(b)
		}
	}
	return len(b)
}

// widths sets each column cell's block width.
func (a *aligner) widths() {
	for col := 0; ; col++ {
		any := false
		for l := 0; l < len(a.lines); {
			if a.lines[l].n-1 <= col {
				l++
				continue
			}
			any = true
			// a block: lines l..e-1 all have a cell col that is not last
			e := l
			width := 0
			discardable := true
			for ; e < len(a.lines) && a.lines[e].n-1 > col; e++ {
				c := &a.cells[a.lines[e].first+col]
				width = max(width, c.width+1)
				if c.width > 0 || c.htab {
					discardable = false
				}
			}
			if discardable {
				width = 0
			}
			for k := l; k < e; k++ {
				a.cells[a.lines[k].first+col].colWidth = width
			}
			l = e
		}
		if !any {
			return
		}
	}
}

func (a *aligner) write(src []byte, dst []byte) []byte {
	for _, ln := range a.lines {
		lineStart := len(dst)
		keep := lineStart // trimming stops here (end of escaped text)
		leading := true
		for j := 0; j < ln.n; j++ {
			c := &a.cells[ln.first+j]
			last := j == ln.n-1
			if c.end == c.start {
				if !last && c.colWidth > 0 {
					if leading {
						for n := (c.colWidth + 7) / 8; n > 0; n-- {
							dst = append(dst, '\t')
						}
					} else {
						for n := c.colWidth; n > 0; n-- {
							dst = append(dst, ' ')
						}
					}
				}
				continue
			}
			leading = false
			if c.escaped {
				in := false
				for _, b := range src[c.start:c.end] {
					if b == tabwriter.Escape {
						in = !in
						if !in {
							keep = len(dst)
						}
						continue
					}
					dst = append(dst, b)
				}
			} else {
				dst = append(dst, src[c.start:c.end]...)
			}
			if !last {
				for n := c.colWidth - c.width; n > 0; n-- {
					dst = append(dst, ' ')
				}
			}
		}
		n := len(dst)
		for n > keep && (dst[n-1] == ' ' || dst[n-1] == '\t') {
			n--
		}
		dst = dst[:n]
		if ln.newline {
			dst = append(dst, '\n')
		}
	}
	return dst
}
