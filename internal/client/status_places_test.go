package client

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"testing"
)

// The status table is the only place that knows statuses. Every Status constant
// the client declares must have a row, and every row a constant: a status added to
// one and not the other fails here. The places that list statuses (the list
// resource's filter, the refresh's list answers, the host snapshot, the plan's
// warnings, the docs' Lifecycle section) derive from the table's columns. The
// constants live in the API layer (api/types.go); aliases.go re-exports each one.
func TestStatusConstantsAreTheTable(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "api/types.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var declared []Status
	var names []string
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok {
			return true
		}
		if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Status" {
			return true
		}
		for _, n := range vs.Names {
			names = append(names, n.Name)
		}
		for _, v := range vs.Values {
			if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				s, _ := strconv.Unquote(lit.Value)
				declared = append(declared, Status(s))
			}
		}
		return true
	})
	var rows []Status
	for _, r := range StatusTable() {
		rows = append(rows, r.Status)
	}
	for _, s := range declared {
		if !slices.Contains(rows, s) {
			t.Errorf("status %q is declared in api/types.go but has no row in the status table", s)
		}
	}
	for _, s := range rows {
		if !slices.Contains(declared, s) {
			t.Errorf("status %q has a row in the status table but no constant in api/types.go", s)
		}
	}
	af, err := parser.ParseFile(fset, "aliases.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var exported []string
	ast.Inspect(af, func(n ast.Node) bool {
		if vs, ok := n.(*ast.ValueSpec); ok {
			for _, id := range vs.Names {
				exported = append(exported, id.Name)
			}
		}
		return true
	})
	for _, n := range names {
		if !slices.Contains(exported, n) {
			t.Errorf("status constant %s of api/types.go is not re-exported in aliases.go", n)
		}
	}
	if len(declared) < 12 {
		t.Errorf("found %d Status constants in api/types.go, want the 12 documented ones: did the parse miss them?", len(declared))
	}
}

// The columns that places ask for, against the contract: listable is every status
// but deleted; in use is every status but deleted and disabled; a refresh waits out
// creating and editing.
func TestStatusTableColumnsPlacesAsk(t *testing.T) {
	for _, r := range StatusTable() {
		s := r.Status
		if got, want := slices.Contains(Listable(), s), s != StatusDeleted; got != want {
			t.Errorf("%s: listable = %v, want %v", s, got, want)
		}
		if got, want := inUse(s), s != StatusDeleted && s != StatusDisabled; got != want {
			t.Errorf("%s: InUse = %v, want %v", s, got, want)
		}
		if got, want := RefreshWaits(s), s == StatusCreating || s == StatusEditing; got != want {
			t.Errorf("%s: RefreshWaits = %v, want %v", s, got, want)
		}
	}
}
