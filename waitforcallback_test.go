package durable_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/retry"
)

// wfcHistory is the history of a wait-for-callback answered in a second
// invocation (7.1), ending with the given events.
var wfcHistory = []string{"ContextStarted/WaitForCallback", "CallbackStarted/Callback", "StepStarted/Step",
	"StepSucceeded/Step", "InvocationCompleted"}

func TestWaitForCallbackSuccess(t *testing.T) {
	var submitted []string
	r := newRunner(t, durable.NewHandler(func(ctx durable.Context, name string) (string, error) {
		return durable.WaitForCallback[string](ctx, name, func(sc durable.StepContext, id string) error {
			submitted = append(submitted, id)
			return nil
		}, durable.WithHeartbeatTimeout(10*time.Second))
	}, durable.WithLogHandler(discard{})))
	res := mustRun(t, r, "approval")
	wantStatus(t, res, local.ExecutionRunning)
	cb := openCallback(t, r)
	if len(submitted) != 1 || submitted[0] != cb.CallbackId {
		t.Fatalf("submitted %q, open callback %+v", submitted, cb)
	}
	if err := r.SendCallbackSuccess(context.Background(), cb.CallbackId, []byte(`"ok"`)); err != nil {
		t.Fatal(err)
	}
	res = mustResume(t, r)
	wantStatus(t, res, local.ExecutionSucceeded)
	if res.Result != `"\"ok\""` {
		t.Errorf("result = %s, want the raw answer", res.Result)
	}
	if len(submitted) != 1 {
		t.Errorf("the submitter ran %d times, want once", len(submitted))
	}
	wantHistory(t, r, append(wfcHistory, "CallbackSucceeded/Callback", "ContextSucceeded/WaitForCallback",
		"InvocationCompleted", "ExecutionSucceeded")...)
	ctxEv := events(r, "ContextStarted")[0]
	for _, typ := range []string{"CallbackStarted", "StepStarted"} {
		if ev := events(r, typ)[0]; ev.ParentId != ctxEv.Id {
			t.Errorf("%s has ParentId %q, want the context %q", typ, ev.ParentId, ctxEv.Id)
		}
	}
	if ctxEv.Name != "approval" {
		t.Errorf("context name = %q", ctxEv.Name)
	}
	if ev := events(r, "CallbackStarted")[0]; ev.CallbackStartedDetails.HeartbeatTimeout != 10 {
		t.Errorf("CallbackStarted = %+v", ev.CallbackStartedDetails)
	}
}

func TestWaitForCallbackJSONResultInChildContext(t *testing.T) {
	type decision struct {
		Status string `json:"status"`
	}
	r := newRunner(t, durable.NewHandler(func(ctx durable.Context, _ any) (string, error) {
		return durable.RunInChildContext(ctx, "wrapper", func(cc durable.Context) (string, error) {
			d, err := durable.WaitForCallback[decision](cc, "review", func(durable.StepContext, string) error { return nil })
			return d.Status, err
		})
	}, durable.WithLogHandler(discard{})))
	mustRun(t, r, nil)
	if err := r.SendCallbackSuccess(context.Background(), openCallback(t, r).CallbackId, []byte(`{"status": "approved"}`)); err != nil {
		t.Fatal(err)
	}
	res := mustResume(t, r)
	wantStatus(t, res, local.ExecutionSucceeded)
	if res.Result != `"approved"` {
		t.Errorf("result = %s", res.Result)
	}
	outer, inner := events(r, "ContextStarted")[0], events(r, "ContextStarted")[1]
	if inner.ParentId != outer.Id || inner.SubType != "WaitForCallback" {
		t.Errorf("contexts %+v / %+v", outer, inner)
	}
}

func TestWaitForCallbackFailures(t *testing.T) {
	for _, tc := range []struct {
		name    string
		opts    []durable.WaitForCallbackOption
		answer  func(r *durabletest.Runner, callbackID string) error
		check   func(error) bool
		history []string
	}{
		{
			name: "external failure",
			answer: func(r *durabletest.Runner, id string) error {
				return r.SendCallbackFailure(context.Background(), id, rejected)
			},
			check: func(err error) bool {
				var ce *durable.CallbackError
				return errors.As(err, &ce) && ce.ErrorType() == "RejectedError" && ce.Status == checkpoint.StatusFailed
			},
			history: []string{"CallbackFailed/Callback", "ContextFailed/WaitForCallback"},
		},
		{
			name: "timeout",
			opts: []durable.WaitForCallbackOption{durable.WithCallbackTimeout(3 * time.Second)},
			answer: func(r *durabletest.Runner, _ string) error {
				r.Advance(3 * time.Second)
				return nil
			},
			check: func(err error) bool {
				var te *durable.CallbackTimeoutError
				return errors.As(err, &te) && !te.Heartbeat
			},
			history: []string{"CallbackTimedOut/Callback", "ContextFailed/WaitForCallback"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var seen errorLog
			r := newRunner(t, durable.NewHandler(func(ctx durable.Context, _ any) (string, error) {
				_, err := durable.WaitForCallback[string](ctx, "op", func(durable.StepContext, string) error { return nil }, tc.opts...)
				seen.add(err)
				if !tc.check(err) {
					return "", errors.New("unexpected error type")
				}
				if err := durable.Wait(ctx, "", time.Second); err != nil {
					return "", err
				}
				return "handled", nil
			}, durable.WithLogHandler(discard{})))
			mustRun(t, r, nil)
			if err := tc.answer(r, openCallback(t, r).CallbackId); err != nil {
				t.Fatal(err)
			}
			res := mustResume(t, r)
			wantStatus(t, res, local.ExecutionSucceeded)
			seen.same(t, 2)
			want := append(append(append([]string(nil), wfcHistory...), tc.history...),
				"WaitStarted/Wait", "InvocationCompleted", "WaitSucceeded/Wait", "InvocationCompleted", "ExecutionSucceeded")
			wantHistory(t, r, want...)
		})
	}
}

func TestWaitForCallbackSubmitterRetriesExhausted(t *testing.T) {
	attempts := 0
	r := newRunner(t, durable.NewHandler(func(ctx durable.Context, _ any) (string, error) {
		return durable.WaitForCallback[string](ctx, "op", func(sc durable.StepContext, id string) error {
			attempts++
			return errors.New("queue unavailable")
		}, durable.WithSubmitterOptions(durable.WithRetry(retry.Fixed(2, time.Second))))
	}, durable.WithLogHandler(discard{})))
	mustRun(t, r, nil)
	// The open callback keeps the runner from skipping the retry delay.
	r.Advance(time.Second)
	res := mustResume(t, r)
	wantStatus(t, res, local.ExecutionFailed)
	if attempts != 2 {
		t.Errorf("%d submitter attempts, want 2", attempts)
	}
	if res.Error == nil || res.Error.ErrorMessage != "queue unavailable" {
		t.Errorf("execution error = %+v, want the submitter's error", res.Error)
	}
	// 7.7: the callback stays open; no extra event.
	wantHistory(t, r, "ContextStarted/WaitForCallback", "CallbackStarted/Callback", "StepStarted/Step",
		"StepFailed/Step", "InvocationCompleted", "StepStarted/Step", "StepFailed/Step",
		"ContextFailed/WaitForCallback", "InvocationCompleted", "ExecutionFailed")
}

func TestWaitForCallbackValidation(t *testing.T) {
	r := newRunner(t, durable.NewHandler(func(ctx durable.Context, _ any) (string, error) {
		var ve *durable.ValidationError
		if _, err := durable.WaitForCallback[string](ctx, "op", nil); !errors.As(err, &ve) {
			return "", errors.New("nil submitter: want a *ValidationError")
		}
		_, err := durable.WaitForCallback[string](ctx, "op", func(durable.StepContext, string) error { return nil },
			durable.WithCallbackTimeout(-time.Second))
		if !errors.As(err, &ve) {
			return "", errors.New("bad timeout: want a *ValidationError")
		}
		return "refused", nil
	}, durable.WithLogHandler(discard{})))
	res := mustRun(t, r, nil)
	wantStatus(t, res, local.ExecutionSucceeded)
	wantHistory(t, r, "InvocationCompleted", "ExecutionSucceeded")
}
