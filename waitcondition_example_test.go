package durable_test

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/retry"
)

// Polling an export job until it is done: each check is recorded, and the
// invocation suspends between checks.
func ExampleWaitForCondition() {
	type Job struct {
		ID       string `json:"id"`
		Progress int    `json:"progress"`
	}
	workflow := func(ctx durable.Context, id string) (Job, error) {
		return durable.WaitForCondition(ctx, "await-export",
			func(sc durable.StepContext, j Job) (Job, error) {
				j.Progress += 40 // stands for a call to the export service
				return j, nil
			},
			durable.WithWaitStrategy(durable.WaitUntil(func(j Job) bool { return j.Progress >= 100 }, retry.Fixed(10, 15*time.Second))),
			durable.WithInitialState(Job{ID: id}))
	}

	r := durabletest.New(durable.NewHandler(workflow, durable.WithLogHandler(slog.DiscardHandler)))
	defer r.Close()
	start := r.Now()
	res, _ := r.Run(context.Background(), "exp-1")
	var job Job
	_ = res.Decode(&job)
	fmt.Println(res.Status, job.ID, job.Progress)
	fmt.Println("waited", r.Now().Sub(start))
	// Output:
	// SUCCEEDED exp-1 120
	// waited 30s
}

// The standard wait strategy: stop when the condition holds, poll again
// after the schedule's delay otherwise, give up when the schedule allows no
// more attempts (here three checks, 30 s apart).
func ExampleWaitUntil() {
	strategy := durable.WaitUntil(func(status string) bool { return status == "READY" }, retry.Fixed(3, 30*time.Second))
	for attempt, status := range []string{"PENDING", "PENDING", "PENDING"} {
		d := strategy(status, attempt+1)
		fmt.Println(d.Continue, d.Delay, d.Err)
	}
	fmt.Println(strategy("READY", 1).Continue)
	// Output:
	// true 30s <nil>
	// true 30s <nil>
	// false 0s durable: the condition was not met after 3 checks
	// false
}

// WaitForConditionAsync polls on its own goroutine; here two polls run side
// by side and All collects both final states.
func ExampleWaitForConditionAsync() {
	count := func(_ durable.StepContext, n int) (int, error) { return n + 1, nil }
	workflow := func(ctx durable.Context, _ any) ([]int, error) {
		a := durable.WaitForConditionAsync(ctx, "export-a", count,
			durable.WithWaitStrategy(durable.WaitUntil(func(n int) bool { return n >= 3 }, retry.Fixed(60, durable.Seconds(10)))))
		b := durable.WaitForConditionAsync(ctx, "export-b", count,
			durable.WithWaitStrategy(durable.WaitUntil(func(n int) bool { return n >= 2 }, retry.Fixed(60, durable.Seconds(30)))))
		return durable.All(ctx, "both-exports", a, b)
	}
	r := durabletest.New(durable.NewHandler(workflow, durable.WithLogHandler(slog.DiscardHandler)))
	defer r.Close()
	start := r.Now()
	res, _ := r.Run(context.Background(), nil)
	fmt.Println(res.Status, res.Result, "after", r.Now().Sub(start))
	// Output: SUCCEEDED [3,2] after 30s
}
