package durable_test

import (
	"context"
	"fmt"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/durabletest"
)

// Version branches a workflow replay-safely: a new execution records the
// newest version (here 2) and takes its path; an execution recorded before
// the call existed gets DefaultVersion and keeps the old path.
func ExampleVersion() {
	greet := func(ctx durable.Context, name string) (string, error) {
		v, err := durable.Version(ctx, "formal-greeting", durable.DefaultVersion, 2)
		if err != nil {
			return "", err
		}
		greeting := "hi"
		if v == 2 {
			greeting = "good morning"
		}
		return durable.Step(ctx, "greet", func(durable.StepContext) (string, error) {
			return greeting + ", " + name, nil
		})
	}
	r := durabletest.New(durable.NewHandler(greet, silent))
	defer r.Close()
	res, err := r.Run(context.Background(), "Ada")
	if err != nil {
		fmt.Println(err)
		return
	}
	var out string
	_ = res.Decode(&out)
	marker, _ := r.Operation("formal-greeting")
	fmt.Println(out)
	fmt.Println(marker.Type, marker.SubType, marker.StepDetails.Result)
	// Output:
	// good morning, Ada
	// STEP Version 2
}
