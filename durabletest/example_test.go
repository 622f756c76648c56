package durabletest_test

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

// quiet keeps the SDK's logs out of the examples' output.
var quiet = durable.WithLogHandler(slog.DiscardHandler)

// order charges a card (failing once), waits a day, then ships in a child
// context.
func order(ctx durable.Context, item string) (string, error) {
	charged, err := durable.Step(ctx, "charge", func(sc durable.StepContext) (string, error) {
		if sc.Attempt() == 1 {
			return "", errors.New("card declined")
		}
		return "charged for " + item, nil
	}, durable.WithRetry(retry.Fixed(3, 10*time.Second)))
	if err != nil {
		return "", err
	}
	if err := durable.Wait(ctx, "cool-off", time.Hour); err != nil {
		return "", err
	}
	return durable.RunInChildContext(ctx, "ship", func(child durable.Context) (string, error) {
		return durable.Step(child, "label", func(durable.StepContext) (string, error) {
			return charged + ", shipped", nil
		})
	})
}

// Run drives the workflow to its end; the retry delay and the one-hour wait
// take no real time.
func Example() {
	r := durabletest.New(durable.NewHandler(order, quiet))
	defer r.Close()
	start := r.Now()
	res, err := r.Run(context.Background(), "book")
	if err != nil {
		fmt.Println(err)
		return
	}
	var out string
	_ = res.Decode(&out)
	fmt.Println(res.Status, out)
	fmt.Println("virtual time elapsed:", r.Now().Sub(start))
	// Output:
	// SUCCEEDED charged for book, shipped
	// virtual time elapsed: 1h0m10s
}

// RunInvocation runs one invocation at a time, skipping time to the next
// timer when none is due.
func ExampleRunner_RunInvocation() {
	r := durabletest.New(durable.NewHandler(order, quiet))
	defer r.Close()
	ctx := context.Background()
	if err := r.Start(ctx, "lamp"); err != nil {
		fmt.Println(err)
		return
	}
	for i := 1; ; i++ {
		inv, err := r.RunInvocation(ctx)
		if errors.Is(err, durabletest.ErrNothingToRun) {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("invocation %d: %s at +%s\n", i, inv.Status, inv.StartTimestamp.Sub(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)))
	}
	fmt.Println(r.Result().Status)
	// Output:
	// invocation 1: PENDING at +0s
	// invocation 2: PENDING at +10s
	// invocation 3: SUCCEEDED at +1h0m10s
	// SUCCEEDED
}

// Advance moves the virtual clock by hand: the wait ends only once a full
// hour has passed.
func ExampleRunner_Advance() {
	nap := func(ctx durable.Context, _ any) (string, error) {
		if err := durable.Wait(ctx, "nap", time.Hour); err != nil {
			return "", err
		}
		return "rested", nil
	}
	r := durabletest.New(durable.NewHandler(nap, quiet))
	defer r.Close()
	ctx := context.Background()
	_ = r.Start(ctx, nil)
	_, _ = r.RunInvocation(ctx) // records the wait and suspends

	r.Advance(59 * time.Minute)
	op, _ := r.Operation("nap")
	fmt.Println("after 59m:", op.Status)

	r.Advance(time.Minute)
	op, _ = r.Operation("nap")
	fmt.Println("after 60m:", op.Status)

	res, _ := r.Resume(ctx)
	fmt.Println(res.Status, res.Result)
	// Output:
	// after 59m: STARTED
	// after 60m: SUCCEEDED
	// SUCCEEDED "rested"
}

// History lists the events the service recorded, as GetDurableExecutionHistory
// returns them.
func ExampleRunner_History() {
	r := durabletest.New(durable.NewHandler(order, quiet))
	defer r.Close()
	_, _ = r.Run(context.Background(), "pen")
	for _, ev := range r.History() {
		if ev.SubType != "" { // an operation's event
			fmt.Println(ev.EventId, ev.EventType, ev.Name)
		} else {
			fmt.Println(ev.EventId, ev.EventType)
		}
	}
	// Output:
	// 1 ExecutionStarted
	// 2 StepStarted charge
	// 3 StepFailed charge
	// 4 InvocationCompleted
	// 5 StepStarted charge
	// 6 StepSucceeded charge
	// 7 WaitStarted cool-off
	// 8 InvocationCompleted
	// 9 WaitSucceeded cool-off
	// 10 ContextStarted ship
	// 11 StepStarted label
	// 12 StepSucceeded label
	// 13 ContextSucceeded ship
	// 14 InvocationCompleted
	// 15 ExecutionSucceeded
}

// CheckHistory compares the history with a golden file; run the tests with
// DURABLETEST_UPDATE=1 (or -update, see RegisterUpdateFlag) to rewrite it.
func ExampleRunner_CheckHistory() {
	r := durabletest.New(durable.NewHandler(order, quiet))
	defer r.Close()
	_, _ = r.Run(context.Background(), "pen")
	if err := r.CheckHistory("testdata/order.golden"); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("history matches")
	// Output: history matches
}
