// Package rules holds the durablelint analyzers: one per determinism rule of
// docs/determinism.md, each reporting what it finds in workflow code (see
// package workflow) with the reason it breaks replay and the fix.
//
// A finding is suppressed by a comment on its line or the line above:
//
//	//durablelint:ignore <rule> <reason>
//
// The reason is mandatory; the suppression analyzer reports comments without
// one (they suppress nothing) and comments naming unknown rules.
package rules

import (
	"fmt"
	"go/token"

	"golang.org/x/tools/go/analysis"

	"github.com/lambda-durable/durable/lint/workflow"
)

// The rule names, used as analyzer names and in suppression comments.
const (
	RuleWallClock   = "wallclock"
	RuleRandom      = "random"
	RuleMapRange    = "maprange"
	RuleGoroutine   = "goroutine"
	RuleExternal    = "external"
	RuleCtxCapture  = "ctxcapture"
	RuleOpName      = "opname"
	RuleGlobalWrite = "globalwrite"
	RuleSuppression = "suppression"
)

// suppressible lists the rules a //durablelint:ignore comment can name.
var suppressible = []string{
	RuleWallClock, RuleRandom, RuleMapRange, RuleGoroutine,
	RuleExternal, RuleCtxCapture, RuleOpName, RuleGlobalWrite,
}

// All returns every durablelint analyzer.
func All() []*analysis.Analyzer {
	return []*analysis.Analyzer{
		WallClock, Random, MapRange, Goroutine,
		External, CtxCapture, OpName, GlobalWrite, Suppression,
	}
}

// checker is what a rule's check function works with.
type checker struct {
	pass *analysis.Pass
	wf   *workflow.Result
	rule string
}

// newRule builds the analyzer of a rule: check runs with the package's
// workflow code.
func newRule(name, doc string, check func(*checker)) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name:     name,
		Doc:      doc,
		Requires: []*analysis.Analyzer{workflow.Analyzer},
		Run: func(pass *analysis.Pass) (any, error) {
			wf := pass.ResultOf[workflow.Analyzer].(*workflow.Result)
			check(&checker{pass: pass, wf: wf, rule: name})
			return nil, nil
		},
	}
}

// report reports a finding in workflow function fn (nil outside workflow
// code): "<what> in workflow code[ (in f, called from ...)]: <why>; <fix>".
func (c *checker) report(pos token.Pos, fn *workflow.Func, what, why, fix string) {
	where := " in workflow code"
	if fn != nil {
		where += fn.Where()
	}
	c.reportf(pos, "%s%s: %s; %s", what, where, why, fix)
}

// reportf reports a finding unless a //durablelint:ignore comment with a
// reason suppresses it.
func (c *checker) reportf(pos token.Pos, format string, args ...any) {
	if c.wf.Suppressions.Suppressed(c.rule, pos) {
		return
	}
	c.pass.Report(analysis.Diagnostic{Pos: pos, Category: c.rule, Message: fmt.Sprintf(format, args...)})
}
