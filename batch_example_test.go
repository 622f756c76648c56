package durable_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/durabletest"
)

// runExample runs workflow on the in-process local service with virtual
// time and prints its outcome.
func runExample[I, O any](workflow func(durable.Context, I) (O, error), input I) {
	r := durabletest.New(durable.NewHandler(workflow, durable.WithLogHandler(slog.DiscardHandler)))
	defer r.Close()
	res, err := r.Run(context.Background(), input)
	switch {
	case err != nil:
		fmt.Println(err)
	case res.Error != nil:
		fmt.Println(res.Status, res.Error.ErrorType, res.Error.ErrorMessage)
	default:
		fmt.Println(res.Status, res.Result)
	}
}

// Map fans out over a list: each item runs in its own child context, at
// most two at a time here, and the results come back in item order.
func ExampleMap() {
	workflow := func(ctx durable.Context, users []string) ([]string, error) {
		res, err := durable.Map(ctx, "notify", users, func(ctx durable.Context, i int, user string) (string, error) {
			return durable.Step(ctx, "send", func(durable.StepContext) (string, error) {
				return "sent to " + user, nil
			})
		}, durable.WithMaxConcurrency(2))
		if err != nil {
			return nil, err
		}
		return res.Results(), res.Err()
	}
	runExample(workflow, []string{"ana", "bo", "cy"})
	// Output: SUCCEEDED ["sent to ana","sent to bo","sent to cy"]
}

// With a completion option the batch can end before every item ran: here
// as soon as two items succeeded. Items still running are abandoned and
// items never started are absent from the result.
func ExampleWithMinSuccessful() {
	workflow := func(ctx durable.Context, mirrors []string) (string, error) {
		res, err := durable.Map(ctx, "fetch", mirrors, func(_ durable.Context, _ int, m string) (string, error) {
			if strings.HasPrefix(m, "down") {
				return "", errors.New(m + " unreachable")
			}
			return "copy from " + m, nil
		}, durable.WithMinSuccessful(2), durable.WithMaxConcurrency(1))
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%s: %d ok, %d failed, %d started: %q",
			res.CompletionReason, res.SuccessCount(), res.FailureCount(), res.TotalCount(), res.Results()), nil
	}
	runExample(workflow, []string{"eu", "down-us", "ap", "sa"})
	// Output: SUCCEEDED "MIN_SUCCESSFUL_REACHED: 2 ok, 1 failed, 3 started: [\"copy from eu\" \"copy from ap\"]"
}

// MapBatches hands groups of items to each child context, which keeps the
// number of operations low for large inputs.
func ExampleMapBatches() {
	workflow := func(ctx durable.Context, ids []int) ([]int, error) {
		res, err := durable.MapBatches(ctx, "sum", ids, durable.ItemBatcher[int]{MaxItems: 3},
			func(_ durable.Context, b durable.Batch[int]) (int, error) {
				total := 0
				for _, id := range b.Items {
					total += id
				}
				return total, nil
			})
		if err != nil {
			return nil, err
		}
		return res.Results(), nil
	}
	runExample(workflow, []int{1, 2, 3, 4, 5, 6, 7})
	// Output: SUCCEEDED [6,15,7]
}

// Parallel runs different branches concurrently. A branch that waits
// suspends the whole invocation; the next invocation resumes it without
// running the finished branch again.
func ExampleParallel() {
	workflow := func(ctx durable.Context, _ any) ([]string, error) {
		res, err := durable.Parallel(ctx, "checks", []durable.Branch[string]{
			{Name: "credit", Func: func(ctx durable.Context) (string, error) {
				return durable.Step(ctx, "score", func(durable.StepContext) (string, error) { return "credit ok", nil })
			}},
			{Name: "fraud", Func: func(ctx durable.Context) (string, error) {
				if err := durable.Wait(ctx, "cool-down", time.Minute); err != nil {
					return "", err
				}
				return "fraud ok", nil
			}},
		})
		if err != nil {
			return nil, err
		}
		return res.Results(), res.Err()
	}
	runExample(workflow, nil)
	// Output: SUCCEEDED ["credit ok","fraud ok"]
}

// Err turns item failures into an error: returning it fails the execution
// with the first failure's error type.
func ExampleBatchResult_Err() {
	workflow := func(ctx durable.Context, _ any) (string, error) {
		res, err := durable.Parallel(ctx, "all-or-nothing", durable.Branches(
			func(durable.Context) (string, error) { return "reserved", nil },
			func(durable.Context) (string, error) { return "", soldOut{} },
		), durable.WithToleratedFailureCount(1))
		if err != nil {
			return "", err
		}
		return "booked", res.Err()
	}
	runExample(workflow, nil)
	// Output: FAILED SoldOut durable: 1 of 2 items failed (ALL_COMPLETED): child context (id 1-2) failed: SoldOut: no seats left
}

// soldOut names its ErrorType, which the execution's error keeps.
type soldOut struct{}

func (soldOut) Error() string     { return "no seats left" }
func (soldOut) ErrorType() string { return "SoldOut" }

// NamedBranch names a branch without a struct literal; Branches makes
// unnamed ones.
func ExampleNamedBranch() {
	credit := func(ctx durable.Context) (string, error) { return "credit ok", nil }
	fraud := func(ctx durable.Context) (string, error) { return "fraud ok", nil }
	workflow := func(ctx durable.Context, _ any) ([]string, error) {
		res, err := durable.Parallel(ctx, "checks", []durable.Branch[string]{
			durable.NamedBranch("credit", credit),
			durable.NamedBranch("fraud", fraud),
		})
		if err != nil {
			return nil, err
		}
		return res.Results(), res.Err()
	}
	runExample(workflow, nil)
	// Output: SUCCEEDED ["credit ok","fraud ok"]
}
