package durable_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/middleware"
)

// refusingClient fails the test if the SDK calls the service: events it
// cannot use must be rejected before any call.
func refusingClient(t *testing.T) checkpoint.Client {
	return middleware.ClientFuncs{
		CheckpointFunc: func(context.Context, *checkpoint.CheckpointInput) (*checkpoint.CheckpointOutput, error) {
			t.Error("Checkpoint called for an unusable event")
			return nil, errors.New("unexpected call")
		},
		GetExecutionStateFunc: func(context.Context, *checkpoint.StateInput) (*checkpoint.ExecutionState, error) {
			t.Error("GetExecutionState called for an unusable event")
			return nil, errors.New("unexpected call")
		},
	}
}

const faultARN = "arn:aws:lambda:us-east-1:123456789012:function:fn:$LATEST/durable-execution/run/0a1b"

// validEvent is a well-formed event with a recorded step.
func validEvent(t *testing.T) []byte {
	t.Helper()
	b, err := json.Marshal(checkpoint.InvocationEvent{
		DurableExecutionArn: faultARN, CheckpointToken: "tok",
		InitialExecutionState: &checkpoint.ExecutionState{Operations: []checkpoint.Operation{
			{Id: "0a1b", Name: "run", Type: checkpoint.TypeExecution, Status: checkpoint.StatusStarted,
				StartTimestamp: checkpoint.At(time.Unix(1_700_000_000, 0)), ExecutionDetails: &checkpoint.ExecutionDetails{InputPayload: "3"}},
			{Id: "1", Name: "a", Type: checkpoint.TypeStep, SubType: checkpoint.SubTypeStep, Status: checkpoint.StatusSucceeded,
				StepDetails: &checkpoint.StepDetails{Attempt: 1, Result: "4"}},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestFaultMalformedEvents sends unusable invocation events: every one is
// answered with an error (ErrNotDurable or ErrMalformedEvent, so Lambda
// reports it) without a panic and without calling the service; every strict
// prefix of a valid event (a truncated delivery) is rejected the same way.
func TestFaultMalformedEvents(t *testing.T) {
	h := durable.NewHandler(func(ctx durable.Context, n int) (int, error) { return n, nil },
		durable.WithCheckpointClient(refusingClient(t)), durable.WithLogHandler(discard{}))
	op := func(fields string) string {
		return `{"DurableExecutionArn":"` + faultARN + `","CheckpointToken":"t","InitialExecutionState":{"Operations":[` + fields + `]}}`
	}
	cases := map[string]struct {
		event string
		want  error
	}{
		"empty":                  {``, durable.ErrMalformedEvent},
		"not JSON":               {`hello`, durable.ErrMalformedEvent},
		"array":                  {`[]`, durable.ErrMalformedEvent},
		"string":                 {`"event"`, durable.ErrMalformedEvent},
		"null":                   {`null`, durable.ErrNotDurable},
		"no ARN":                 {`{"CheckpointToken":"t"}`, durable.ErrNotDurable},
		"no token":               {`{"DurableExecutionArn":"` + faultARN + `"}`, durable.ErrNotDurable},
		"empty ARN":              {`{"DurableExecutionArn":"","CheckpointToken":"t"}`, durable.ErrNotDurable},
		"ARN of wrong type":      {`{"DurableExecutionArn":5,"CheckpointToken":"t"}`, durable.ErrMalformedEvent},
		"token of wrong type":    {`{"DurableExecutionArn":"a","CheckpointToken":{}}`, durable.ErrMalformedEvent},
		"state of wrong type":    {`{"DurableExecutionArn":"a","CheckpointToken":"t","InitialExecutionState":"x"}`, durable.ErrMalformedEvent},
		"operations not a list":  {`{"DurableExecutionArn":"a","CheckpointToken":"t","InitialExecutionState":{"Operations":{}}}`, durable.ErrMalformedEvent},
		"operation without id":   {op(`{"Type":"STEP","Status":"STARTED"}`), durable.ErrMalformedEvent},
		"unknown type":           {op(`{"Id":"1","Type":"TELEPORT","Status":"STARTED"}`), durable.ErrMalformedEvent},
		"missing type":           {op(`{"Id":"1","Status":"STARTED"}`), durable.ErrMalformedEvent},
		"unknown status":         {op(`{"Id":"1","Type":"STEP","Status":"SLEEPING"}`), durable.ErrMalformedEvent},
		"lower-case status":      {op(`{"Id":"1","Type":"STEP","Status":"started"}`), durable.ErrMalformedEvent},
		"bad timestamp":          {op(`{"Id":"1","Type":"STEP","Status":"STARTED","StartTimestamp":"yesterday"}`), durable.ErrMalformedEvent},
		"timestamp of bad type":  {op(`{"Id":"1","Type":"STEP","Status":"STARTED","StartTimestamp":{}}`), durable.ErrMalformedEvent},
		"attempt of wrong type":  {op(`{"Id":"1","Type":"STEP","Status":"STARTED","StepDetails":{"Attempt":"one"}}`), durable.ErrMalformedEvent},
		"details of wrong type":  {op(`{"Id":"1","Type":"STEP","Status":"STARTED","StepDetails":[]}`), durable.ErrMalformedEvent},
		"updated ids not a list": {`{"DurableExecutionArn":"a","CheckpointToken":"t","UpdatedOperationIds":"1"}`, durable.ErrMalformedEvent},
	}
	for name, tc := range cases {
		out, err := h.Invoke(context.Background(), []byte(tc.event))
		if !errors.Is(err, tc.want) || out != nil {
			t.Errorf("%s: got %s, %v; want an error matching %v", name, out, err, tc.want)
		}
		if durable.IsRetryable(err) {
			t.Errorf("%s: %v is classified retryable", name, err)
		}
	}
	valid := validEvent(t)
	for n := 0; n < len(valid); n++ {
		out, err := h.Invoke(context.Background(), valid[:n])
		if err == nil || !(errors.Is(err, durable.ErrMalformedEvent) || errors.Is(err, durable.ErrNotDurable)) {
			t.Fatalf("event truncated to %d bytes: got %s, %v", n, out, err)
		}
	}
}

// switchable is a function whose handler the test replaces between
// invocations: how code deployed mid-execution is simulated.
type switchable struct {
	h atomic.Pointer[durable.Handler]
}

func (s *switchable) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	return s.h.Load().Invoke(ctx, payload)
}

// TestFaultNonDeterminism runs a workflow until it suspends, then replays
// its history against code that asks for different operations (type, name,
// subtype, order): each ends FAILED with a NonDeterministicExecutionError
// naming both operations, never PENDING and never with a result.
func TestFaultNonDeterminism(t *testing.T) {
	one := func(durable.StepContext) (int, error) { return 1, nil }
	v1 := func(ctx durable.Context, _ int) (int, error) {
		a, err := durable.Step(ctx, "a", one)
		if err != nil {
			return 0, err
		}
		b, err := durable.Step(ctx, "b", one)
		if err != nil {
			return 0, err
		}
		if err := durable.Wait(ctx, "w", time.Minute); err != nil {
			return 0, err
		}
		return a + b, nil
	}
	cases := map[string]struct {
		code      func(durable.Context, int) (int, error)
		recorded  string
		requested string
	}{
		"type": {func(ctx durable.Context, _ int) (int, error) {
			return 0, durable.Wait(ctx, "a", time.Minute)
		}, "STEP", "WAIT"},
		"name": {func(ctx durable.Context, _ int) (int, error) {
			return durable.Step(ctx, "A", one)
		}, `"a"`, `"A"`},
		"subtype": {func(ctx durable.Context, _ int) (int, error) {
			return durable.Step(ctx, "a", one, durable.WithSubType("Charge"))
		}, "Step", "Charge"},
		"order": {func(ctx durable.Context, _ int) (int, error) {
			if _, err := durable.Step(ctx, "b", one); err != nil {
				return 0, err
			}
			return durable.Step(ctx, "a", one)
		}, `"a"`, `"b"`},
		"child instead of step": {func(ctx durable.Context, _ int) (int, error) {
			return durable.RunInChildContext(ctx, "a", func(durable.Context) (int, error) { return 1, nil })
		}, "STEP", "CONTEXT"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var fn switchable
			fn.h.Store(durable.NewHandler(v1, durable.WithLogHandler(discard{})))
			r := durabletest.New(&fn)
			defer r.Close()
			ctx := context.Background()
			if err := r.Start(ctx, 0); err != nil {
				t.Fatal(err)
			}
			if res, err := r.RunInvocation(ctx); err != nil || res.Status != checkpoint.InvocationPending {
				t.Fatalf("first invocation %+v %v, want PENDING", res, err)
			}
			fn.h.Store(durable.NewHandler(tc.code, durable.WithLogHandler(discard{})))
			inv, err := r.RunInvocation(ctx)
			if err != nil {
				t.Fatal(err)
			}
			res := r.Result()
			if inv.Status != checkpoint.InvocationFailed || res.Status != local.ExecutionFailed {
				t.Fatalf("invocation %+v, execution %+v: want FAILED", inv, res)
			}
			e := res.Error
			if e.ErrorType != "NonDeterministicExecutionError" || !strings.Contains(e.ErrorMessage, tc.recorded) ||
				!strings.Contains(e.ErrorMessage, tc.requested) {
				t.Fatalf("error %+v, want a NonDeterministicExecutionError naming %s and %s", e, tc.recorded, tc.requested)
			}
		})
	}
}

// TestFaultOversizedPayloads: an input over the limit is refused at start;
// a step result over the operation payload limit fails the execution with a
// payload-too-large error (once, without a retry loop); a child context
// result over it is rebuilt from its children; a workflow result or error
// over the response limit is checkpointed and the execution still ends
// with it.
func TestFaultOversizedPayloads(t *testing.T) {
	ctx := context.Background()
	big := strings.Repeat("x", 300<<10) // over 256 KiB
	t.Run("input", func(t *testing.T) {
		r := durabletest.New(durable.NewHandler(func(ctx durable.Context, s string) (string, error) { return s, nil }))
		defer r.Close()
		err := r.Start(ctx, big)
		if !errors.Is(err, local.ErrRequestTooLarge) {
			t.Fatalf("start with a %d-byte input: %v", len(big), err)
		}
	})
	t.Run("step result", func(t *testing.T) {
		var runs atomic.Int32
		h := durable.NewHandler(func(ctx durable.Context, _ int) (string, error) {
			return durable.Step(ctx, "big", func(durable.StepContext) (string, error) { runs.Add(1); return big, nil })
		}, durable.WithLogHandler(discard{}))
		r := newRunner(t, h)
		res := mustRun(t, r, 0)
		// The SDK refuses the result itself (PayloadTooLargeError); were it
		// sent, the service would refuse it (RequestTooLargeException).
		e := res.Error
		sdkSide := e != nil && e.ErrorType == "PayloadTooLargeError"
		serviceSide := e != nil && e.ErrorType == "CheckpointError" && strings.Contains(e.ErrorMessage, local.CodeRequestTooLarge)
		if res.Status != local.ExecutionFailed || !(sdkSide || serviceSide) || runs.Load() != 1 {
			t.Fatalf("execution %s %+v after %d runs: want FAILED with a payload-too-large error after one run", res.Status, e, runs.Load())
		}
	})
	t.Run("child result", func(t *testing.T) {
		var runs atomic.Int32
		h := durable.NewHandler(func(ctx durable.Context, _ int) (int, error) {
			s, err := durable.RunInChildContext(ctx, "big", func(cc durable.Context) (string, error) {
				var parts []string
				for _, name := range []string{"p1", "p2"} {
					p, err := durable.Step(cc, name, func(durable.StepContext) (string, error) { runs.Add(1); return big[:150<<10], nil })
					if err != nil {
						return "", err
					}
					parts = append(parts, p)
				}
				return strings.Join(parts, ""), nil
			})
			if err != nil {
				return 0, err
			}
			// The wait suspends: the next invocation rebuilds s from p1 and p2.
			if err := durable.Wait(ctx, "w", time.Second); err != nil {
				return 0, err
			}
			return len(s), nil
		}, durable.WithLogHandler(discard{}))
		r := newRunner(t, h)
		res := mustRun(t, r, 0)
		if res.Status != local.ExecutionSucceeded || res.Result != "307200" || runs.Load() != 2 {
			t.Fatalf("execution %s %v result %.40s, step runs %d", res.Status, res.Error, res.Result, runs.Load())
		}
		child, _ := r.Operation("big")
		if d := child.ContextDetails; d == nil || !d.ReplayChildren || d.Result != "" {
			t.Fatalf("child context recorded %+v, want ReplayChildren without a payload", d)
		}
	})
	t.Run("workflow result", func(t *testing.T) {
		h := durable.NewHandler(func(ctx durable.Context, _ int) (string, error) {
			return strings.Repeat("r", 5000), nil
		}, durable.WithLogHandler(discard{}), durable.WithMaxResponseBytes(1024))
		r := newRunner(t, h)
		res := mustRun(t, r, 0)
		if res.Status != local.ExecutionSucceeded || len(res.Result) != 5002 {
			t.Fatalf("execution %s %.200v, result of %d bytes, want SUCCEEDED with the 5002-byte result", res.Status, res.Error, len(res.Result))
		}
	})
	t.Run("workflow error", func(t *testing.T) {
		msg := strings.Repeat("e", 5000)
		h := durable.NewHandler(func(ctx durable.Context, _ int) (string, error) {
			return "", errors.New(msg)
		}, durable.WithLogHandler(discard{}), durable.WithMaxResponseBytes(1024))
		r := newRunner(t, h)
		res := mustRun(t, r, 0)
		if res.Status != local.ExecutionFailed || res.Error == nil || res.Error.ErrorMessage != msg {
			t.Fatalf("execution %s, error %.200v (message %d bytes): want FAILED with the full message", res.Status, res.Error, len(res.Error.ErrorMessage))
		}
	})
}

// TestFaultInvalidArguments: invalid durations, names, subtypes and options
// are a *ValidationError returned to the workflow before anything is
// recorded, and the workflow can go on.
func TestFaultInvalidArguments(t *testing.T) {
	one := func(durable.StepContext) (int, error) { return 1, nil }
	checks := map[string]func(durable.Context) error{
		"wait zero":          func(c durable.Context) error { return durable.Wait(c, "w", 0) },
		"wait negative":      func(c durable.Context) error { return durable.Wait(c, "w", -time.Second) },
		"wait sub-second":    func(c durable.Context) error { return durable.Wait(c, "w", 500*time.Millisecond) },
		"wait fractional":    func(c durable.Context) error { return durable.Wait(c, "w", 1500*time.Millisecond) },
		"wait over 366 days": func(c durable.Context) error { return durable.Wait(c, "w", 367*24*time.Hour) },
		"name too long":      func(c durable.Context) error { _, err := durable.Step(c, strings.Repeat("n", 257), one); return err },
		"name with control":  func(c durable.Context) error { _, err := durable.Step(c, "a\nb", one); return err },
		"name not ASCII":     func(c durable.Context) error { return durable.Wait(c, "café", time.Second) },
		"subtype with space": func(c durable.Context) error {
			_, err := durable.Step(c, "s", one, durable.WithSubType("my type"))
			return err
		},
		"subtype too long": func(c durable.Context) error {
			_, err := durable.Step(c, "s", one, durable.WithSubType(strings.Repeat("t", 33)))
			return err
		},
		"nil step function":  func(c durable.Context) error { _, err := durable.Step[int](c, "s", nil); return err },
		"nil child function": func(c durable.Context) error { _, err := durable.RunInChildContext[int](c, "c", nil); return err },
		"callback timeout < 0": func(c durable.Context) error {
			_, err := durable.CreateCallback[string](c, "cb", durable.WithCallbackTimeout(-time.Second))
			return err
		},
		"heartbeat fractional": func(c durable.Context) error {
			_, err := durable.CreateCallback[string](c, "cb", durable.WithHeartbeatTimeout(1500*time.Millisecond))
			return err
		},
	}
	for name, check := range checks {
		t.Run(name, func(t *testing.T) {
			var got error
			h := durable.NewHandler(func(ctx durable.Context, _ int) (int, error) {
				got = check(ctx)
				// The workflow goes on after the rejected call.
				return durable.Step(ctx, "after", func(durable.StepContext) (int, error) { return 7, nil })
			}, durable.WithLogHandler(discard{}))
			r := newRunner(t, h)
			res := mustRun(t, r, 0)
			var ve *durable.ValidationError
			if !errors.As(got, &ve) {
				t.Fatalf("got %v, want a *durable.ValidationError", got)
			}
			if res.Status != local.ExecutionSucceeded || res.Result != "7" {
				t.Fatalf("execution %+v", res)
			}
			// Only the EXECUTION and the "after" step are recorded.
			if ops := r.Operations(); len(ops) != 2 || ops[1].Name != "after" || ops[1].Id != "1" {
				t.Fatalf("recorded %+v", ops)
			}
		})
	}
	var ve *durable.ValidationError
	for name, opt := range map[string]durable.HandlerOption{
		"negative payload limit":  durable.WithMaxPayloadBytes(-1),
		"negative response limit": durable.WithMaxResponseBytes(-1),
		"batch over 250 updates":  durable.WithCheckpointMode(checkpoint.Batched{MaxUpdates: 251}),
		"batch over 750 KiB":      durable.WithCheckpointMode(checkpoint.Batched{MaxBytes: checkpoint.MaxBatchBytes + 1}),
		"negative batch delay":    durable.WithCheckpointMode(checkpoint.Batched{MaxDelay: -time.Second}),
	} {
		h := durable.NewHandler(func(ctx durable.Context, n int) (int, error) { return n, nil }, opt)
		if !errors.As(h.Err(), &ve) {
			t.Errorf("%s: Err() = %v, want a *durable.ValidationError", name, h.Err())
		}
		if _, err := h.Invoke(context.Background(), validEvent(t)); err == nil {
			t.Errorf("%s: a misconfigured handler ran an invocation", name)
		}
	}
}
