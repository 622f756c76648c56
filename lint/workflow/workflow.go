// Package workflow finds the workflow code of a package: the code that
// replays. The durablelint rules report only what they find there.
//
// Workflow code is every function that receives a durable.Context (a
// function declaration or literal: the handler, a child-context body, a Map
// item or Parallel branch), followed through the calls it makes to functions
// and methods of the same package. Function literals that receive a
// durable.StepContext are step bodies: they run once and their result is
// recorded, so they are not workflow code, and neither is what they call.
package workflow

import (
	"fmt"
	"go/ast"
	"go/types"
	"reflect"

	"golang.org/x/tools/go/analysis"
)

// Analyzer computes the workflow code and the suppression comments of a
// package for the durablelint rules. It reports nothing itself.
var Analyzer = &analysis.Analyzer{
	Name:       "durableworkflow",
	Doc:        "find the workflow code of a package (functions that receive a durable.Context and what they call in the package)",
	Run:        run,
	ResultType: reflect.TypeFor[*Result](),
}

// Func is one function of workflow code.
type Func struct {
	// Node is the *ast.FuncDecl or *ast.FuncLit.
	Node ast.Node
	// Name describes the function in messages: "process",
	// "(*Order).validate" or "function literal in process".
	Name string
	// Via names the workflow function whose call made this one workflow
	// code; it is empty for a function that receives a durable.Context.
	Via string
}

// Body returns the function's body (nil for a declaration without one).
func (f *Func) Body() *ast.BlockStmt {
	switch n := f.Node.(type) {
	case *ast.FuncDecl:
		return n.Body
	case *ast.FuncLit:
		return n.Body
	}
	return nil
}

// Where describes the function for a diagnostic: empty for a function that
// receives a durable.Context, " (in helper, called from workflow code in
// process)" for one reached through a call.
func (f *Func) Where() string {
	if f.Via == "" {
		return ""
	}
	return fmt.Sprintf(" (in %s, called from workflow code in %s)", f.Name, f.Via)
}

// Result is the workflow code of a package.
type Result struct {
	// Funcs is the workflow code, functions with a durable.Context first,
	// then those reached through calls.
	Funcs []*Func
	// StepBodies are the function literals that receive a
	// durable.StepContext.
	StepBodies []*ast.FuncLit
	// Suppressions are the //durablelint:ignore comments.
	Suppressions *Suppressions

	info     *types.Info
	boundary map[*ast.FuncLit]bool
}

// Inspect calls visit, as ast.Inspect does, for every node of fn's body that
// is workflow code: it does not enter step bodies, nor function literals that
// receive a durable.Context (those are Funcs of their own).
func (r *Result) Inspect(fn *Func, visit func(ast.Node) bool) {
	body := fn.Body()
	if body == nil {
		return
	}
	ast.Inspect(body, func(n ast.Node) bool {
		if lit, ok := n.(*ast.FuncLit); ok && r.boundary[lit] {
			return false
		}
		return visit(n)
	})
}

func (r *Result) receivesContext(ft *ast.FuncType) bool {
	return fieldsHave(r.info, ft.Params, IsContext)
}

func fieldsHave(info *types.Info, fields *ast.FieldList, is func(types.Type) bool) bool {
	if fields == nil {
		return false
	}
	for _, f := range fields.List {
		if t := info.TypeOf(f.Type); t != nil && is(t) {
			return true
		}
	}
	return false
}

func run(pass *analysis.Pass) (any, error) {
	r := &Result{
		info:         pass.TypesInfo,
		boundary:     map[*ast.FuncLit]bool{},
		Suppressions: parseSuppressions(pass.Fset, pass.Files),
	}
	decls := map[*types.Func]*ast.FuncDecl{}
	seen := map[ast.Node]bool{}
	var roots []*Func
	for _, file := range pass.Files {
		for _, d := range file.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if ok {
				if obj, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func); ok {
					decls[obj] = fd
				}
				if r.receivesContext(fd.Type) {
					roots = append(roots, &Func{Node: fd, Name: declName(fd)})
				}
			}
			r.collectLiterals(d, funcName(d), &roots)
		}
	}
	for _, f := range roots {
		seen[f.Node] = true
	}
	// Follow the calls of workflow code to functions of the package,
	// breadth first so that Via names the shortest path.
	r.Funcs = roots
	for i := 0; i < len(r.Funcs); i++ {
		caller := r.Funcs[i]
		r.Inspect(caller, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			fd := decls[Callee(pass.TypesInfo, call)]
			if fd == nil || seen[fd] || fieldsHave(pass.TypesInfo, fd.Type.Params, IsStepContext) {
				return true
			}
			seen[fd] = true
			r.Funcs = append(r.Funcs, &Func{Node: fd, Name: declName(fd), Via: caller.Name})
			return true
		})
	}
	return r, nil
}

// collectLiterals records the step bodies and the function literals that
// receive a durable.Context (roots of workflow code) found in decl.
func (r *Result) collectLiterals(decl ast.Decl, outer string, roots *[]*Func) {
	ast.Inspect(decl, func(n ast.Node) bool {
		lit, ok := n.(*ast.FuncLit)
		if !ok {
			return true
		}
		switch {
		case r.receivesContext(lit.Type):
			r.boundary[lit] = true
			*roots = append(*roots, &Func{Node: lit, Name: "function literal in " + outer})
		case fieldsHave(r.info, lit.Type.Params, IsStepContext):
			r.boundary[lit] = true
			r.StepBodies = append(r.StepBodies, lit)
		}
		return true
	})
}

// funcName names a top-level declaration for messages about the literals in
// it.
func funcName(d ast.Decl) string {
	if fd, ok := d.(*ast.FuncDecl); ok {
		return declName(fd)
	}
	return "a package-level declaration"
}

// declName is "name", "T.name" or "(*T).name".
func declName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	ptr := false
	if s, ok := t.(*ast.StarExpr); ok {
		t, ptr = s.X, true
	}
	if ix, ok := t.(*ast.IndexExpr); ok {
		t = ix.X
	} else if ix, ok := t.(*ast.IndexListExpr); ok {
		t = ix.X
	}
	name := "?"
	if id, ok := t.(*ast.Ident); ok {
		name = id.Name
	}
	if ptr {
		return "(*" + name + ")." + fd.Name.Name
	}
	return name + "." + fd.Name.Name
}
