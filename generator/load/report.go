package load

import (
	"github.com/kiiexgen/kiiexgen/generator/diag"
)

// reporter collects the diagnostics of one load.
type reporter struct {
	strict bool
	list   diag.List
	hard   int // errors that are not strict-mode repairs
}

// repair records a defect that was repaired: a warning, or an error in
// strict mode.
func (r *reporter) repair(kind, file string, p pos, ptr, msg string) {
	sev := diag.Warning
	if r.strict {
		sev = diag.Error
	}
	r.add(sev, kind, file, p, ptr, msg)
}

// notice records a warning that stays a warning in strict mode.
func (r *reporter) notice(kind, file string, p pos, ptr, msg string) {
	r.add(diag.Warning, kind, file, p, ptr, msg)
}

// fail records an error.
func (r *reporter) fail(kind, file string, p pos, ptr, msg string) {
	r.hard++
	r.add(diag.Error, kind, file, p, ptr, msg)
}

func (r *reporter) add(sev diag.Severity, kind, file string, p pos, ptr, msg string) {
	d := diag.Diagnostic{Severity: sev, File: file, Line: p.line, Col: p.col, Kind: kind, Message: msg}
	if ptr != "" {
		d.Pointer = "#" + ptr
	}
	r.list = append(r.list, d)
}

// hasErrors reports whether loading must stop: an error other than a
// repair made in strict mode (those let loading go on, so that one pass
// finds all the errors).
func (r *reporter) hasErrors() bool { return r.hard > 0 }

// split returns the errors (nil if none) and the warnings, each sorted and
// without duplicates.
func (r *reporter) split() (errs, warns diag.List) {
	seen := make(map[diag.Diagnostic]bool)
	for _, d := range r.list {
		if seen[d] {
			continue
		}
		seen[d] = true
		if d.Severity == diag.Error {
			errs = append(errs, d)
		} else {
			warns = append(warns, d)
		}
	}
	errs.Sort()
	warns.Sort()
	return errs, warns
}
