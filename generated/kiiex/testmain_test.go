package kiiex

import (
	"testing"

	"github.com/kiiexgen/kiiexgen/internal/testnote"
)

// TestMain lists the tests skipped for missing data (../shared, the module
// cache) after the run, since t.Skip is silent without -v.
func TestMain(m *testing.M) { testnote.Main(m) }
