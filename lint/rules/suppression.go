package rules

import (
	"slices"
	"strings"

	"github.com/lambda-durable/durable/lint/workflow"
)

// Suppression reports //durablelint:ignore comments that suppress nothing:
// without a rule, naming an unknown rule, or without a reason.
var Suppression = newRule(RuleSuppression,
	"report //durablelint:ignore comments without a rule or a reason, or naming an unknown rule\n\n"+
		"A suppression must say which rule it silences and why the code is safe: "+
		"//durablelint:ignore <rule> <reason>. One without a reason suppresses nothing.",
	checkSuppression)

func checkSuppression(c *checker) {
	for _, s := range c.wf.Suppressions.All {
		switch {
		case len(s.Rules) == 0:
			c.pass.Reportf(s.Pos, "%s needs a rule and a reason: %s <rule> <reason> (rules: %s)",
				workflow.IgnoreDirective, workflow.IgnoreDirective, strings.Join(suppressible, ", "))
		case s.Reason == "":
			c.pass.Reportf(s.Pos, "suppression of %s has no reason, so it suppresses nothing: say why the code is safe: %s %s <reason>",
				strings.Join(s.Rules, ","), workflow.IgnoreDirective, strings.Join(s.Rules, ","))
		}
		for _, r := range s.Rules {
			if !slices.Contains(suppressible, r) {
				c.pass.Reportf(s.Pos, "unknown durablelint rule %q in suppression (rules: %s)", r, strings.Join(suppressible, ", "))
			}
		}
	}
}
