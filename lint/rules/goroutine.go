package rules

import (
	"go/ast"
	"go/token"
	"go/types"
)

// Goroutine reports goroutines, channel operations and select in workflow
// code.
var Goroutine = newRule(RuleGoroutine,
	"report go statements, channel sends and receives and select in workflow code\n\n"+
		"What a goroutine or a channel does first depends on scheduling, not on recorded history, and "+
		"goroutines race for operation ids. Use the SDK's futures (durable.StepAsync, "+
		"RunInChildContextAsync, All, Race) or durable.Map and durable.Parallel; goroutines inside a step "+
		"body are fine.",
	checkGoroutine)

func checkGoroutine(c *checker) {
	const (
		why = "what runs first depends on goroutine scheduling, not on recorded history, and concurrent operations race for ids"
		fix = "use durable futures (durable.StepAsync, durable.RunInChildContextAsync with durable.All or durable.Race) or durable.Map and durable.Parallel, or keep the concurrency inside a step body"
	)
	info := c.pass.TypesInfo
	for _, fn := range c.wf.Funcs {
		inSelect := map[ast.Node]bool{} // the communications of reported selects
		c.wf.Inspect(fn, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.GoStmt:
				c.report(n.Pos(), fn, "go statement", why, fix)
			case *ast.SelectStmt:
				c.report(n.Pos(), fn, "select statement", why, fix)
				for _, clause := range n.Body.List {
					if comm := clause.(*ast.CommClause).Comm; comm != nil {
						inSelect[communication(comm)] = true
					}
				}
			case *ast.SendStmt:
				if !inSelect[n] {
					c.report(n.Pos(), fn, "channel send", why, fix)
				}
			case *ast.UnaryExpr:
				if n.Op == token.ARROW && !inSelect[n] {
					c.report(n.Pos(), fn, "channel receive", why, fix)
				}
			case *ast.RangeStmt:
				if t := info.TypeOf(n.X); t != nil {
					if _, ok := t.Underlying().(*types.Chan); ok {
						c.report(n.Pos(), fn, "range over a channel", why, fix)
					}
				}
			}
			return true
		})
	}
}

// communication returns the send statement or receive expression of a
// select case.
func communication(comm ast.Stmt) ast.Node {
	switch s := comm.(type) {
	case *ast.ExprStmt:
		return ast.Unparen(s.X)
	case *ast.AssignStmt:
		if len(s.Rhs) == 1 {
			return ast.Unparen(s.Rhs[0])
		}
	}
	return comm
}
