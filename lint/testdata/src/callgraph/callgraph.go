package callgraph

import "github.com/lambda-durable/durable"

type order struct{}

func Workflow(ctx durable.Context, in string) (string, error) { // want `workflow code: Workflow`
	validate(in)
	var o order
	o.price()
	_, _ = durable.Step(ctx, "fetch", func(durable.StepContext) (int, error) { // the step body is not workflow code
		return fetch(), nil
	})
	_, _ = durable.Step(ctx, "named", namedStep)
	return durable.RunInChildContext(ctx, "child", func(c durable.Context) (string, error) { // want `workflow code: function literal in Workflow`
		return viaChild(), nil
	})
}

func validate(string) { deeper() } // want `workflow code: validate, via Workflow`

func deeper() {} // want `workflow code: deeper, via validate`

func (order) price() {} // want `workflow code: order.price, via Workflow`

func viaChild() string { return "" } // want `workflow code: viaChild, via function literal in Workflow`

// Not workflow code: called from step bodies only, or from nowhere.

func fetch() int { return helper() }

func helper() int { return 0 }

func namedStep(durable.StepContext) (int, error) { return helper(), nil }

func unused() { deeper() }

var handler = func(ctx durable.Context, in int) (int, error) { return in, nil } // want `workflow code: function literal in a package-level declaration`
