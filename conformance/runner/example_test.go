package runner_test

import (
	"context"
	"fmt"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/conformance/harness"
	"github.com/lambda-durable/durable/conformance/runner"
	"github.com/lambda-durable/durable/conformance/spec"
)

// A requirement whose handler waits an hour runs at once: the wait passes on
// the service's virtual clock.
func ExampleLocal_Run() {
	req, err := spec.Parse([]byte(`
Input: World
ExpectedResult: {ExecutionStatus: SUCCEEDED}
`), spec.File{Suite: "example", ID: "1-1", Path: "example.yaml"})
	if err != nil {
		panic(err)
	}
	factory := func(env harness.Env) harness.Deployment {
		greet := func(ctx durable.Context, name string) (string, error) {
			if err := durable.Wait(ctx, "an hour", durable.Hours(1)); err != nil {
				return "", err
			}
			return "Hello, " + name + "!", nil
		}
		// env.Options reach the run's service over HTTP and log to env.Logs.
		return harness.Deployment{Handler: durable.NewHandler(greet, env.Options...)}
	}
	obs, err := runner.Local{}.Run(context.Background(), req, factory, harness.Env{})
	if err != nil {
		panic(err)
	}
	fmt.Println(obs.Status, *obs.Result, len(obs.History), "events")
	// Output:
	// SUCCEEDED "Hello, World!" 6 events
}
