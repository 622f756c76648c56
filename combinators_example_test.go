package durable_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/retry"
)

// Async operations run while the workflow goes on; All waits for every
// one of them.
func ExampleAll() {
	workflow := func(ctx durable.Context, _ any) ([]string, error) {
		user := durable.StepAsync(ctx, "load-user", func(durable.StepContext) (string, error) { return "ana", nil })
		plan := durable.RunInChildContextAsync(ctx, "load-plan", func(ctx durable.Context) (string, error) {
			return durable.Step(ctx, "query", func(durable.StepContext) (string, error) { return "pro", nil })
		})
		return durable.All(ctx, "profile", user, plan)
	}
	runExample(workflow, nil)
	// Output: SUCCEEDED ["ana","pro"]
}

// Race makes a durable timeout: whichever ends first wins and the loser is
// cancelled (the timer here, so the execution does not wait for it). The
// decision is recorded, so a replay picks the same winner.
func ExampleRace() {
	workflow := func(ctx durable.Context, _ any) (string, error) {
		report := durable.RunInChildContextAsync(ctx, "report", func(ctx durable.Context) (any, error) {
			if err := durable.Wait(ctx, "render", 2*time.Minute); err != nil {
				return nil, err
			}
			return "report ready", nil
		})
		timeout := durable.WaitAsync(ctx, "deadline", time.Hour)
		winner, v, err := durable.Race(ctx, "report-or-timeout", report, timeout.Untyped())
		if err != nil {
			return "", err
		}
		if winner == 1 {
			return "timed out", nil
		}
		return v.(string), nil
	}
	runExample(workflow, nil)
	// Output: SUCCEEDED "report ready"
}

// Any returns the first success; if everything fails it returns an
// *AggregateError.
func ExampleAny() {
	workflow := func(ctx durable.Context, _ any) (string, error) {
		primary := durable.StepAsync(ctx, "primary", func(durable.StepContext) (string, error) {
			return "", errors.New("primary down")
		}, durable.WithRetry(retry.None()))
		backup := durable.StepAsync(ctx, "backup", func(durable.StepContext) (string, error) { return "from backup", nil })
		i, v, err := durable.Any(ctx, "first-healthy", primary, backup)
		return fmt.Sprint(i, " ", v), err
	}
	runExample(workflow, nil)
	// Output: SUCCEEDED "1 from backup"
}

// AllSettled waits for every future and reports each outcome.
func ExampleAllSettled() {
	workflow := func(ctx durable.Context, _ any) ([]string, error) {
		var fs []*durable.Future[int]
		for _, n := range []int{4, -1, 9} {
			fs = append(fs, durable.RunInChildContextAsync(ctx, fmt.Sprint("sqrt-", n), func(ctx durable.Context) (int, error) {
				if n < 0 {
					return 0, errors.New("negative")
				}
				return n * n, nil
			}))
		}
		settled, err := durable.AllSettled(ctx, "squares", fs...)
		if err != nil {
			return nil, err
		}
		var out []string
		for _, s := range settled {
			out = append(out, fmt.Sprint(s.Value, " ", s.Err != nil))
		}
		return out, nil
	}
	runExample(workflow, nil)
	// Output: SUCCEEDED ["16 false","0 true","81 false"]
}

// Cancel gives up a future: a cancelled child context records nothing more,
// its open waits are cancelled, and Get reports ErrCancelled.
func ExampleFuture_Cancel() {
	workflow := func(ctx durable.Context, _ any) (bool, error) {
		slow := durable.RunInChildContextAsync(ctx, "slow", func(ctx durable.Context) (string, error) {
			return "late", durable.Wait(ctx, "a-day", 24*time.Hour)
		})
		slow.Cancel()
		_, err := slow.Get()
		return errors.Is(err, durable.ErrCancelled), nil
	}
	runExample(workflow, nil)
	// Output: SUCCEEDED true
}
