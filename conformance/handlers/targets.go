package handlers

import (
	"errors"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/conformance/harness"
)

// The names of the chained-invoke targets the invoke requirements deploy.
const (
	echoFunction    = "echo"
	failingFunction = "failing"
	measureFunction = "measure"
)

// echo is a durable function that returns its input.
func echo(_ durable.Context, in any) (any, error) { return in, nil }

// failing is a durable function that always fails.
func failing(durable.Context, any) (any, error) {
	return nil, errors.New("the target function failed")
}

// target builds a chained-invoke target for one run.
type target func(harness.Env) harness.Function

// durableTarget is the target that runs fn as a durable function.
func durableTarget[I, O any](fn func(durable.Context, I) (O, error)) target {
	return func(env harness.Env) harness.Function { return newHandler(env, fn) }
}

// withTargets is the Factory of a requirement whose handler fn invokes other
// durable functions, deployed under their names.
func withTargets[I, O any](fn func(durable.Context, I) (O, error), targets map[string]target) harness.Factory {
	return func(env harness.Env) harness.Deployment {
		dep := harness.Deployment{Handler: newHandler(env, fn), Targets: map[string]harness.Function{}}
		for name, build := range targets {
			dep.Targets[name] = build(env)
		}
		return dep
	}
}
