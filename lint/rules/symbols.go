package rules

import (
	"go/ast"
	"go/token"
	"go/types"
	"path"
	"strings"
)

// symbol identifies a package-level function or variable, or a method, of
// another package: its import path, the receiver's type name (methods only)
// and its name.
type symbol struct {
	pkg, recv, name string
}

// symbolOf returns the symbol obj denotes; ok is false for objects that are
// not package-level functions, methods of named types, or package-level
// variables.
func symbolOf(obj types.Object) (symbol, bool) {
	if obj == nil || obj.Pkg() == nil {
		return symbol{}, false
	}
	switch o := obj.(type) {
	case *types.Func:
		recv := o.Signature().Recv()
		if recv == nil {
			return symbol{pkg: o.Pkg().Path(), name: o.Name()}, true
		}
		t := recv.Type()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := types.Unalias(t).(*types.Named); ok {
			return symbol{pkg: o.Pkg().Path(), recv: n.Obj().Name(), name: o.Name()}, true
		}
	case *types.Var:
		if o.Parent() == o.Pkg().Scope() {
			return symbol{pkg: o.Pkg().Path(), name: o.Name()}, true
		}
	}
	return symbol{}, false
}

// String is the symbol as code names it: "time.Now", "rand.IntN",
// "http.Client.Do".
func (s symbol) String() string {
	base := path.Base(s.pkg)
	if strings.HasPrefix(base, "v") && strings.Count(s.pkg, "/") > 0 && isDigits(base[1:]) {
		base = path.Base(path.Dir(s.pkg)) // math/rand/v2 is rand
	}
	if s.recv != "" {
		return base + "." + s.recv + "." + s.name
	}
	return base + "." + s.name
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// message is a finding's text: what was found, why it breaks replay, the
// fix.
type message struct{ what, why, fix string }

// checkSymbols reports every use, in workflow code, of a symbol for which
// match returns a message (what may contain %s for the symbol). A qualified
// use (time.Now, client.Do) is reported at the start of the selector.
func (c *checker) checkSymbols(match func(symbol) (message, bool)) {
	for _, fn := range c.wf.Funcs {
		selectors := map[*ast.Ident]*ast.SelectorExpr{} // by their Sel
		c.wf.Inspect(fn, func(n ast.Node) bool {
			var id *ast.Ident
			var pos token.Pos
			switch n := n.(type) {
			case *ast.SelectorExpr:
				selectors[n.Sel] = n
				return true
			case *ast.Ident:
				id, pos = n, n.Pos()
				if sel, ok := selectors[n]; ok {
					pos = sel.Pos()
				}
			default:
				return true
			}
			sym, ok := symbolOf(c.pass.TypesInfo.Uses[id])
			if !ok {
				return true
			}
			if m, ok := match(sym); ok {
				c.report(pos, fn, strings.ReplaceAll(m.what, "%s", sym.String()), m.why, m.fix)
			}
			return true
		})
	}
}

// isRandom reports whether sym draws from a random source that a replay
// does not reproduce: the global source of math/rand and math/rand/v2,
// crypto/rand, and github.com/google/uuid's random constructors.
func isRandom(sym symbol) bool {
	switch sym.pkg {
	case "math/rand", "math/rand/v2":
		if sym.recv != "" {
			return false // methods of a *rand.Rand the code seeded itself
		}
		switch sym.name {
		case "New", "NewSource", "NewPCG", "NewChaCha8", "NewZipf":
			return false
		}
		return true
	case "crypto/rand":
		return sym.recv == ""
	case "github.com/google/uuid":
		return sym.recv == "" && (sym.name == "New" || sym.name == "NewString" ||
			sym.name == "NewRandom" || sym.name == "NewV7" || sym.name == "NewUUID")
	}
	return false
}

// readsClock reports whether sym reads the wall clock.
func readsClock(sym symbol) bool {
	return sym.pkg == "time" && sym.recv == "" && (sym.name == "Now" || sym.name == "Since" || sym.name == "Until")
}
