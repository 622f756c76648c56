package durable_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/retry"
)

// outcomes collects what the workflow saw, invocation after invocation.
type outcomes struct {
	mu  sync.Mutex
	all []string
}

func (o *outcomes) add(format string, args ...any) {
	o.mu.Lock()
	o.all = append(o.all, fmt.Sprintf(format, args...))
	o.mu.Unlock()
}

// same fails the test unless at least n outcomes were seen and all equal.
func (o *outcomes) same(t *testing.T, n int, want string) {
	t.Helper()
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.all) < n {
		t.Fatalf("outcomes %q: want at least %d", o.all, n)
	}
	for _, got := range o.all {
		if got != want {
			t.Fatalf("outcomes %q, want %q each time (live and replayed)", o.all, want)
		}
	}
}

func TestWaitForCallbackAsyncAcrossInvocations(t *testing.T) {
	var submitted outcomes
	var seen outcomes
	r := newRunner(t, durable.NewHandler(func(ctx durable.Context, _ any) (string, error) {
		f := durable.WaitForCallbackAsync[string](ctx, "approval", func(_ durable.StepContext, id string) error {
			submitted.add("%s", id)
			return nil
		})
		step := durable.StepAsync(ctx, "meanwhile", func(durable.StepContext) (int, error) { return 7, nil })
		n, err := step.Get()
		if err != nil {
			return "", err
		}
		v, err := f.Get()
		seen.add("%d %q %v", n, v, err)
		return v, err
	}, durable.WithLogHandler(discard{})))

	res := mustRun(t, r, nil)
	wantStatus(t, res, local.ExecutionRunning)
	cb := openCallback(t, r)
	if err := r.SendCallbackSuccess(context.Background(), cb.CallbackId, []byte("approved")); err != nil {
		t.Fatal(err)
	}
	res = mustResume(t, r)
	wantStatus(t, res, local.ExecutionSucceeded)
	if res.Result != `"approved"` {
		t.Errorf("result = %s", res.Result)
	}
	submitted.same(t, 1, cb.CallbackId)
	seen.same(t, 1, `7 "approved" <nil>`)
	if ops := events(r, "ContextStarted"); len(ops) != 1 || ops[0].SubType != "WaitForCallback" || ops[0].Name != "approval" {
		t.Errorf("ContextStarted events = %+v, want one WaitForCallback context", ops)
	}
}

func TestWaitForCallbackAsyncLosesRaceAndIsCancelled(t *testing.T) {
	var seen outcomes
	r := newRunner(t, durable.NewHandler(func(ctx durable.Context, _ any) (string, error) {
		f := durable.WaitForCallbackAsync[string](ctx, "approval", func(durable.StepContext, string) error { return nil })
		timeout := durable.WaitAsync(ctx, "timeout", time.Hour)
		winner, _, err := durable.Race(ctx, "approval-or-timeout", f.Untyped(), timeout.Untyped())
		if err != nil {
			return "", err
		}
		_, ferr := f.Get()
		var ce *durable.CallbackError
		seen.add("winner %d, cancelled %v, callback error %v", winner, errors.Is(ferr, durable.ErrCancelled), errors.As(ferr, &ce))
		// One more invocation, to replay all of it.
		if err := durable.Wait(ctx, "pause", time.Second); err != nil {
			return "", err
		}
		return "timed out", nil
	}, durable.WithLogHandler(discard{})))

	res := mustRun(t, r, nil)
	wantStatus(t, res, local.ExecutionRunning) // the callback is open: time stands still
	r.Advance(time.Hour)
	res = mustResume(t, r)
	wantStatus(t, res, local.ExecutionSucceeded)
	seen.same(t, 2, "winner 1, cancelled true, callback error true")
	if st := callbackStatus(r); st != checkpoint.StatusCancelled {
		t.Errorf("callback status %s, want CANCELLED", st)
	}
	if len(r.OpenCallbacks()) != 0 {
		t.Errorf("open callbacks left: %+v", r.OpenCallbacks())
	}
}

func TestWaitForConditionAsyncWithAll(t *testing.T) {
	var seen outcomes
	r := newRunner(t, durable.NewHandler(func(ctx durable.Context, _ any) (string, error) {
		poll := func(name string, target, every int) *durable.Future[int] {
			return durable.WaitForConditionAsync(ctx, name, increment,
				durable.WithWaitStrategy(durable.WaitUntil(func(n int) bool { return n >= target }, retry.Fixed(60, time.Duration(every)*time.Second))))
		}
		a, b := poll("a", 3, 2), poll("b", 2, 5)
		vs, err := durable.All(ctx, "both", a, b)
		seen.add("%v %v", vs, err)
		return fmt.Sprint(vs), err
	}, durable.WithLogHandler(discard{})))
	start := r.Now()
	res := mustRun(t, r, nil)
	wantStatus(t, res, local.ExecutionSucceeded)
	if got := r.Now().Sub(start); got != 5*time.Second {
		t.Errorf("virtual time = %v, want the polls to overlap (5 s)", got)
	}
	seen.same(t, 1, "[3 2] <nil>")
	if n := len(events(r, "StepSucceeded")); n != 5 {
		t.Errorf("%d StepSucceeded events, want 3 + 2 polls", n)
	}
}

func TestWaitForConditionAsyncErrors(t *testing.T) {
	var seen outcomes
	r := newRunner(t, durable.NewHandler(func(ctx durable.Context, _ any) (string, error) {
		bad := durable.WaitForConditionAsync[int](ctx, "no-strategy", increment)
		_, err := bad.Get()
		var ve *durable.ValidationError
		seen.add("invalid: %v %v %q", errors.As(err, &ve), bad.Cancel(), bad.OperationID())

		fails := durable.WaitForConditionAsync(ctx, "exhausted", increment,
			durable.WithWaitStrategy(durable.WaitUntil(func(int) bool { return false }, retry.Fixed(2, time.Second))))
		racer := durable.WaitAsync(ctx, "long", time.Hour)
		winner, _, err := durable.Race(ctx, "first", fails.Untyped(), racer.Untyped())
		var se *durable.StepError
		seen.add("winner %d, step error %v, cancel %v", winner, errors.As(err, &se) && se.ErrorType() == durable.ErrorTypeConditionExhausted, fails.Cancel())
		return "done", nil
	}, durable.WithLogHandler(discard{})))
	res := mustRun(t, r, nil)
	wantStatus(t, res, local.ExecutionSucceeded)
	seen.mu.Lock()
	defer seen.mu.Unlock()
	// Each invocation sees the invalid future; the last one gets past Race.
	n := len(seen.all)
	if n < 3 || seen.all[n-1] != "winner 0, step error true, cancel false" {
		t.Fatalf("outcomes %q", seen.all)
	}
	for _, got := range seen.all[:n-1] {
		if got != `invalid: true false ""` {
			t.Fatalf("outcomes %q", seen.all)
		}
	}
	if n := len(events(r, "WaitCancelled")); n != 1 {
		t.Errorf("%d WaitCancelled events, want 1 (the losing wait)", n)
	}
}

// callbackStatus returns the status of the execution's only callback.
func callbackStatus(r *durabletest.Runner) checkpoint.Status {
	var st []checkpoint.Status
	for _, op := range r.Operations() {
		if op.Type == checkpoint.TypeCallback {
			st = append(st, op.Status)
		}
	}
	if len(st) != 1 {
		return checkpoint.Status(fmt.Sprint(st))
	}
	return st[0]
}
