package workflow

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"
)

// DurablePath is the import path of the durable SDK.
const DurablePath = "github.com/lambda-durable/durable"

// IsContext reports whether t is durable.Context, the context workflow code
// receives.
func IsContext(t types.Type) bool { return isDurableNamed(t, "Context") }

// IsStepContext reports whether t is durable.StepContext, the context a step
// body receives.
func IsStepContext(t types.Type) bool { return isDurableNamed(t, "StepContext") }

func isDurableNamed(t types.Type, name string) bool {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	obj := n.Obj()
	return obj.Pkg() != nil && obj.Pkg().Path() == DurablePath && obj.Name() == name
}

// hasParam reports whether sig has a parameter whose type satisfies is.
func hasParam(sig *types.Signature, is func(types.Type) bool) bool {
	if sig == nil {
		return false
	}
	for i := range sig.Params().Len() {
		if is(sig.Params().At(i).Type()) {
			return true
		}
	}
	return false
}

// Callee returns the function or method that call statically calls (the
// generic origin for an instantiation), or nil for calls of function values,
// interface methods, builtins and conversions.
func Callee(info *types.Info, call *ast.CallExpr) *types.Func {
	fn, ok := typeutil.Callee(info, call).(*types.Func)
	if !ok {
		return nil
	}
	return fn.Origin()
}

// IsDurableFunc reports whether fn is a package-level function of the durable
// SDK (durable.Step, durable.Wait, ...).
func IsDurableFunc(fn *types.Func) bool {
	return fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == DurablePath && fn.Signature().Recv() == nil
}

// TakesContext reports whether call passes an argument to a parameter of type
// durable.Context: the calls that can start durable operations (durable.Step,
// or a workflow function of the user's). durable.ExecutionStartTime, which
// only reads the recorded start time, does not count.
func TakesContext(info *types.Info, call *ast.CallExpr) bool {
	if fn := Callee(info, call); IsDurableFunc(fn) && fn.Name() == "ExecutionStartTime" {
		return false
	}
	tv, ok := info.Types[call.Fun]
	if !ok || tv.IsType() {
		return false
	}
	sig, ok := tv.Type.Underlying().(*types.Signature)
	return ok && hasParam(sig, IsContext)
}
