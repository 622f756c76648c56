package rules

import (
	"fmt"
	"go/ast"
	"go/types"

	"github.com/lambda-durable/durable/lint/workflow"
)

// MapRange reports loops over maps whose bodies start durable operations.
var MapRange = newRule(RuleMapRange,
	"report ranges over maps whose body starts durable operations\n\n"+
		"Go randomises map iteration order, so the operations get different ids on each replay. "+
		"Range over sorted keys instead: for _, k := range slices.Sorted(maps.Keys(m)).",
	checkMapRange)

func checkMapRange(c *checker) {
	info := c.pass.TypesInfo
	for _, fn := range c.wf.Funcs {
		c.wf.Inspect(fn, func(n ast.Node) bool {
			loop, ok := n.(*ast.RangeStmt)
			if !ok {
				return true
			}
			what := mapOrder(info, loop.X)
			if what == "" {
				return true
			}
			if op := firstOperation(info, loop.Body); op != nil {
				line := c.pass.Fset.Position(op.Pos()).Line
				c.report(loop.Pos(), fn,
					fmt.Sprintf("range over %s starts durable operations (%s, line %d)", what, types.ExprString(op.Fun), line),
					"Go randomises map order, so the operations get different ids on each replay",
					"range over sorted keys: for _, k := range slices.Sorted(maps.Keys(m))")
			}
			return true
		})
	}
}

// mapOrder describes x if ranging over it follows a map's random order ("a
// map", "maps.Keys(...)"), and returns "" otherwise.
func mapOrder(info *types.Info, x ast.Expr) string {
	if t := info.TypeOf(x); t != nil {
		if _, ok := t.Underlying().(*types.Map); ok {
			return "a map"
		}
	}
	call, ok := ast.Unparen(x).(*ast.CallExpr)
	if !ok {
		return ""
	}
	if fn := workflow.Callee(info, call); fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "maps" {
		switch fn.Name() {
		case "Keys", "Values", "All":
			return "maps." + fn.Name() + "(...)"
		}
	}
	return ""
}

// firstOperation returns the first call in body that passes a
// durable.Context, or nil.
func firstOperation(info *types.Info, body ast.Node) *ast.CallExpr {
	var found *ast.CallExpr
	ast.Inspect(body, func(n ast.Node) bool {
		if found != nil {
			return false
		}
		if call, ok := n.(*ast.CallExpr); ok && workflow.TakesContext(info, call) {
			found = call
		}
		return found == nil
	})
	return found
}
