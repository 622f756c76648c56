package rules

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/lambda-durable/durable/lint/workflow"
)

// CtxCapture reports a durable.Context used inside a step body or handed to
// a goroutine.
var CtxCapture = newRule(RuleCtxCapture,
	"report a durable.Context used inside a step body or captured by a goroutine\n\n"+
		"A step is the unit that is recorded: operations started from inside it are not part of its "+
		"history. A goroutine sharing the workflow's context races with it for operation ids. Use the "+
		"durable.StepContext the step receives; for concurrency use futures, durable.Map or durable.Parallel, "+
		"which give each branch its own context.",
	checkCtxCapture)

func checkCtxCapture(c *checker) {
	reported := map[token.Pos]bool{}
	for _, lit := range c.wf.StepBodies {
		c.captures(lit, reported, nil, "used inside a step body",
			"a step is the unit that is recorded: operations started from it are not part of its history, and the step's logger and cancellation are the StepContext's",
			"use the durable.StepContext the step receives (it is a context.Context); start durable operations outside the step")
	}
	const (
		goWhy = "operations started from it race with the workflow for operation ids, so the ids depend on scheduling"
		goFix = "use durable futures (durable.StepAsync, durable.RunInChildContextAsync) or durable.Map and durable.Parallel, which give each branch its own context"
	)
	info := c.pass.TypesInfo
	for _, fn := range c.wf.Funcs {
		c.wf.Inspect(fn, func(n ast.Node) bool {
			g, ok := n.(*ast.GoStmt)
			if !ok {
				return true
			}
			for _, arg := range g.Call.Args {
				if t := info.TypeOf(arg); t != nil && workflow.IsContext(t) && !reported[arg.Pos()] {
					reported[arg.Pos()] = true
					c.reportf(arg.Pos(), "durable.Context %s passed to a goroutine%s: %s; %s", types.ExprString(arg), fn.Where(), goWhy, goFix)
				}
			}
			if lit, ok := g.Call.Fun.(*ast.FuncLit); ok {
				c.captures(lit, reported, fn, "captured by a goroutine", goWhy, goFix)
			}
			return true
		})
	}
}

// captures reports the first use in lit of each durable.Context variable
// declared outside lit.
func (c *checker) captures(lit *ast.FuncLit, reported map[token.Pos]bool, fn *workflow.Func, what, why, fix string) {
	done := map[*types.Var]bool{}
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok {
			return true
		}
		v, ok := c.pass.TypesInfo.Uses[id].(*types.Var)
		if !ok || done[v] || !workflow.IsContext(v.Type()) || (v.Pos() >= lit.Pos() && v.Pos() < lit.End()) {
			return true
		}
		done[v] = true
		if reported[id.Pos()] {
			return true
		}
		reported[id.Pos()] = true
		where := ""
		if fn != nil {
			where = fn.Where()
		}
		c.reportf(id.Pos(), "durable.Context %s %s%s: %s; %s", id.Name, what, where, why, fix)
		return true
	})
}
