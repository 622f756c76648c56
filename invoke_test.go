package durable_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/serdes"
)

// echo is a durable target that returns its input.
func echo() *durable.Handler {
	return durable.NewHandler(func(_ durable.Context, in any) (any, error) { return in, nil }, durable.WithLogHandler(discard{}))
}

// failing is a durable target that fails.
func failing() *durable.Handler {
	return durable.NewHandler(func(durable.Context, any) (any, error) {
		return nil, &durable.RemoteError{Object: checkpoint.ErrorObject{ErrorType: "OutOfStock", ErrorMessage: "no more lamps"}}
	}, durable.WithLogHandler(discard{}))
}

// sleeper is a durable target that waits for a callback.
func sleeper() *durable.Handler {
	return durable.NewHandler(func(ctx durable.Context, _ any) (string, error) {
		cb, err := durable.CreateCallback[string](ctx, "wake-up")
		if err != nil {
			return "", err
		}
		return cb.Get()
	}, durable.WithLogHandler(discard{}))
}

func TestInvokeDurableTarget(t *testing.T) {
	type req struct {
		Name   string `json:"name"`
		Tenant string `json:"tenant"`
	}
	calls := 0
	r := newRunner(t, durable.NewHandler(func(ctx durable.Context, in req) (string, error) {
		calls++
		return durable.Invoke[string](ctx, in.Name, "echo", "hello "+in.Name, durable.WithTenantID(in.Tenant))
	}, durable.WithLogHandler(discard{})), durabletest.WithFunction("echo", echo()))
	res := mustRun(t, r, req{Name: "greet", Tenant: "t-1"})
	wantStatus(t, res, local.ExecutionSucceeded)
	if res.Result != `"hello greet"` {
		t.Errorf("result = %s", res.Result)
	}
	if calls != 2 {
		t.Errorf("the workflow ran %d times, want 2 (start, then resume after the target)", calls)
	}
	wantHistory(t, r, "ChainedInvokeStarted/ChainedInvoke", "InvocationCompleted",
		"ChainedInvokeSucceeded/ChainedInvoke", "InvocationCompleted", "ExecutionSucceeded")
	ev := events(r, "ChainedInvokeStarted")[0]
	d := ev.ChainedInvokeStartedDetails
	if ev.Name != "greet" || d.TenantId != "t-1" || *d.Input.Payload != `"hello greet"` || !strings.HasSuffix(d.FunctionName, "echo") {
		t.Errorf("ChainedInvokeStarted = %+v %+v", ev, d)
	}
}

func TestInvokeSerdesAndPlainTarget(t *testing.T) {
	upper := serdes.Typed(
		func(_ serdes.Context, s string) (string, error) { return s, nil },
		func(_ serdes.Context, d string) (string, error) { return strings.ToUpper(strings.Trim(d, `"`)), nil })
	shout := local.FunctionFunc(func(_ context.Context, payload []byte) ([]byte, error) {
		return []byte(`"` + string(payload) + `!"`), nil
	})
	r := newRunner(t, durable.NewHandler(func(ctx durable.Context, _ any) ([]string, error) {
		a, err := durable.Invoke[string](ctx, "", "echo", "hello", durable.WithResultSerdes(upper))
		if err != nil {
			return nil, err
		}
		b, err := durable.Invoke[string](ctx, "", "shout", "raw text", durable.WithPayloadSerdes(serdes.Raw{}))
		if err != nil {
			return nil, err
		}
		return []string{a, b}, nil
	}, durable.WithLogHandler(discard{})), durabletest.WithFunction("echo", echo()), durabletest.WithPlainFunction("shout", shout))
	res := mustRun(t, r, nil)
	wantStatus(t, res, local.ExecutionSucceeded)
	if res.Result != `["HELLO","raw text!"]` {
		t.Errorf("result = %s", res.Result)
	}
	if ev := events(r, "ChainedInvokeStarted"); len(ev) != 2 || *ev[1].ChainedInvokeStartedDetails.Input.Payload != "raw text" {
		t.Errorf("ChainedInvokeStarted = %+v", ev)
	}
}

func TestInvokeFailuresAreTypedAndReplayIdentically(t *testing.T) {
	for _, tc := range []struct {
		name, target string
		status       checkpoint.Status
		errorType    string
		stop         bool
	}{
		{"failed", "failing", checkpoint.StatusFailed, "OutOfStock", false},
		{"unknown function", "nowhere", checkpoint.StatusFailed, "ResourceNotFoundException", false},
		{"stopped", "sleeper", checkpoint.StatusStopped, "Halted", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var seen errorLog
			r := newRunner(t, durable.NewHandler(func(ctx durable.Context, _ any) (string, error) {
				_, err := durable.Invoke[string](ctx, "call", tc.target, 1)
				seen.add(err)
				var ie *durable.InvokeError
				if !errors.As(err, &ie) || ie.Status != tc.status || ie.FunctionName != tc.target {
					return "", errors.New("want an *InvokeError")
				}
				// Caught: a wait makes a later invocation replay it (5.10).
				if err := durable.Wait(ctx, "", time.Second); err != nil {
					return "", err
				}
				return ie.ErrorType(), nil
			}, durable.WithLogHandler(discard{})),
				durabletest.WithFunction("failing", failing()), durabletest.WithFunction("sleeper", sleeper()))
			res := mustRun(t, r, nil)
			if tc.stop {
				wantStatus(t, res, local.ExecutionRunning)
				var child string
				for _, x := range r.Service().Executions() {
					if x.DurableExecutionArn != r.ExecutionARN() {
						child = x.DurableExecutionArn
					}
				}
				if _, err := r.Service().StopExecution(context.Background(), &local.StopExecutionInput{
					DurableExecutionArn: child, Error: &checkpoint.ErrorObject{ErrorType: "Halted"}}); err != nil {
					t.Fatal(err)
				}
				res = mustResume(t, r)
			}
			wantStatus(t, res, local.ExecutionSucceeded)
			if res.Result != `"`+tc.errorType+`"` {
				t.Errorf("error type = %s, want %s", res.Result, tc.errorType)
			}
			seen.same(t, 2)
		})
	}
}

func TestInvokeUncaughtFailureFailsTheExecution(t *testing.T) {
	r := newRunner(t, durable.NewHandler(func(ctx durable.Context, _ any) (string, error) {
		return durable.Invoke[string](ctx, "", "failing", nil)
	}, durable.WithLogHandler(discard{})), durabletest.WithFunction("failing", failing()))
	res := mustRun(t, r, nil)
	wantStatus(t, res, local.ExecutionFailed)
	if res.Error == nil || res.Error.ErrorType != "OutOfStock" {
		t.Errorf("error = %+v, want the target's error", res.Error)
	}
	wantHistory(t, r, "ChainedInvokeStarted/ChainedInvoke", "InvocationCompleted",
		"ChainedInvokeFailed/ChainedInvoke", "InvocationCompleted", "ExecutionFailed")
}

func TestInvokeInsideChildContextAndInSequence(t *testing.T) {
	r := newRunner(t, durable.NewHandler(func(ctx durable.Context, _ any) (string, error) {
		a, err := durable.RunInChildContext(ctx, "child", func(cc durable.Context) (string, error) {
			return durable.Invoke[string](cc, "", "echo", "a")
		})
		if err != nil {
			return "", err
		}
		b, err := durable.Invoke[string](ctx, "", "echo", "b")
		return a + b, err
	}, durable.WithLogHandler(discard{})), durabletest.WithFunction("echo", echo()))
	res := mustRun(t, r, nil)
	wantStatus(t, res, local.ExecutionSucceeded)
	if res.Result != `"ab"` {
		t.Errorf("result = %s", res.Result)
	}
	started := events(r, "ChainedInvokeStarted")
	ctxStarted := events(r, "ContextStarted")
	if len(started) != 2 || len(ctxStarted) != 1 || started[0].ParentId != ctxStarted[0].Id || started[1].ParentId != "" {
		t.Errorf("invokes %+v in context %+v", started, ctxStarted)
	}
}

func TestInvokeValidation(t *testing.T) {
	r := newRunner(t, durable.NewHandler(func(ctx durable.Context, _ any) (string, error) {
		_, err := durable.Invoke[string](ctx, "", " ", 1)
		var ve *durable.ValidationError
		if !errors.As(err, &ve) {
			return "", errors.New("want a *ValidationError")
		}
		// An input the payload serdes cannot encode fails before anything
		// is recorded.
		_, err = durable.Invoke[string](ctx, "", "echo", 42, durable.WithPayloadSerdes(serdes.Raw{}))
		var se *durable.SerdesError
		if !errors.As(err, &se) {
			return "", errors.New("want a *SerdesError")
		}
		return "refused", nil
	}, durable.WithLogHandler(discard{})))
	res := mustRun(t, r, nil)
	wantStatus(t, res, local.ExecutionSucceeded)
	wantHistory(t, r, "InvocationCompleted", "ExecutionSucceeded")
}
