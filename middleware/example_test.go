package middleware_test

import (
	"context"
	"fmt"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/middleware"
)

// An audit interceptor: installed with durable.WithMiddleware it sees every
// operation, replayed or live, with its outcome.
func Example_audit() {
	audit := func(next middleware.Handler) middleware.Handler {
		return func(ctx context.Context, op *middleware.Operation) error {
			err := next(ctx, op)
			mode := "live"
			if op.Replaying {
				mode = "replay"
			}
			fmt.Printf("audit: %s %s %q %s (%s) err=%v\n", op.ID, op.Type, op.Name, op.Status, mode, err)
			return err
		}
	}
	// The engine composes the chain once and calls it for each operation;
	// here a stand-in for the engine's stages completes the operation.
	run := middleware.Chain(audit)(func(ctx context.Context, op *middleware.Operation) error {
		op.Status = checkpoint.StatusSucceeded
		return nil
	})
	_ = run(context.Background(), &middleware.Operation{ID: "1", Type: checkpoint.TypeStep, Name: "charge"})
	_ = run(context.Background(), &middleware.Operation{ID: "1", Type: checkpoint.TypeStep, Name: "charge", Replaying: true})
	// Output:
	// audit: 1 STEP "charge" SUCCEEDED (live) err=<nil>
	// audit: 1 STEP "charge" SUCCEEDED (replay) err=<nil>
}

// Metrics counts what the handler does; durable.WithMetrics installs it.
func ExampleMetrics() {
	var m middleware.Metrics
	run := middleware.Chain(m.Operation())(func(context.Context, *middleware.Operation) error { return nil })
	_ = run(context.Background(), &middleware.Operation{ID: "1"})
	_ = run(context.Background(), &middleware.Operation{ID: "2", Replaying: true})
	s := m.Snapshot()
	fmt.Println(s.Operations, s.Replays)
	// Output: 2 1
}
