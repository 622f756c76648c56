package rules

import (
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/lambda-durable/durable/lint/workflow"
)

// checks maps each testdata package to the rule it tests. Each package holds
// positive cases (with // want comments) and negative cases: code the rule
// must not report.
var checks = map[string]func(*checker){
	RuleWallClock:   checkWallClock,
	RuleRandom:      checkRandom,
	RuleMapRange:    checkMapRange,
	RuleGoroutine:   checkGoroutine,
	RuleExternal:    checkExternal,
	RuleCtxCapture:  checkCtxCapture,
	RuleOpName:      checkOpName,
	RuleGlobalWrite: checkGlobalWrite,
	RuleSuppression: checkSuppression,
}

// TestRules runs every rule on its testdata package. Loading the packages
// (the standard library from source) is the slow part of analysistest, so
// one analyzer loads them all once and runs, on package p, the rule p.
func TestRules(t *testing.T) {
	byPackage := &analysis.Analyzer{
		Name:     "byPackage",
		Doc:      "run on each testdata package the rule it is named after",
		Requires: []*analysis.Analyzer{workflow.Analyzer},
		Run: func(pass *analysis.Pass) (any, error) {
			rule := strings.Fields(pass.Pkg.Path())[0]
			check, ok := checks[rule]
			if !ok {
				t.Errorf("no rule for testdata package %s", pass.Pkg.Path())
				return nil, nil
			}
			check(&checker{pass: pass, wf: pass.ResultOf[workflow.Analyzer].(*workflow.Result), rule: rule})
			return nil, nil
		},
	}
	var pkgs []string
	for rule := range checks {
		pkgs = append(pkgs, rule)
	}
	dir, err := filepath.Abs(filepath.Join("..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	results := analysistest.Run(t, dir, byPackage, pkgs...)
	if len(results) != len(checks) {
		t.Errorf("analysed %d packages, want %d", len(results), len(checks))
	}
}

func TestAnalyzers(t *testing.T) {
	all := All()
	if err := analysis.Validate(all); err != nil {
		t.Fatal(err)
	}
	for _, a := range all {
		if _, ok := checks[a.Name]; !ok {
			t.Errorf("analyzer %s has no testdata package", a.Name)
		}
	}
	if len(all) != len(checks) {
		t.Errorf("%d analyzers, %d tested", len(all), len(checks))
	}
}
