package rules

import (
	"go/ast"
	"go/token"
	"go/types"
)

// GlobalWrite reports writes to package-level variables from workflow code.
var GlobalWrite = newRule(RuleGlobalWrite,
	"report writes to package-level variables from workflow code\n\n"+
		"A package variable survives between invocations on a warm instance but not on a new one, and every "+
		"replay writes it again, so the workflow can see values its history does not explain. Keep state in "+
		"local variables, or return it from a durable operation.",
	checkGlobalWrite)

func checkGlobalWrite(c *checker) {
	const (
		why = "it survives between invocations on a warm instance but not on a new one, and every replay writes it again"
		fix = "keep state in local variables or return it from a durable operation"
	)
	info := c.pass.TypesInfo
	for _, fn := range c.wf.Funcs {
		check := func(target ast.Expr) {
			if v := packageVar(info, target); v != nil {
				c.report(target.Pos(), fn, "write to package-level variable "+v.Name(), why, fix)
			}
		}
		c.wf.Inspect(fn, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				if n.Tok != token.DEFINE {
					for _, l := range n.Lhs {
						check(l)
					}
				}
			case *ast.IncDecStmt:
				check(n.X)
			case *ast.CallExpr:
				if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok && len(n.Args) > 0 {
					if b, ok := info.Uses[id].(*types.Builtin); ok && (b.Name() == "delete" || b.Name() == "clear") {
						check(n.Args[0])
					}
				}
			}
			return true
		})
	}
}

// packageVar returns the package-level variable that a write to target
// changes (x, x.f, x[i], pkg.X, ...), or nil.
func packageVar(info *types.Info, target ast.Expr) *types.Var {
	for {
		switch e := ast.Unparen(target).(type) {
		case *ast.Ident:
			v, ok := info.Uses[e].(*types.Var)
			if !ok || v.Pkg() == nil || v.Parent() != v.Pkg().Scope() {
				return nil
			}
			return v
		case *ast.SelectorExpr:
			if _, ok := info.Uses[e.Sel].(*types.Var); ok {
				if sel := info.Selections[e]; sel == nil {
					return packageVar(info, e.Sel) // pkg.X
				}
			}
			target = e.X
		case *ast.IndexExpr:
			target = e.X
		default:
			return nil
		}
	}
}
