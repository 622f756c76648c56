package rules

import (
	"go/ast"
	"go/constant"
	"go/types"
	"strings"

	"github.com/lambda-durable/durable/lint/workflow"
)

// OpName reports operation names built from values that differ between
// replays.
var OpName = newRule(RuleOpName,
	"report operation names built from the time, random values, map iteration order or pointer addresses\n\n"+
		"A replay asks for an operation under another name than history holds and fails with "+
		"NonDeterministicExecutionError. Build names from the input, constants, loop indexes or results "+
		"of earlier operations.",
	checkOpName)

func checkOpName(c *checker) {
	t := &tracer{info: c.pass.TypesInfo, assigns: assignments(c.pass.TypesInfo, c.pass.Files)}
	for _, fn := range c.wf.Funcs {
		c.wf.Inspect(fn, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			arg := nameArgument(c.pass.TypesInfo, call)
			if arg == nil {
				return true
			}
			if src := t.source(arg, call, true, map[*types.Var]bool{}); src != "" {
				c.report(arg.Pos(), fn,
					"operation name of "+types.ExprString(call.Fun)+" built from "+src,
					"it differs on each replay, so the replay asks for an operation that history does not hold (NonDeterministicExecutionError)",
					"build names from the input, constants, loop indexes or results of earlier operations")
			}
			return true
		})
	}
}

// nameArgument returns the argument call passes as the operation name (the
// string parameter "name" of a durable function), or nil.
func nameArgument(info *types.Info, call *ast.CallExpr) ast.Expr {
	fn := workflow.Callee(info, call)
	if !workflow.IsDurableFunc(fn) {
		return nil
	}
	params := fn.Signature().Params()
	for i := range params.Len() {
		p := params.At(i)
		if p.Name() == "name" && types.Identical(p.Type(), types.Typ[types.String]) && i < len(call.Args) {
			return call.Args[i]
		}
	}
	return nil
}

// assigned is one value given to a local variable.
type assigned struct {
	value ast.Expr
	// mapLoop is the range over a map that assigns the variable its keys or
	// values (value is nil then).
	mapLoop *ast.RangeStmt
}

// assignments maps the package's local variables to the values assigned to
// them.
func assignments(info *types.Info, files []*ast.File) map[*types.Var][]assigned {
	m := map[*types.Var][]assigned{}
	local := func(id *ast.Ident) *types.Var {
		v, ok := info.ObjectOf(id).(*types.Var)
		if !ok || v.Pkg() == nil || v.Parent() == v.Pkg().Scope() {
			return nil
		}
		return v
	}
	add := func(lhs []ast.Expr, rhs []ast.Expr) {
		for i, l := range lhs {
			id, ok := ast.Unparen(l).(*ast.Ident)
			if !ok {
				continue
			}
			v := local(id)
			if v == nil {
				continue
			}
			switch {
			case len(rhs) == len(lhs):
				m[v] = append(m[v], assigned{value: rhs[i]})
			case len(rhs) == 1:
				m[v] = append(m[v], assigned{value: rhs[0]})
			}
		}
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				add(n.Lhs, n.Rhs)
			case *ast.ValueSpec:
				lhs := make([]ast.Expr, len(n.Names))
				for i, id := range n.Names {
					lhs[i] = id
				}
				add(lhs, n.Values)
			case *ast.RangeStmt:
				if mapOrder(info, n.X) == "" {
					return true
				}
				for _, e := range []ast.Expr{n.Key, n.Value} {
					if id, ok := e.(*ast.Ident); ok {
						if v := local(id); v != nil {
							m[v] = append(m[v], assigned{mapLoop: n})
						}
					}
				}
			}
			return true
		})
	}
	return m
}

// tracer follows a value back through local variables to what it was built
// from.
type tracer struct {
	info    *types.Info
	assigns map[*types.Var][]assigned
}

// source describes the first value in e that differs between replays ("",
// if none): a call of time.Now and the like, a random value, a pointer
// formatted by fmt, or (when mapOK and not inside the loop that produces it)
// a map key or value. Map iteration is followed only through variables of
// basic types, so that keys collected into a slice and sorted are not
// reported.
func (t *tracer) source(e ast.Expr, at *ast.CallExpr, mapOK bool, visiting map[*types.Var]bool) string {
	var found string
	ast.Inspect(e, func(n ast.Node) bool {
		if found != "" {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			found = t.callSource(n)
		case *ast.Ident:
			v, ok := t.info.Uses[n].(*types.Var)
			if !ok || visiting[v] {
				return true
			}
			visiting[v] = true
			_, basic := v.Type().Underlying().(*types.Basic)
			for _, a := range t.assigns[v] {
				switch {
				case a.mapLoop != nil:
					if mapOK && !(at.Pos() >= a.mapLoop.Body.Pos() && at.Pos() < a.mapLoop.Body.End()) {
						found = "map iteration order (" + n.Name + " comes from a range over a map)"
					}
				default:
					found = t.source(a.value, at, mapOK && basic, visiting)
				}
				if found != "" {
					break
				}
			}
		}
		return found == ""
	})
	return found
}

// callSource describes call if its result differs between replays.
func (t *tracer) callSource(call *ast.CallExpr) string {
	fn := workflow.Callee(t.info, call)
	if fn == nil {
		return ""
	}
	sym, ok := symbolOf(fn)
	if !ok {
		return ""
	}
	switch {
	case readsClock(sym), isRandom(sym):
		return sym.String()
	case sym.pkg == "os" && sym.name == "Getpid":
		return sym.String()
	case sym.pkg == "fmt" && sym.recv == "" && t.formatsAddress(fn.Name(), call):
		return "a pointer address formatted by " + sym.String()
	}
	return ""
}

// formatsAddress reports whether a fmt print call formats a pointer as an
// address: a %p verb, or a pointer, channel or function argument that fmt
// prints as a number.
func (t *tracer) formatsAddress(name string, call *ast.CallExpr) bool {
	if !strings.HasPrefix(name, "Sprint") && !strings.HasPrefix(name, "Append") && name != "Errorf" {
		return false
	}
	for i, arg := range call.Args {
		tv := t.info.Types[arg]
		if i == 0 && tv.Value != nil && tv.Value.Kind() == constant.String &&
			strings.Contains(constant.StringVal(tv.Value), "%p") {
			return true
		}
		if tv.Type != nil && printsAddress(tv.Type) {
			return true
		}
	}
	return false
}

// printsAddress reports whether fmt prints a value of type typ as a memory
// address with %v: pointers to non-composite values without a String or
// Error method, unsafe pointers, channels and functions.
func printsAddress(typ types.Type) bool {
	if hasMethod(typ, "String") || hasMethod(typ, "Error") {
		return false
	}
	switch u := typ.Underlying().(type) {
	case *types.Pointer:
		switch u.Elem().Underlying().(type) {
		case *types.Struct, *types.Array, *types.Slice, *types.Map:
			return false // printed as &{...}
		}
		return true
	case *types.Basic:
		return u.Kind() == types.UnsafePointer
	case *types.Chan, *types.Signature:
		return true
	}
	return false
}

func hasMethod(typ types.Type, name string) bool {
	obj, _, _ := types.LookupFieldOrMethod(typ, true, nil, name)
	_, ok := obj.(*types.Func)
	return ok
}
