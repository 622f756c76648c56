package workflow_test

import (
	"go/ast"
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/lambda-durable/durable/lint/workflow"
)

// TestWorkflowCode reports every function found to be workflow code, with
// the caller that made it so, against the // want comments of
// testdata/src/callgraph.
func TestWorkflowCode(t *testing.T) {
	show := &analysis.Analyzer{
		Name:     "show",
		Doc:      "report the workflow code found",
		Requires: []*analysis.Analyzer{workflow.Analyzer},
		Run: func(pass *analysis.Pass) (any, error) {
			wf := pass.ResultOf[workflow.Analyzer].(*workflow.Result)
			for _, fn := range wf.Funcs {
				msg := "workflow code: " + fn.Name
				if fn.Via != "" {
					msg += ", via " + fn.Via
				}
				pass.Reportf(fn.Node.Pos(), "%s", msg)
			}
			if len(wf.StepBodies) != 1 {
				t.Errorf("found %d step bodies, want 1", len(wf.StepBodies))
			}
			// Inspect does not enter step bodies nor child-context bodies.
			for _, fn := range wf.Funcs {
				wf.Inspect(fn, func(n ast.Node) bool {
					if lit, ok := n.(*ast.FuncLit); ok {
						t.Errorf("Inspect of %s entered the literal at %v", fn.Name, pass.Fset.Position(lit.Pos()))
					}
					return true
				})
			}
			return nil, nil
		},
	}
	analysistest.Run(t, testdata(t), show, "callgraph")
}

// testdata is the module's testdata directory, shared by the packages'
// tests (analysistest needs an absolute path).
func testdata(t *testing.T) string {
	dir, err := filepath.Abs(filepath.Join("..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}
