package durable_test

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/durabletest"
)

// A durable wait suspends the execution: the invocation ends and the service
// invokes the function again when the timer is due (here at once, on the
// runner's virtual clock).
func ExampleWait() {
	workflow := func(ctx durable.Context, _ any) (string, error) {
		if err := durable.Wait(ctx, "cool-down", durable.Hours(1)); err != nil {
			return "", err
		}
		return "resumed", nil
	}
	r := durabletest.New(durable.NewHandler(workflow, durable.WithLogHandler(slog.DiscardHandler)))
	defer r.Close()
	start := r.Now()
	res, _ := r.Run(context.Background(), nil)
	fmt.Println(res.Status, res.Result, "after", r.Now().Sub(start))
	// Output: SUCCEEDED "resumed" after 1h0m0s
}

// WaitAsync makes a durable timeout: Race a callback against it.
func ExampleWaitAsync() {
	workflow := func(ctx durable.Context, _ any) (string, error) {
		cb, err := durable.CreateCallback[string](ctx, "approval")
		if err != nil {
			return "", err
		}
		timeout := durable.WaitAsync(ctx, "approval-timeout", durable.Hours(1))
		winner, _, err := durable.Race(ctx, "approval-or-timeout",
			durable.CallbackFuture(cb).Untyped(), timeout.Untyped())
		if err != nil {
			return "", err
		}
		if winner == 1 {
			return "nobody approved in time", nil // the callback was cancelled
		}
		return cb.Get()
	}
	r := durabletest.New(durable.NewHandler(workflow, durable.WithLogHandler(slog.DiscardHandler)))
	defer r.Close()
	_, _ = r.Run(context.Background(), nil) // blocks on the open callback
	r.Advance(durable.Hours(1))
	res, _ := r.Resume(context.Background())
	fmt.Println(res.Status, res.Result)
	// Output: SUCCEEDED "nobody approved in time"
}
