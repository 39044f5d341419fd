package apidiff

import (
	"strings"
	"testing"
)

// TestCompareGo pins the wording for changes that spec edits rarely make
// on their own but a generator change can: renamed types and constants,
// changed constant values, interface and method changes, build-constrained
// files.
func TestCompareGo(t *testing.T) {
	older := `package p

import "encoding/json"

type Side string

const SideBuy Side = "Buy"
const SideSell Side = "Sell"

type OldName struct{ A int64 ` + "`json:\"a\"`" + ` }

type Datatype string

const DatatypeFloat Datatype = "float"

type Vec struct{ T Datatype }

type Shape interface{ isShape() }

type Client struct{}

func (c *Client) Get(id string) error { return nil }

func (c *Client) Raw() json.RawMessage { return nil }

func Helper() {}
`
	newer := `package p

import "encoding/json"

type Side string

const SideBuy Side = "BUY"
const SideSell2 Side = "Sell"

type NewName struct{ A int64 ` + "`json:\"a\"`" + ` }

type DataType string

const DataTypeFloat DataType = "float"

type Vec struct{ T DataType }

type Shape interface{ isShape(); Area() float64 }

type Client struct{}

func (c *Client) Get(id int64) error { return nil }

func (c *Client) Raw() json.RawMessage { return nil }

var Helper = 1
`
	constrained := "//go:build !go1.1\n\npackage p\n\nvar Excluded = 1\n"
	r, err := Compare([]File{{"a.go", []byte(older)}}, []File{{"a.go", []byte(newer)}, {"old.go", []byte(constrained)}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"breaking: constant DatatypeFloat renamed to DataTypeFloat",
		`breaking: constant SideBuy changed value from "Buy" to "BUY"`,
		"breaking: constant SideSell renamed to SideSell2",
		"breaking: function Helper is now a variable",
		"breaking: method (*Client).Get: parameter id changed from string to int64",
		"breaking: type Datatype renamed to DataType",
		"breaking: type OldName renamed to NewName",
		"compatible: interface Shape gained method Area",
	}
	if got := strings.TrimSuffix(r.Text(), "\n"); got != strings.Join(want, "\n") {
		t.Errorf("report:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
	md := r.Markdown("p")
	if !strings.HasPrefix(md, "### Go API changes in p\n\n**Breaking:**\n\n- constant DatatypeFloat") || !strings.Contains(md, "\nCompatible:\n\n- interface Shape gained method Area\n") {
		t.Errorf("markdown:\n%s", md)
	}
	empty, _ := Compare([]File{{"a.go", []byte(older)}}, []File{{"a.go", []byte(older)}})
	if empty.Text() != "" || empty.Breaking() || !strings.Contains(empty.Markdown("p"), "No changes") {
		t.Errorf("identical packages: %q", empty.Text())
	}
}

// TestCompareCaseRenames: a new word split changes only the case of names
// (Invoiceitem → InvoiceItem); such names pair up as renames even when
// their shapes are shared with others (every string enum looks alike), and
// a sealed union's renamed marker method is not reported.
func TestCompareCaseRenames(t *testing.T) {
	older := `package p

type Taxbehavior string

const TaxbehaviorInclusive Taxbehavior = "inclusive"

type Otherkind string

const OtherkindA Otherkind = "a"

type Invoiceitem interface{ isInvoiceitem() }

type Client struct{}

func (c *Client) GetInvoiceitems(b Taxbehavior) error { return nil }
`
	newer := `package p

type TaxBehavior string

const TaxBehaviorInclusive TaxBehavior = "inclusive"

type OtherKind string

const OtherKindA OtherKind = "a"

type InvoiceItem interface{ isInvoiceItem() }

type Client struct{}

func (c *Client) GetInvoiceItems(b TaxBehavior) error { return nil }
`
	r, err := Compare([]File{{"a.go", []byte(older)}}, []File{{"a.go", []byte(newer)}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"breaking: constant OtherkindA renamed to OtherKindA",
		"breaking: constant TaxbehaviorInclusive renamed to TaxBehaviorInclusive",
		"breaking: method (*Client).GetInvoiceitems renamed to GetInvoiceItems",
		"breaking: type Invoiceitem renamed to InvoiceItem",
		"breaking: type Otherkind renamed to OtherKind",
		"breaking: type Taxbehavior renamed to TaxBehavior",
	}
	if got := strings.TrimSuffix(r.Text(), "\n"); got != strings.Join(want, "\n") {
		t.Errorf("report:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
}
