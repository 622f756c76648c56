package durabletest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/local"
)

// counted is a two-step workflow that counts how often each body runs.
func counted(runs map[string]int) func(durable.Context, string) (string, error) {
	step := func(ctx durable.Context, name string) (string, error) {
		return durable.Step(ctx, name, func(durable.StepContext) (string, error) {
			runs[name]++
			return name + " done", nil
		})
	}
	return func(ctx durable.Context, in string) (string, error) {
		if _, err := step(ctx, "reserve"); err != nil {
			return "", err
		}
		return step(ctx, "charge")
	}
}

func TestCrashPoints(t *testing.T) {
	for _, tc := range []struct {
		crash durabletest.Crash
		runs  string // body runs of reserve and charge
	}{
		{durabletest.CrashBefore("reserve"), "reserve 2, charge 1"},
		{durabletest.CrashAfter("reserve"), "reserve 1, charge 1"},
		{durabletest.CrashBefore("charge"), "reserve 1, charge 2"},
		{durabletest.CrashAfter("charge"), "reserve 1, charge 1"},
		{durabletest.CrashAtCheckpoint(1), "reserve 2, charge 1"},
		{durabletest.CrashAfterCheckpoint(1), "reserve 1, charge 1"},
	} {
		t.Run(tc.crash.String(), func(t *testing.T) {
			runs := map[string]int{}
			r := durabletest.New(durable.NewHandler(counted(runs), quiet), durabletest.WithCrash(tc.crash))
			defer r.Close()
			res, err := r.Run(context.Background(), "x")
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != local.ExecutionSucceeded || res.Result != `"charge done"` {
				t.Fatalf("ended %s %s %+v, want SUCCEEDED as without a crash", res.Status, res.Result, res.Error)
			}
			if got := fmt.Sprintf("reserve %d, charge %d", runs["reserve"], runs["charge"]); got != tc.runs {
				t.Errorf("body runs: %s, want %s", got, tc.runs)
			}
			if got := r.Crashes(); len(got) != 1 || got[0] != tc.crash.String() {
				t.Errorf("crashes %q, want the one point", got)
			}
			crashed := 0
			for _, e := range r.History() {
				if d := e.InvocationCompletedDetails; d != nil && d.Error != nil {
					crashed++
				}
			}
			if crashed != 1 {
				t.Errorf("%d crashed invocations in the history, want 1", crashed)
			}
		})
	}
}

func TestCrashThatNeverFires(t *testing.T) {
	runs := map[string]int{}
	r := durabletest.New(durable.NewHandler(counted(runs), quiet), durabletest.WithCrash(durabletest.CrashBefore("no-such-step")))
	defer r.Close()
	if _, err := r.Run(context.Background(), "x"); err != nil {
		t.Fatal(err)
	}
	if got := r.Crashes(); len(got) != 0 || runs["reserve"] != 1 || runs["charge"] != 1 {
		t.Errorf("crashes %q, runs %v: want no crash and one run each", got, runs)
	}
}
