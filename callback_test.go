package durable_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/middleware"
	"github.com/lambda-durable/durable/retry"
	"github.com/lambda-durable/durable/serdes"
)

var rejected = checkpoint.ErrorObject{ErrorType: "RejectedError", ErrorMessage: "not approved"}

func TestCallbackSuccessAcrossInvocations(t *testing.T) {
	for _, mode := range []checkpoint.Mode{checkpoint.Eager{}, checkpoint.Batched{MaxUpdates: 10}, checkpoint.Optimistic{}} {
		t.Run(checkpoint.ModeName(mode), func(t *testing.T) {
			var ids []string
			r := newRunner(t, durable.NewHandler(func(ctx durable.Context, name string) (string, error) {
				cb, err := durable.CreateCallback[string](ctx, name)
				if err != nil {
					return "", err
				}
				ids = append(ids, cb.ID())
				return cb.Get()
			}, durable.WithLogHandler(discard{}), durable.WithCheckpointMode(mode)))

			res := mustRun(t, r, "approval")
			wantStatus(t, res, local.ExecutionRunning)
			cb := openCallback(t, r)
			if cb.Name != "approval" || cb.CallbackId == "" || len(ids) != 1 || ids[0] != cb.CallbackId {
				t.Fatalf("open callback %+v, ids seen by the workflow %q", cb, ids)
			}
			if err := r.SendCallbackSuccess(context.Background(), cb.CallbackId, []byte(`"yes, by alice"`)); err != nil {
				t.Fatal(err)
			}
			res = mustResume(t, r)
			wantStatus(t, res, local.ExecutionSucceeded)
			if res.Result != `"\"yes, by alice\""` {
				t.Errorf("result = %s, want the raw answer", res.Result)
			}
			if len(ids) != 2 || ids[1] != ids[0] {
				t.Errorf("the replay saw callback ids %q, want the recorded one twice", ids)
			}
			wantHistory(t, r, "CallbackStarted/Callback", "InvocationCompleted",
				"CallbackSucceeded/Callback", "InvocationCompleted", "ExecutionSucceeded")
		})
	}
}

func TestCallbackOptionsAreRecorded(t *testing.T) {
	r := newRunner(t, durable.NewHandler(func(ctx durable.Context, _ any) (string, error) {
		cb, err := durable.CreateCallback[string](ctx, "cb",
			durable.WithCallbackTimeout(time.Hour), durable.WithHeartbeatTimeout(10*time.Second))
		if err != nil {
			return "", err
		}
		return cb.Get()
	}, durable.WithLogHandler(discard{})))
	mustRun(t, r, nil)
	ev := events(r, "CallbackStarted")
	if len(ev) != 1 || ev[0].CallbackStartedDetails.Timeout != 3600 || ev[0].CallbackStartedDetails.HeartbeatTimeout != 10 {
		t.Fatalf("CallbackStarted = %+v", ev)
	}
	// A heartbeat keeps it alive past the heartbeat timeout.
	cb := openCallback(t, r)
	r.Advance(8 * time.Second)
	if err := r.SendCallbackHeartbeat(context.Background(), cb.CallbackId); err != nil {
		t.Fatal(err)
	}
	r.Advance(8 * time.Second)
	if err := r.SendCallbackSuccess(context.Background(), cb.CallbackId, []byte("ok")); err != nil {
		t.Fatal(err)
	}
	res := mustResume(t, r)
	wantStatus(t, res, local.ExecutionSucceeded)
}

func TestCallbackFailureIsTypedAndReplaysIdentically(t *testing.T) {
	var seen errorLog
	// The handler catches the failure, waits, and returns the message: the
	// replay after the wait must see the same error (4.13).
	r := newRunner(t, durable.NewHandler(func(ctx durable.Context, name string) (string, error) {
		cb, err := durable.CreateCallback[string](ctx, name)
		if err != nil {
			return "", err
		}
		_, err = cb.Get()
		seen.add(err)
		var ce *durable.CallbackError
		if !errors.As(err, &ce) || ce.Status != checkpoint.StatusFailed || ce.CallbackID != cb.ID() {
			return "", errors.New("want a *CallbackError")
		}
		if err := durable.Wait(ctx, "", 2*time.Second); err != nil {
			return "", err
		}
		return ce.ErrorType() + ": " + ce.Object.ErrorMessage, nil
	}, durable.WithLogHandler(discard{})))
	mustRun(t, r, "cb")
	if err := r.SendCallbackFailure(context.Background(), openCallback(t, r).CallbackId, rejected); err != nil {
		t.Fatal(err)
	}
	res := mustResume(t, r)
	wantStatus(t, res, local.ExecutionSucceeded)
	if res.Result != `"RejectedError: not approved"` {
		t.Errorf("result = %s", res.Result)
	}
	seen.same(t, 2)
	wantHistory(t, r, "CallbackStarted/Callback", "InvocationCompleted", "CallbackFailed/Callback",
		"WaitStarted/Wait", "InvocationCompleted", "WaitSucceeded/Wait", "InvocationCompleted", "ExecutionSucceeded")
}

func TestCallbackFailureUncaughtFailsTheExecution(t *testing.T) {
	r := newRunner(t, durable.NewHandler(func(ctx durable.Context, name string) (string, error) {
		cb, err := durable.CreateCallback[string](ctx, name)
		if err != nil {
			return "", err
		}
		// A step between creation and Result (4.7).
		if _, err := durable.Step(ctx, "", func(durable.StepContext) (int, error) { return 1, nil }); err != nil {
			return "", err
		}
		return cb.Get()
	}, durable.WithLogHandler(discard{})))
	mustRun(t, r, "cb")
	if err := r.SendCallbackFailure(context.Background(), openCallback(t, r).CallbackId, rejected); err != nil {
		t.Fatal(err)
	}
	res := mustResume(t, r)
	wantStatus(t, res, local.ExecutionFailed)
	if res.Error == nil || res.Error.ErrorType != "RejectedError" {
		t.Errorf("execution error = %+v, want the callback's error", res.Error)
	}
	wantHistory(t, r, "CallbackStarted/Callback", "StepStarted/Step", "StepSucceeded/Step", "InvocationCompleted",
		"CallbackFailed/Callback", "InvocationCompleted", "ExecutionFailed")
}

func TestCallbackTimeouts(t *testing.T) {
	for _, tc := range []struct {
		name      string
		opt       durable.CallbackTimeoutOption
		heartbeat bool
		errorType string
	}{
		{"overall", durable.WithCallbackTimeout(3 * time.Second), false, durable.ErrorTypeCallbackTimeout},
		{"heartbeat", durable.WithHeartbeatTimeout(5 * time.Second), true, durable.ErrorTypeCallbackHeartbeat},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var seen errorLog
			r := newRunner(t, durable.NewHandler(func(ctx durable.Context, _ any) (string, error) {
				cb, err := durable.CreateCallback[string](ctx, "cb", tc.opt)
				if err != nil {
					return "", err
				}
				// The wait outlasts the timeout: the timeout is seen on
				// replay only (4.11).
				if err := durable.Wait(ctx, "", 6*time.Second); err != nil {
					return "", err
				}
				_, err = cb.Get()
				seen.add(err)
				var te *durable.CallbackTimeoutError
				if !errors.As(err, &te) || te.Heartbeat != tc.heartbeat || te.ErrorType() != tc.errorType {
					return "", errors.New("want a *CallbackTimeoutError")
				}
				if err := durable.Wait(ctx, "", time.Second); err != nil {
					return "", err
				}
				return "handled", nil
			}, durable.WithLogHandler(discard{})))
			mustRun(t, r, nil)
			r.Advance(6 * time.Second)
			res := mustResume(t, r)
			wantStatus(t, res, local.ExecutionSucceeded)
			seen.same(t, 2)
			ev := events(r, "CallbackTimedOut")
			if len(ev) != 1 || ev[0].CallbackTimedOutDetails.Error.Payload.ErrorType != tc.errorType {
				t.Errorf("CallbackTimedOut events = %+v", ev)
			}
		})
	}
}

func TestCallbackTypedResults(t *testing.T) {
	type approval struct {
		Status string `json:"status"`
	}
	r := newRunner(t, durable.NewHandler(func(ctx durable.Context, _ any) ([]any, error) {
		// Default for a non-string type: the handler's serdes (JSON).
		n, err := durable.CreateCallback[int](ctx, "count")
		if err != nil {
			return nil, err
		}
		a, err := durable.CreateCallback[approval](ctx, "approval")
		if err != nil {
			return nil, err
		}
		// A custom serdes (4.16).
		doubled, err := durable.CreateCallback[int](ctx, "doubled", durable.WithResultSerdes(serdes.Typed(
			func(_ serdes.Context, v int) (string, error) { return strconv.Itoa(v), nil },
			func(_ serdes.Context, s string) (int, error) { v, err := strconv.Atoi(s); return 2 * v, err })))
		if err != nil {
			return nil, err
		}
		raw, err := durable.CreateCallback[[]byte](ctx, "raw")
		if err != nil {
			return nil, err
		}
		nv, err1 := n.Get()
		av, err2 := a.Get()
		dv, err3 := doubled.Get()
		rv, err4 := raw.Get()
		if err := errors.Join(err1, err2, err3, err4); err != nil {
			return nil, err
		}
		return []any{nv, av.Status, dv, string(rv)}, nil
	}, durable.WithLogHandler(discard{})))
	mustRun(t, r, nil)
	answers := map[string]string{"count": "42", "approval": `{"status": "approved"}`, "doubled": "21", "raw": `{"x": 1}`}
	for name, body := range answers {
		cb, err := r.Callback(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := r.SendCallbackSuccess(context.Background(), cb.CallbackId, []byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	res := mustResume(t, r)
	wantStatus(t, res, local.ExecutionSucceeded)
	if want := `[42,"approved",42,"{\"x\": 1}"]`; res.Result != want {
		t.Errorf("result = %s, want %s", res.Result, want)
	}
}

func TestCallbacksAnsweredInAnyOrder(t *testing.T) {
	// Two callbacks created together, awaited in reverse order (4.19).
	r := newRunner(t, durable.NewHandler(func(ctx durable.Context, names []string) ([]string, error) {
		a, err := durable.CreateCallback[string](ctx, names[0])
		if err != nil {
			return nil, err
		}
		b, err := durable.CreateCallback[string](ctx, names[1])
		if err != nil {
			return nil, err
		}
		bv, err := b.Get()
		if err != nil {
			return nil, err
		}
		av, err := a.Get()
		if err != nil {
			return nil, err
		}
		return []string{av, bv}, nil
	}, durable.WithLogHandler(discard{})))
	mustRun(t, r, []string{"a", "b"})
	send := func(name, body string) {
		t.Helper()
		cb, err := r.Callback(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := r.SendCallbackSuccess(context.Background(), cb.CallbackId, []byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	send("a", "A")
	res := mustResume(t, r)
	wantStatus(t, res, local.ExecutionRunning)
	send("b", "B")
	res = mustResume(t, r)
	wantStatus(t, res, local.ExecutionSucceeded)
	if res.Result != `["A","B"]` {
		t.Errorf("result = %s", res.Result)
	}
	wantHistory(t, r, "CallbackStarted/Callback", "CallbackStarted/Callback", "InvocationCompleted",
		"CallbackSucceeded/Callback", "InvocationCompleted", "CallbackSucceeded/Callback", "InvocationCompleted", "ExecutionSucceeded")
}

func TestCallbackValidation(t *testing.T) {
	for _, opt := range []durable.CallbackTimeoutOption{
		durable.WithCallbackTimeout(-time.Second),
		durable.WithCallbackTimeout(1500 * time.Millisecond),
		durable.WithHeartbeatTimeout(400 * 24 * time.Hour),
	} {
		r := newRunner(t, durable.NewHandler(func(ctx durable.Context, _ any) (string, error) {
			_, err := durable.CreateCallback[string](ctx, "cb", opt)
			var ve *durable.ValidationError
			if !errors.As(err, &ve) {
				return "", errors.New("want a *ValidationError")
			}
			return "refused", nil
		}, durable.WithLogHandler(discard{})))
		res := mustRun(t, r, nil)
		wantStatus(t, res, local.ExecutionSucceeded)
		wantHistory(t, r, "InvocationCompleted", "ExecutionSucceeded")
	}
}

func TestCallbackCancel(t *testing.T) {
	var seen errorLog
	r := newRunner(t, durable.NewHandler(func(ctx durable.Context, _ any) (string, error) {
		cb, err := durable.CreateCallback[string](ctx, "unneeded", durable.WithCallbackTimeout(time.Hour))
		if err != nil {
			return "", err
		}
		if !ctx.IsReplaying() && !cb.Cancel() {
			return "", errors.New("Cancel sent nothing")
		}
		if cb.Cancel() {
			return "", errors.New("a second Cancel sent a CANCEL again")
		}
		_, err = cb.Get()
		seen.add(err)
		if !errors.Is(err, durable.ErrCancelled) {
			return "", errors.New("want ErrCancelled")
		}
		// A later invocation replays the cancelled callback.
		if err := durable.Wait(ctx, "", time.Second); err != nil {
			return "", err
		}
		return "done", nil
	}, durable.WithLogHandler(discard{})))
	res := mustRun(t, r, nil)
	wantStatus(t, res, local.ExecutionSucceeded)
	seen.same(t, 2)
	op, ok := r.Operation("unneeded")
	if !ok || op.Status != checkpoint.StatusCancelled {
		t.Errorf("callback operation = %+v, want CANCELLED", op)
	}
	if cbs := r.OpenCallbacks(); len(cbs) != 0 {
		t.Errorf("open callbacks after cancel: %+v", cbs)
	}
}

func TestOperationsFlowThroughMiddleware(t *testing.T) {
	var (
		mu       sync.Mutex
		ops      []string
		attempts []string
	)
	record := func(list *[]string) middleware.Middleware {
		return func(next middleware.Handler) middleware.Handler {
			return func(ctx context.Context, op *middleware.Operation) error {
				err := next(ctx, op)
				mu.Lock()
				*list = append(*list, fmt.Sprintf("%s/%s %s replay=%t result=%v", op.Spec().Type, op.Spec().SubType, op.Status(), op.Spec().Replaying, op.Result()))
				mu.Unlock()
				return err
			}
		}
	}
	r := newRunner(t, durable.NewHandler(func(ctx durable.Context, _ any) (string, error) {
		cb, err := durable.CreateCallback[string](ctx, "cb")
		if err != nil {
			return "", err
		}
		answer, err := cb.Get()
		if err != nil {
			return "", err
		}
		echoed, err := durable.Invoke[string](ctx, "", "echo", answer)
		if err != nil {
			return "", err
		}
		n, err := durable.WaitForCondition(ctx, "", increment,
			durable.WithWaitStrategy(durable.WaitUntil(func(n int) bool { return n >= 2 }, retry.Fixed(60, time.Second))))
		return fmt.Sprint(echoed, n), err
	}, durable.WithLogHandler(discard{}), durable.WithMiddleware(record(&ops)), durable.WithAttemptMiddleware(record(&attempts))),
		durabletest.WithFunction("echo", echo()))
	mustRun(t, r, nil)
	if err := r.SendCallbackSuccess(context.Background(), openCallback(t, r).CallbackId, []byte("hi")); err != nil {
		t.Fatal(err)
	}
	res := mustResume(t, r)
	wantStatus(t, res, local.ExecutionSucceeded)
	mu.Lock()
	defer mu.Unlock()
	// An operation that suspends an invocation is seen in it (STARTED or
	// PENDING, next returned ErrSuspended), then live once more in the
	// invocation that observes its outcome, and replayed after that.
	want := []string{
		// invocation 1: the callback suspends
		"CALLBACK/Callback STARTED replay=false result=<nil>",
		// invocation 2: the callback, answered while suspended; the invoke suspends
		"CALLBACK/Callback SUCCEEDED replay=false result=hi",
		"CHAINED_INVOKE/ChainedInvoke STARTED replay=false result=<nil>",
		// invocation 3: the invoke, done while suspended; the first check
		// asks for another one
		"CALLBACK/Callback SUCCEEDED replay=true result=hi",
		"CHAINED_INVOKE/ChainedInvoke SUCCEEDED replay=false result=hi",
		"STEP/WaitForCondition PENDING replay=false result=1",
		// invocation 4: the second check ends the wait-for-condition
		"CALLBACK/Callback SUCCEEDED replay=true result=hi",
		"CHAINED_INVOKE/ChainedInvoke SUCCEEDED replay=true result=hi",
		"STEP/WaitForCondition SUCCEEDED replay=false result=2",
	}
	if !slices.Equal(ops, want) {
		t.Errorf("operation middleware saw:\n%s\nwant:\n%s", strings.Join(ops, "\n"), strings.Join(want, "\n"))
	}
	if len(attempts) != 2 || !strings.Contains(attempts[0], "result=1") || !strings.Contains(attempts[1], "result=2") {
		t.Errorf("attempt middleware saw %q, want the two checks", attempts)
	}
}
