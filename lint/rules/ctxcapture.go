package rules

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/lambda-durable/durable/lint/workflow"
)

// CtxCapture reports a durable.Context used inside a step body, handed to a
// goroutine, or used for operations inside a child context, Map item or
// Parallel branch that receives its own.
var CtxCapture = newRule(RuleCtxCapture,
	"report a durable.Context used inside a step body, captured by a goroutine, or used inside a child body\n\n"+
		"A step is the unit that is recorded: operations started from inside it are not part of its "+
		"history. A goroutine sharing the workflow's context races with it for operation ids. A child "+
		"context, Map item or Parallel branch that starts operations on its parent's context makes them "+
		"depend on whether the child replays. Use the durable.StepContext the step receives, the "+
		"durable.Context the child receives; for concurrency use futures, durable.Map or durable.Parallel, "+
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
	for _, fn := range c.wf.Funcs {
		if lit, ok := fn.Node.(*ast.FuncLit); ok {
			c.parentContext(fn, lit, reported)
		}
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

// parentContext reports operations started, inside lit (a function literal
// that receives a durable.Context: a child context, Map item or Parallel
// branch), on a durable.Context declared outside it: the first such use of
// each variable.
func (c *checker) parentContext(fn *workflow.Func, lit *ast.FuncLit, reported map[token.Pos]bool) {
	info := c.pass.TypesInfo
	own := contextParam(info, lit)
	done := map[*types.Var]bool{}
	c.wf.Inspect(fn, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		t := info.TypeOf(call.Fun)
		if t == nil {
			return true
		}
		sig, ok := t.Underlying().(*types.Signature)
		if !ok {
			return true
		}
		for i, arg := range call.Args {
			id, ok := ast.Unparen(arg).(*ast.Ident)
			if !ok || !workflow.IsContext(paramType(sig, i)) {
				continue
			}
			v, ok := info.Uses[id].(*types.Var)
			if !ok || done[v] || !workflow.IsContext(v.Type()) || (v.Pos() >= lit.Pos() && v.Pos() < lit.End()) || reported[id.Pos()] {
				continue
			}
			done[v], reported[id.Pos()] = true, true
			c.reportf(id.Pos(), "durable.Context %s of the enclosing function used inside a function literal that receives its own (%s): %s; %s",
				id.Name, own,
				"its operations belong to the enclosing context: a replay that returns the child's recorded result skips them, and concurrent branches race for the enclosing context's ids",
				"use "+own)
		}
		return true
	})
}

// contextParam names lit's durable.Context parameter ("_" if unnamed).
func contextParam(info *types.Info, lit *ast.FuncLit) string {
	for _, f := range lit.Type.Params.List {
		if t := info.TypeOf(f.Type); t != nil && workflow.IsContext(t) {
			if len(f.Names) > 0 {
				return f.Names[0].Name
			}
			break
		}
	}
	return "_"
}

// paramType is the type of the parameter that receives argument i of a call
// of sig (the element type for variadic arguments), or nil.
func paramType(sig *types.Signature, i int) types.Type {
	params := sig.Params()
	n := params.Len()
	switch {
	case sig.Variadic() && i >= n-1:
		if s, ok := params.At(n - 1).Type().(*types.Slice); ok {
			return s.Elem()
		}
		return nil
	case i < n:
		return params.At(i).Type()
	}
	return nil
}
