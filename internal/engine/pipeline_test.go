package engine

import (
	"context"
	"errors"
	"testing"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/middleware"
	"github.com/lambda-durable/durable/retry"
)

// The interrupted attempt of an at-most-once step goes through the attempt
// chain like any attempt (without running the body), so attempt
// interceptors see it, and the strategy decides on what the chain returns.
func TestInterruptedAtMostOnceAttemptGoesThroughAttemptChain(t *testing.T) {
	f := newFake(t, "")
	f.add(&checkpoint.Operation{Id: "1", Name: "once", Type: checkpoint.TypeStep, SubType: "Step",
		Status: checkpoint.StatusStarted, StepDetails: &checkpoint.StepDetails{}})
	var seen []string
	var strategySaw error
	ran := false
	en := newEngine(t, func(c *Context) (any, error) {
		return Step(c, "once", func(*StepContext) (int, error) { ran = true; return 1, nil }, StepOptions{
			AtMostOnce: true,
			Retry: func(attempt int, err error) retry.Decision {
				strategySaw = err
				return retry.Decision{}
			},
		})
	}, func(cfg *Config) {
		cfg.AttemptMiddleware = []middleware.Middleware{func(next middleware.Handler) middleware.Handler {
			return func(ctx context.Context, op *middleware.Operation) error {
				err := next(ctx, op)
				var ie *StepInterruptedError
				if errors.As(err, &ie) && op.Spec().Attempt == 1 && !op.AttemptStart().IsZero() && !op.AttemptEnd().Before(op.AttemptStart()) {
					seen = append(seen, "interrupted")
				} else {
					seen = append(seen, "other")
				}
				return err
			}
		}}
	})
	resp, _ := runToEnd(t, en, f)
	var ie *StepInterruptedError
	if ran || resp.Status != checkpoint.InvocationFailed || !errors.As(strategySaw, &ie) {
		t.Fatalf("ran=%v resp=%+v strategy saw %v", ran, resp, strategySaw)
	}
	if len(seen) != 1 || seen[0] != "interrupted" {
		t.Fatalf("the attempt chain saw %v, want the interrupted attempt once", seen)
	}
	if a := actions(f.updates()); a != "1:STEP:FAIL" {
		t.Fatalf("updates %s", a)
	}
}
