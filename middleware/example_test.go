package middleware_test

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/middleware"
)

// An audit interceptor: installed with durable.WithMiddleware it sees every
// operation in the invocation where it happens, with its outcome, including
// the invocation's suspension (next returns ErrSuspended while the wait
// runs). Replayed operations are skipped.
func Example_audit() {
	audit := func(next middleware.Handler) middleware.Handler {
		return func(ctx context.Context, op *middleware.Operation) error {
			err := next(ctx, op)
			if spec := op.Spec(); !spec.Replaying {
				fmt.Printf("audit: %s %s %q %s suspended=%t\n", spec.ID, spec.Type, spec.Name, op.Status(), op.Suspended())
			}
			return err
		}
	}
	workflow := func(ctx durable.Context, _ string) (string, error) {
		if _, err := durable.Step(ctx, "charge", func(durable.StepContext) (int, error) { return 42, nil }); err != nil {
			return "", err
		}
		if err := durable.Wait(ctx, "cool-off", time.Hour); err != nil {
			return "", err
		}
		return "done", nil
	}
	r := durabletest.New(durable.NewHandler(workflow,
		durable.WithMiddleware(audit), durable.WithLogHandler(slog.DiscardHandler)))
	defer r.Close()
	res, err := r.Run(context.Background(), "order")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Status)
	// Output:
	// audit: 1 STEP "charge" SUCCEEDED suspended=false
	// audit: 2 WAIT "cool-off" STARTED suspended=true
	// audit: 2 WAIT "cool-off" SUCCEEDED suspended=false
	// SUCCEEDED
}

// Metrics counts what the handler does; durable.WithMetrics installs it.
func ExampleMetrics() {
	var m middleware.Metrics
	workflow := func(ctx durable.Context, _ string) (string, error) {
		return "", durable.Wait(ctx, "pause", time.Minute)
	}
	r := durabletest.New(durable.NewHandler(workflow,
		durable.WithMiddleware(m.Operation()), durable.WithLogHandler(slog.DiscardHandler)))
	defer r.Close()
	if _, err := r.Run(context.Background(), nil); err != nil {
		fmt.Println(err)
		return
	}
	s := m.Snapshot()
	fmt.Println(s.Operations, s.Suspensions, s.Failures)
	// Output: 2 1 0
}
