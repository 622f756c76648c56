package durable_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/durabletest"
)

// A child context groups operations under one checkpointed result: once it
// has succeeded, later invocations return that result without replaying
// its children.
func ExampleRunInChildContext() {
	workflow := func(ctx durable.Context, names []string) (string, error) {
		greetings, err := durable.RunInChildContext(ctx, "greet-all", func(child durable.Context) ([]string, error) {
			var out []string
			for _, n := range names {
				g, err := durable.Step(child, "greet-"+n, func(durable.StepContext) (string, error) {
					return "hello " + n, nil
				})
				if err != nil {
					return nil, err
				}
				out = append(out, g)
			}
			return out, nil
		})
		if err != nil {
			return "", err
		}
		return strings.Join(greetings, ", "), nil
	}
	r := durabletest.New(durable.NewHandler(workflow, durable.WithLogHandler(slog.DiscardHandler)))
	defer r.Close()
	res, _ := r.Run(context.Background(), []string{"ada", "alan"})
	fmt.Println(res.Status, res.Result)
	for _, op := range r.Operations()[1:] {
		fmt.Println(op.Type, op.Name, op.ParentId != "")
	}
	// Output:
	// SUCCEEDED "hello ada, hello alan"
	// CONTEXT greet-all false
	// STEP greet-ada true
	// STEP greet-alan true
}
