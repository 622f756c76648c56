package durable_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/retry"
)

// A step whose first attempt fails is retried after the strategy's delay
// (the invocation suspends meanwhile); its result is then checkpointed and
// never computed again.
func ExampleStep() {
	attempts := 0
	workflow := func(ctx durable.Context, order string) (string, error) {
		return durable.Step(ctx, "reserve-stock", func(sc durable.StepContext) (string, error) {
			attempts++
			if sc.Attempt() == 1 {
				return "", errors.New("warehouse busy")
			}
			return "reserved " + order, nil
		}, durable.WithRetry(retry.Fixed(3, 10*time.Second)))
	}
	r := durabletest.New(durable.NewHandler(workflow, durable.WithLogHandler(slog.DiscardHandler)))
	defer r.Close()
	res, _ := r.Run(context.Background(), "A-17")
	var out string
	_ = res.Decode(&out)
	fmt.Println(res.Status, out, "after", attempts, "attempts")
	// Output: SUCCEEDED reserved A-17 after 2 attempts
}

// StepAsync starts steps that run side by side; Get returns each result.
func ExampleStepAsync() {
	workflow := func(ctx durable.Context, _ any) (int, error) {
		a := durable.StepAsync(ctx, "left", func(durable.StepContext) (int, error) { return 20, nil })
		b := durable.StepAsync(ctx, "right", func(durable.StepContext) (int, error) { return 22, nil })
		x, err := a.Get()
		if err != nil {
			return 0, err
		}
		y, err := b.Get()
		return x + y, err
	}
	r := durabletest.New(durable.NewHandler(workflow, durable.WithLogHandler(slog.DiscardHandler)))
	defer r.Close()
	res, _ := r.Run(context.Background(), nil)
	fmt.Println(res.Status, res.Result)
	// Output: SUCCEEDED 42
}

var errCardDeclined = errors.New("card declined")

// A retry condition is one line: any strategy's If keeps it for the errors
// worth retrying. A declined card fails the step at once.
func ExampleWithRetry() {
	attempts := 0
	workflow := func(ctx durable.Context, card string) (string, error) {
		_, err := durable.Step(ctx, "charge", func(durable.StepContext) (string, error) {
			attempts++
			return "", errCardDeclined
		}, durable.WithRetry(retry.Exponential(5, 2*time.Second, time.Minute).If(func(err error) bool {
			return !errors.Is(err, errCardDeclined)
		})))
		var se *durable.StepError
		if errors.As(err, &se) {
			return fmt.Sprintf("%s: %s after %d attempt(s)", card, se.Object.ErrorMessage, attempts), nil
		}
		return "charged", err
	}
	r := durabletest.New(durable.NewHandler(workflow, durable.WithLogHandler(slog.DiscardHandler)))
	defer r.Close()
	res, _ := r.Run(context.Background(), "visa-4242")
	var out string
	_ = res.Decode(&out)
	fmt.Println(res.Status, out)
	// Output: SUCCEEDED visa-4242: card declined after 1 attempt(s)
}
