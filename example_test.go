package durable_test

import (
	"context"
	"fmt"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/local"
)

// A workflow with a step, a durable wait and a child context, run here on
// the in-process local service with virtual time. In Lambda, main would call
// durable.Start(workflow) instead.
func ExampleNewHandler() {
	workflow := func(ctx durable.Context, name string) (string, error) {
		greeting, err := durable.Step(ctx, "greet", func(sc durable.StepContext) (string, error) {
			return "Hello, " + name + "!", nil
		})
		if err != nil {
			return "", err
		}
		if err := durable.Wait(ctx, "pause", durable.Hours(1)); err != nil {
			return "", err
		}
		return durable.RunInChildContext(ctx, "sign", func(child durable.Context) (string, error) {
			return durable.Step(child, "signature", func(durable.StepContext) (string, error) {
				return greeting + " -- durable", nil
			})
		})
	}
	h := durable.NewHandler(workflow, durable.WithLogHandler(discard{}))

	svc := local.New(local.WithClock(local.NewVirtualClock(time.Unix(0, 0))), local.WithTimeSkipping(local.SkipWhenIdle))
	defer svc.Close()
	_ = svc.RegisterFunction("greeter", h)
	arn, err := svc.StartExecution(context.Background(), local.StartInput{FunctionName: "greeter", Input: []byte(`"World"`)})
	if err != nil {
		fmt.Println(err)
		return
	}
	out, _ := svc.GetExecution(context.Background(), &local.GetExecutionInput{DurableExecutionArn: arn})
	fmt.Println(out.Status, *out.Result)
	// Output: SUCCEEDED "Hello, World! -- durable"
}
