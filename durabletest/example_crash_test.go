package durabletest_test

import (
	"context"
	"fmt"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/durabletest"
)

// WithCrash kills an invocation at a chosen point, as if its process died.
// Here the process dies right after the payment was recorded: the next
// invocation replays the payment instead of charging again.
func ExampleWithCrash() {
	charges := 0
	pay := func(ctx durable.Context, amount int) (string, error) {
		receipt, err := durable.Step(ctx, "charge", func(durable.StepContext) (string, error) {
			charges++
			return fmt.Sprintf("charged %d", amount), nil
		})
		if err != nil {
			return "", err
		}
		return durable.Step(ctx, "email", func(durable.StepContext) (string, error) {
			return receipt + ", receipt sent", nil
		})
	}
	r := durabletest.New(durable.NewHandler(pay, quiet), durabletest.WithCrash(durabletest.CrashAfter("charge")))
	defer r.Close()
	res, err := r.Run(context.Background(), 42)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Status, res.Result)
	fmt.Println("crashed:", r.Crashes())
	fmt.Println("charges:", charges)
	// Output:
	// SUCCEEDED "charged 42, receipt sent"
	// crashed: [after operation "charge"]
	// charges: 1
}

// CrashBefore loses an operation that ran but was not yet recorded: the
// step's body runs again on the next invocation (steps are at least once).
func ExampleCrashBefore() {
	attempts := 0
	send := func(ctx durable.Context, to string) (string, error) {
		return durable.Step(ctx, "send", func(durable.StepContext) (string, error) {
			attempts++
			return "sent to " + to, nil
		})
	}
	r := durabletest.New(durable.NewHandler(send, quiet), durabletest.WithCrash(durabletest.CrashBefore("send")))
	defer r.Close()
	res, err := r.Run(context.Background(), "ada")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Status, res.Result, "after", attempts, "runs of the body")
	// Output:
	// SUCCEEDED "sent to ada" after 2 runs of the body
}
