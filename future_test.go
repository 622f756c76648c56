package durable_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/retry"
)

func TestAllOverAsyncStepsAndChildren(t *testing.T) {
	calls := 0
	wf := func(ctx durable.Context, _ any) ([]string, error) {
		a := durable.StepAsync(ctx, "a", func(durable.StepContext) (string, error) { calls++; return "A", nil })
		b := durable.RunInChildContextAsync(ctx, "b", func(ctx durable.Context) (string, error) {
			if err := durable.Wait(ctx, "w", 3*time.Second); err != nil {
				return "", err
			}
			return "B", nil
		})
		vals, err := durable.All(ctx, "both", a, b)
		if err != nil {
			return nil, err
		}
		if err := durable.Wait(ctx, "after", time.Second); err != nil {
			return nil, err
		}
		return vals, nil
	}
	r := succeeds(t, wf, nil, `["A","B"]`)
	if calls != 1 {
		t.Errorf("the async step ran %d times", calls)
	}
	var all []local.Event
	for _, ev := range events(r, "ContextSucceeded") {
		if ev.SubType == "All" {
			all = append(all, ev)
		}
	}
	if len(all) != 1 || all[0].Name != "both" {
		t.Errorf("All recorded as %+v, want one context named both", all)
	}
	// Ids follow the order of the calls: a=1, b=2, the combinator 3.
	for _, ev := range r.History() {
		if (ev.Name == "a" && ev.Id != "1") || (ev.Name == "b" && ev.Id != "2") || (ev.Name == "both" && ev.Id != "3") {
			t.Errorf("%s %q has id %s", ev.EventType, ev.Name, ev.Id)
		}
	}
}

func TestRaceCancelsLosersAndReplaysTheWinner(t *testing.T) {
	var winners []int
	wf := func(ctx durable.Context, _ any) (string, error) {
		timeout := durable.WaitAsync(ctx, "timeout", time.Hour)
		work := durable.RunInChildContextAsync(ctx, "work", func(ctx durable.Context) (any, error) {
			if err := durable.Wait(ctx, "nap", 5*time.Second); err != nil {
				return nil, err
			}
			return durable.Step(ctx, "finish", func(durable.StepContext) (any, error) { return "done", nil })
		})
		i, v, err := durable.Race(ctx, "deadline", timeout.Untyped(), work)
		if err != nil {
			return "", err
		}
		winners = append(winners, i)
		if err := durable.Wait(ctx, "after", time.Second); err != nil {
			return "", err
		}
		_, terr := timeout.Get()
		return fmt.Sprintf("%d %v %v", i, v, errors.Is(terr, durable.ErrWaitCancelled)), nil
	}
	r := newRunner(t, durable.NewHandler(wf, quietLogs()))
	begin := r.Now()
	res := mustRun(t, r, nil)
	wantStatus(t, res, local.ExecutionSucceeded)
	if res.Result != `"1 done true"` {
		t.Errorf("result = %s", res.Result)
	}
	if d := r.Now().Sub(begin); d >= time.Hour {
		t.Errorf("the execution waited %v for the losing timeout", d)
	}
	if len(winners) < 2 || winners[0] != 1 || winners[len(winners)-1] != 1 {
		t.Errorf("winners per invocation = %v, want 1 every time", winners)
	}
	if n := len(events(r, "WaitCancelled")); n != 1 {
		t.Errorf("%d waits cancelled, want the timeout", n)
	}
}

func TestRaceCancelsAnOpenCallback(t *testing.T) {
	var cbErr error
	wf := func(ctx durable.Context, _ any) (int, error) {
		cb, err := durable.CreateCallback[string](ctx, "approval")
		if err != nil {
			return -1, err
		}
		timeout := durable.WaitAsync(ctx, "timeout", 10*time.Second)
		i, _, err := durable.Race(ctx, "approval-or-timeout", durable.CallbackFuture(cb).Untyped(), timeout.Untyped())
		if err != nil {
			return -1, err
		}
		_, cbErr = cb.Get()
		return i, nil
	}
	r := newRunner(t, durable.NewHandler(wf, quietLogs()))
	res := mustRun(t, r, nil)
	if res.Status != local.ExecutionRunning || len(r.OpenCallbacks()) != 1 {
		t.Fatalf("status %s with %d open callbacks, want the execution waiting on the callback", res.Status, len(r.OpenCallbacks()))
	}
	r.Advance(10 * time.Second)
	res = mustResume(t, r)
	wantStatus(t, res, local.ExecutionSucceeded)
	if res.Result != "1" {
		t.Errorf("winner = %s, want the timeout", res.Result)
	}
	if len(r.OpenCallbacks()) != 0 {
		t.Error("the losing callback is still open")
	}
	if !errors.Is(cbErr, durable.ErrCancelled) {
		t.Errorf("callback result error = %v, want ErrCancelled", cbErr)
	}
}

func TestAnyAndAllSettled(t *testing.T) {
	type out struct {
		AnyIndex   int
		AnyValue   string
		AllFailed  bool
		Settled    []string
		AllErrType string
	}
	fail := func(msg string) func(durable.StepContext) (string, error) {
		return func(durable.StepContext) (string, error) { return "", errors.New(msg) }
	}
	ok := func(v string) func(durable.StepContext) (string, error) {
		return func(durable.StepContext) (string, error) { return v, nil }
	}
	noRetry := durable.WithRetry(retry.None())
	wf := func(ctx durable.Context, _ any) (out, error) {
		var o out
		f1 := durable.StepAsync(ctx, "f1", fail("one"), noRetry)
		f2 := durable.StepAsync(ctx, "f2", ok("two"), noRetry)
		i, v, err := durable.Any(ctx, "any", f1, f2)
		if err != nil {
			return o, err
		}
		o.AnyIndex, o.AnyValue = i, v

		g1 := durable.StepAsync(ctx, "g1", fail("x"), noRetry)
		g2 := durable.StepAsync(ctx, "g2", fail("y"), noRetry)
		i, _, err = durable.Any(ctx, "none", g1, g2)
		var agg *durable.AggregateError
		o.AllFailed = i == -1 && errors.As(err, &agg) && len(agg.Errors) == 2

		settled, err := durable.AllSettled(ctx, "settled", f1, f2, g1)
		if err != nil {
			return o, err
		}
		for _, s := range settled {
			o.Settled = append(o.Settled, fmt.Sprintf("%s/%v", s.Value, s.Err != nil))
		}
		_, err = durable.All(ctx, "all", f2, g2)
		var se *durable.StepError
		if errors.As(err, &se) {
			o.AllErrType = se.Object.ErrorMessage
		}
		return o, nil
	}
	r := newRunner(t, durable.NewHandler(wf, quietLogs()))
	res := mustRun(t, r, nil)
	wantStatus(t, res, local.ExecutionSucceeded)
	var got out
	if err := res.Decode(&got); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != "{1 two true [/true two/false /true] y}" {
		t.Errorf("got %+v", got)
	}
}

func TestCancelChildFuture(t *testing.T) {
	var seen []string
	wf := func(ctx durable.Context, _ any) (string, error) {
		f := durable.RunInChildContextAsync(ctx, "child", func(ctx durable.Context) (string, error) {
			if err := durable.Wait(ctx, "forever", 24*time.Hour); err != nil {
				return "", err
			}
			return "finished", nil
		})
		// Let the child reach its wait first (both suspend here), so that
		// the cancel always has a started wait to cancel.
		if err := durable.Wait(ctx, "child-started", time.Second); err != nil {
			return "", err
		}
		f.Cancel()
		_, err := f.Get()
		seen = append(seen, fmt.Sprint(errors.Is(err, durable.ErrCancelled), err))
		if err := durable.Wait(ctx, "after", time.Second); err != nil {
			return "", err
		}
		return "ok", nil
	}
	r := newRunner(t, durable.NewHandler(wf, quietLogs()))
	begin := r.Now()
	res := mustRun(t, r, nil)
	wantStatus(t, res, local.ExecutionSucceeded)
	if d := r.Now().Sub(begin); d >= time.Hour {
		t.Errorf("waited %v for a cancelled child", d)
	}
	if len(seen) != 2 || seen[0] != seen[1] || seen[0][:4] != "true" {
		t.Errorf("outcomes per invocation = %q, want the same cancelled error twice", seen)
	}
	failed := events(r, "ContextFailed")
	if len(failed) != 1 || failed[0].ContextFailedDetails.Error.Payload.ErrorType != "Cancelled" {
		t.Errorf("ContextFailed events = %+v", failed)
	}
	if n := len(events(r, "WaitCancelled")); n != 1 {
		t.Errorf("%d waits cancelled, want the child's", n)
	}
}
