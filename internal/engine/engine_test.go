package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/middleware"
	"github.com/lambda-durable/durable/retry"
)

func TestWaitSuspendsThenSucceeds(t *testing.T) {
	f := newFake(t, "")
	en := newEngine(t, func(c *Context) (any, error) {
		return nil, Wait(c, "nap", 90*time.Second)
	})
	resp, err := invoke(t, en, f)
	if err != nil || resp.Status != checkpoint.InvocationPending {
		t.Fatalf("first invocation: %+v %v", resp, err)
	}
	us := f.updates()
	if actions(us) != "1:WAIT:START" || us[0].WaitOptions.WaitSeconds != 90 || us[0].Name != "nap" || us[0].SubType != "Wait" {
		t.Fatalf("updates %+v", us)
	}
	f.advance()
	resp, err = invoke(t, en, f)
	if err != nil || resp.Status != checkpoint.InvocationSucceeded || resp.Result != "null" {
		t.Fatalf("second invocation: %+v %v", resp, err)
	}
	if f.callCount() != 1 {
		t.Fatalf("%d calls", f.callCount())
	}
}

func TestWaitValidation(t *testing.T) {
	for _, d := range []time.Duration{0, 500 * time.Millisecond, 1500 * time.Millisecond, 367 * 24 * time.Hour, -time.Second} {
		f := newFake(t, "")
		var got error
		en := newEngine(t, func(c *Context) (any, error) {
			got = Wait(c, "", d)
			return nil, nil
		})
		runToEnd(t, en, f)
		var ve *ValidationError
		if !errors.As(got, &ve) {
			t.Errorf("Wait(%v) = %v, want ValidationError", d, got)
		}
		if f.callCount() != 0 {
			t.Errorf("Wait(%v) checkpointed", d)
		}
	}
	if err := ValidateWait(366 * 24 * time.Hour); err != nil {
		t.Fatal(err)
	}
}

func TestChildContextIDsAndOrder(t *testing.T) {
	f := newFake(t, "")
	en := newEngine(t, func(c *Context) (any, error) {
		v, err := RunInChildContext(c, "kid", func(cc *Context) (int, error) {
			a, _ := Step(cc, "a", func(*StepContext) (int, error) { return 1, nil }, StepOptions{})
			b, err := RunInChildContext(cc, "", func(gc *Context) (int, error) {
				return Step(gc, "b", func(*StepContext) (int, error) { return 2, nil }, StepOptions{})
			}, ChildOptions{})
			return a + b, err
		}, ChildOptions{})
		if err != nil {
			return nil, err
		}
		w, err := Step(c, "after", func(*StepContext) (int, error) { return 10, nil }, StepOptions{})
		return v + w, err
	})
	resp, _ := runToEnd(t, en, f)
	if resp.Result != "13" {
		t.Fatalf("%+v", resp)
	}
	want := "1:CONTEXT:START 1-1:STEP:START 1-1:STEP:SUCCEED 1-2:CONTEXT:START 1-2-1:STEP:START 1-2-1:STEP:SUCCEED 1-2:CONTEXT:SUCCEED 1:CONTEXT:SUCCEED 2:STEP:START 2:STEP:SUCCEED"
	us := f.updates()
	if actions(us) != want {
		t.Fatalf("updates %s\nwant    %s", actions(us), want)
	}
	if us[1].ParentId != "1" || us[4].ParentId != "1-2" || us[0].SubType != "RunInChildContext" || us[7].Payload != "3" {
		t.Fatalf("updates %+v", us)
	}
}

func TestChildContextReplayAndError(t *testing.T) {
	f := newFake(t, "")
	var runs atomic.Int32
	var errs []error
	en := newEngine(t, func(c *Context) (any, error) {
		v, _ := RunInChildContext(c, "ok", func(cc *Context) (string, error) {
			runs.Add(1)
			return "v", nil
		}, ChildOptions{})
		_, err := RunInChildContext(c, "bad", func(cc *Context) (int, error) { return 0, codeErr{} }, ChildOptions{})
		errs = append(errs, err)
		if err := Wait(c, "", time.Second); err != nil {
			return nil, err
		}
		return v, nil
	})
	resp, n := runToEnd(t, en, f)
	if resp.Result != `"v"` || n != 2 || runs.Load() != 1 {
		t.Fatalf("%+v n=%d runs=%d", resp, n, runs.Load())
	}
	var a, b *ChildContextError
	if len(errs) != 2 || !errors.As(errs[0], &a) || !errors.As(errs[1], &b) || a.Error() != b.Error() || a.Object.ErrorType != "CodeError" {
		t.Fatalf("errors %v", errs)
	}
}

func TestChildContextLargeResultReplaysChildren(t *testing.T) {
	f := newFake(t, "")
	var stepRuns, bodyRuns atomic.Int32
	en := newEngine(t, func(c *Context) (any, error) {
		big, err := RunInChildContext(c, "big", func(cc *Context) (string, error) {
			bodyRuns.Add(1)
			s, err := Step(cc, "small", func(*StepContext) (string, error) { stepRuns.Add(1); return "x", nil }, StepOptions{})
			return strings.Repeat(s, 100), err
		}, ChildOptions{})
		if err != nil {
			return nil, err
		}
		if err := Wait(c, "", time.Second); err != nil {
			return nil, err
		}
		return len(big), nil
	}, func(cfg *Config) { cfg.MaxPayloadBytes = 50 })
	resp, n := runToEnd(t, en, f)
	if resp.Result != "100" || n != 2 || stepRuns.Load() != 1 || bodyRuns.Load() != 2 {
		t.Fatalf("%+v n=%d steps=%d bodies=%d", resp, n, stepRuns.Load(), bodyRuns.Load())
	}
	us := f.updates()
	succeed := us[3]
	if succeed.Action != checkpoint.ActionSucceed || succeed.Payload != "" || succeed.ContextOptions == nil || !succeed.ContextOptions.ReplayChildren {
		t.Fatalf("context completion %+v", succeed)
	}
}

func TestIDs(t *testing.T) {
	valid := regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	if ChildID("", 3) != "3" || ChildID("3", 2) != "3-2" || ChildID("1-2", 10) != "1-2-10" {
		t.Fatal("short ids")
	}
	long := strings.Repeat("1-", 31) + "1" // 63 chars
	id := ChildID(long, 12)
	if len(id) != 64 || !valid.MatchString(id) || id != ChildID(long, 12) || id == ChildID(long, 13) {
		t.Fatalf("hashed id %q", id)
	}
	if deeper := ChildID(id, 1); len(deeper) != 64 || !valid.MatchString(deeper) {
		t.Fatalf("child of hashed id %q", deeper)
	}
}

func TestIDsAreUniqueAcrossGoroutines(t *testing.T) {
	f := newFake(t, "")
	en := newEngine(t, func(c *Context) (any, error) {
		var mu sync.Mutex
		seen := map[string]bool{}
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 100 {
					id := c.NextID()
					mu.Lock()
					seen[id] = true
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		return len(seen), nil
	})
	resp, _ := runToEnd(t, en, f)
	if resp.Result != "800" {
		t.Fatalf("%+v", resp)
	}
}

func TestNonDeterminismFails(t *testing.T) {
	for name, rec := range map[string]checkpoint.Operation{
		"type":    {Id: "1", Type: checkpoint.TypeWait, SubType: "Wait", Name: "x", Status: checkpoint.StatusSucceeded},
		"name":    {Id: "1", Type: checkpoint.TypeStep, SubType: "Step", Name: "y", Status: checkpoint.StatusSucceeded, StepDetails: &checkpoint.StepDetails{Result: "1"}},
		"subtype": {Id: "1", Type: checkpoint.TypeStep, SubType: "Other", Name: "x", Status: checkpoint.StatusSucceeded, StepDetails: &checkpoint.StepDetails{Result: "1"}},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFake(t, "")
			f.add(&rec)
			swallowed := false
			en := newEngine(t, func(c *Context) (any, error) {
				_, err := Step(c, "x", func(*StepContext) (int, error) { return 1, nil }, StepOptions{})
				swallowed = err != nil // must never get here
				return "done", nil
			})
			resp, err := invoke(t, en, f)
			if err != nil || resp.Status != checkpoint.InvocationFailed || swallowed {
				t.Fatalf("%+v %v swallowed=%v", resp, err, swallowed)
			}
			if resp.Error.ErrorType != "NonDeterministicExecutionError" || !strings.Contains(resp.Error.ErrorMessage, "STEP/Step name=\"x\"") {
				t.Fatalf("error %+v", resp.Error)
			}
			if f.callCount() != 0 {
				t.Fatal("checkpointed after non-determinism")
			}
		})
	}
}

func TestInitialStatePagination(t *testing.T) {
	f := newFake(t, "")
	wf := func(c *Context) (any, error) {
		sum, err := fiveSteps(c)
		if err != nil {
			return nil, err
		}
		return sum, Wait(c, "", time.Second)
	}
	en := newEngine(t, wf)
	if resp, _ := invoke(t, en, f); resp.Status != checkpoint.InvocationPending {
		t.Fatalf("%+v", resp)
	}
	f.advance()
	f.pageSize = 2
	before := f.callCount()
	resp, err := invoke(t, en, f)
	if err != nil || resp.Result != "5" {
		t.Fatalf("%+v %v", resp, err)
	}
	if f.stateCalls != 3 || f.callCount() != before {
		t.Fatalf("state calls %d, checkpoint calls %d (replay must not re-run steps)", f.stateCalls, f.callCount()-before)
	}
}

func TestLargeResultIsCheckpointed(t *testing.T) {
	f := newFake(t, "")
	en := newEngine(t, func(c *Context) (any, error) {
		_, _ = Step(c, "", func(*StepContext) (int, error) { return 1, nil }, StepOptions{})
		return strings.Repeat("a", 100), nil
	}, func(cfg *Config) { cfg.MaxResponseBytes = 64; cfg.Mode = checkpoint.Optimistic{} })
	resp, _ := runToEnd(t, en, f)
	if resp.Status != checkpoint.InvocationSucceeded || resp.Result != "" {
		t.Fatalf("%+v", resp)
	}
	last := f.calls[len(f.calls)-1].Updates
	if u := last[len(last)-1]; u.Type != checkpoint.TypeExecution || u.Action != checkpoint.ActionSucceed || len(u.Payload) != 102 || u.Id != "exec-1" {
		t.Fatalf("last update %+v", u)
	}
}

func TestLargeErrorIsCheckpointed(t *testing.T) {
	f := newFake(t, "")
	en := newEngine(t, func(c *Context) (any, error) {
		return nil, errors.New(strings.Repeat("e", 500))
	}, func(cfg *Config) { cfg.MaxResponseBytes = 200 })
	resp, _ := runToEnd(t, en, f)
	if resp.Status != checkpoint.InvocationFailed || resp.Error == nil {
		t.Fatalf("%+v", resp)
	}
	if f.execResult == nil || f.execResult.Action != checkpoint.ActionFail || len(f.execResult.Error.ErrorMessage) != 500 {
		t.Fatalf("execution update %+v", f.execResult)
	}
}

func TestCheckpointErrorClasses(t *testing.T) {
	wf := func(c *Context) (any, error) {
		return Step(c, "", func(*StepContext) (int, error) { return 1, nil }, StepOptions{})
	}
	t.Run("retryable", func(t *testing.T) {
		f := newFake(t, "")
		f.failCall = func(int, *checkpoint.CheckpointInput) error {
			return &checkpoint.Error{Operation: "CheckpointDurableExecution", Code: "TooManyRequestsException", StatusCode: 429, Retryable: true}
		}
		_, err := invoke(t, newEngine(t, wf), f)
		var ie *InvocationError
		if !errors.As(err, &ie) || !checkpoint.IsRetryable(err) {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("terminal", func(t *testing.T) {
		f := newFake(t, "")
		f.failCall = func(int, *checkpoint.CheckpointInput) error {
			return &checkpoint.Error{Operation: "CheckpointDurableExecution", Code: "RequestTooLargeException", StatusCode: 413}
		}
		resp, err := invoke(t, newEngine(t, wf), f)
		if err != nil || resp.Status != checkpoint.InvocationFailed || resp.Error.ErrorType != "CheckpointError" {
			t.Fatalf("%+v %v", resp, err)
		}
	})
	t.Run("no token", func(t *testing.T) {
		f := newFake(t, "")
		f.noToken = true
		wf2 := func(c *Context) (any, error) {
			_, _ = Step(c, "", func(*StepContext) (int, error) { return 1, nil }, StepOptions{})
			return Step(c, "", func(*StepContext) (int, error) { return 1, nil }, StepOptions{})
		}
		resp, err := invoke(t, newEngine(t, wf2), f)
		if err != nil || resp.Status != checkpoint.InvocationFailed || !strings.Contains(resp.Error.ErrorMessage, "no checkpoint token") {
			t.Fatalf("%+v %v", resp, err)
		}
	})
	t.Run("state paging retryable", func(t *testing.T) {
		f := newFake(t, "")
		f.add(&checkpoint.Operation{Id: "1", Type: checkpoint.TypeStep, SubType: "Step", Status: checkpoint.StatusSucceeded, StepDetails: &checkpoint.StepDetails{Result: "1"}})
		f.pageSize = 1
		en := newEngine(t, wf)
		ctx := checkpoint.ContextWithClient(context.Background(), f)
		ev := f.event()
		f.tokenSeq++ // the event's token is now stale
		_, err := en.Invoke(ctx, ev)
		if !checkpoint.IsRetryable(err) {
			t.Fatalf("err %v", err)
		}
	})
}

func TestMalformedEvents(t *testing.T) {
	en := newEngine(t, func(c *Context) (any, error) { return nil, nil })
	for name, tc := range map[string]struct {
		payload string
		want    error
	}{
		"bad json":       {`{"DurableExecutionArn":`, ErrMalformedEvent},
		"not durable":    {`{"key":"value"}`, ErrNotDurable},
		"no token":       {`{"DurableExecutionArn":"arn"}`, ErrNotDurable},
		"unknown status": {`{"DurableExecutionArn":"a/b","CheckpointToken":"t","InitialExecutionState":{"Operations":[{"Id":"x","Type":"STEP","Status":"WEIRD"}]}}`, ErrMalformedEvent},
		"unknown type":   {`{"DurableExecutionArn":"a/b","CheckpointToken":"t","InitialExecutionState":{"Operations":[{"Id":"x","Type":"NOPE","Status":"STARTED"}]}}`, ErrMalformedEvent},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := en.Invoke(checkpoint.ContextWithClient(context.Background(), newFake(t, "")), []byte(tc.payload))
			if !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
		})
	}
}

func TestNothingPendingIsFailure(t *testing.T) {
	f := newFake(t, "")
	en := newEngine(t, func(c *Context) (any, error) {
		c.Execution().NewEvent().Wait() // never fired: a deadlock
		return nil, nil
	})
	resp, err := invoke(t, en, f)
	if err != nil || resp.Status != checkpoint.InvocationFailed || !strings.Contains(resp.Error.ErrorMessage, "deadlock") {
		t.Fatalf("%+v %v", resp, err)
	}
}

func TestBranchesSuspendTogether(t *testing.T) {
	f := newFake(t, "")
	var after atomic.Int32
	en := newEngine(t, func(c *Context) (any, error) {
		e := c.Execution()
		var results [2]int
		var done [2]*Event
		for i := range 2 {
			done[i] = e.Go(func() {
				if err := Wait(c, "", time.Second); err != nil {
					return
				}
				after.Add(1)
				results[i] = i + 1
			})
		}
		done[0].Wait()
		done[1].Wait()
		return results[0] + results[1], nil
	})
	resp, err := invoke(t, en, f)
	if err != nil || resp.Status != checkpoint.InvocationPending || after.Load() != 0 {
		t.Fatalf("%+v %v after=%d", resp, err, after.Load())
	}
	f.advance()
	resp, _ = invoke(t, en, f)
	if resp.Result != "3" || after.Load() != 2 {
		t.Fatalf("%+v after=%d", resp, after.Load())
	}
}

func TestClosedChildRefusesUpdates(t *testing.T) {
	f := newFake(t, "")
	var late error
	en := newEngine(t, func(c *Context) (any, error) {
		var leaked *Context
		_, err := RunInChildContext(c, "", func(cc *Context) (int, error) { leaked = cc; return 0, nil }, ChildOptions{})
		if err != nil {
			return nil, err
		}
		_, late = Step(leaked, "late", func(*StepContext) (int, error) { return 1, nil }, StepOptions{})
		return nil, nil
	})
	resp, _ := runToEnd(t, en, f)
	if !errors.Is(late, ErrContextClosed) || resp.Status != checkpoint.InvocationSucceeded {
		t.Fatalf("late=%v resp=%+v", late, resp)
	}
	for _, u := range f.updates() {
		if u.Name == "late" {
			t.Fatal("update from a closed context was sent")
		}
	}
}

func TestMiddlewareSeesReplaysAndAttempts(t *testing.T) {
	f := newFake(t, "")
	var mu sync.Mutex
	var opsSeen, attemptsSeen []string
	opMW := func(next middleware.Handler) middleware.Handler {
		return func(ctx context.Context, op *middleware.Operation) error {
			err := next(ctx, op)
			mu.Lock()
			sp := op.Spec()
			opsSeen = append(opsSeen, sp.ID+":"+string(sp.Type)+":"+map[bool]string{true: "replay", false: "live"}[sp.Replaying]+":"+op.Payload())
			mu.Unlock()
			return err
		}
	}
	attMW := func(next middleware.Handler) middleware.Handler {
		return func(ctx context.Context, op *middleware.Operation) error {
			err := next(ctx, op)
			mu.Lock()
			attemptsSeen = append(attemptsSeen, op.Spec().ID)
			mu.Unlock()
			return err
		}
	}
	en := newEngine(t, func(c *Context) (any, error) {
		v, err := Step(c, "s", func(*StepContext) (int, error) { return 7, nil }, StepOptions{})
		if err != nil {
			return nil, err
		}
		return v, Wait(c, "", time.Second)
	}, func(cfg *Config) {
		cfg.Middleware = []middleware.Middleware{opMW}
		cfg.AttemptMiddleware = []middleware.Middleware{attMW}
	})
	runToEnd(t, en, f)
	// The first invocation suspends inside the wait: the chain sees it live
	// (next returns ErrSuspended), then replayed in the second (this fake
	// service sends no UpdatedOperationIds).
	want := "1:STEP:live:7 2:WAIT:live: 1:STEP:replay:7 2:WAIT:replay:"
	if got := strings.Join(opsSeen, " "); got != want {
		t.Fatalf("operations %s\nwant       %s", got, want)
	}
	if strings.Join(attemptsSeen, " ") != "1" {
		t.Fatalf("attempts %v", attemptsSeen)
	}
}

func TestInvocationMiddleware(t *testing.T) {
	f := newFake(t, "")
	var seen []string
	en := newEngine(t, func(c *Context) (any, error) { return nil, Wait(c, "", time.Second) },
		func(cfg *Config) {
			cfg.InvocationMiddleware = []middleware.InvocationMiddleware{func(next middleware.InvocationHandler) middleware.InvocationHandler {
				return func(ctx context.Context, inv *middleware.Invocation) error {
					err := next(ctx, inv)
					seen = append(seen, map[bool]string{true: "first", false: "again"}[inv.First]+":"+string(inv.Status)+":"+inv.ExecutionARN[:7])
					return err
				}
			}}
		})
	runToEnd(t, en, f)
	if got := strings.Join(seen, " "); got != "first:PENDING:arn:aws again:SUCCEEDED:arn:aws" {
		t.Fatal(got)
	}
}

func TestReplayAwareLogging(t *testing.T) {
	for _, show := range []bool{false, true} {
		f := newFake(t, "")
		var buf bytes.Buffer
		var mu sync.Mutex
		h := slog.NewJSONHandler(&lockedWriter{w: &buf, mu: &mu}, nil)
		en := newEngine(t, func(c *Context) (any, error) {
			c.Logger().Info("before")
			if _, err := Step(c, "s", func(sc *StepContext) (int, error) {
				sc.Logger().Info("in step")
				return 1, nil
			}, StepOptions{}); err != nil {
				return nil, err
			}
			if err := Wait(c, "", time.Second); err != nil {
				return nil, err
			}
			c.Logger().Info("after")
			return nil, nil
		}, func(cfg *Config) { cfg.LogHandler = h; cfg.ShowReplayLogs = show })
		runToEnd(t, en, f)
		var lines []map[string]any
		for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
			var m map[string]any
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, m)
		}
		want := []string{"before", "in step", "after"}
		if show {
			want = []string{"before", "in step", "before", "after"}
		}
		var got []string
		for _, m := range lines {
			got = append(got, m["msg"].(string))
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("show=%v: %v", show, got)
		}
		if lines[1]["operationId"] != "1" || lines[1]["operationName"] != "s" || lines[1]["attempt"] != 1.0 || lines[0]["executionArn"] != testARN {
			t.Fatalf("attributes %v", lines[:2])
		}
		if show && lines[2]["replay"] != true {
			t.Fatalf("replayed record not marked: %v", lines[2])
		}
	}
}

type lockedWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestPanicInWorkflowFails(t *testing.T) {
	f := newFake(t, "")
	en := newEngine(t, func(c *Context) (any, error) { panic("oops") })
	resp, _ := runToEnd(t, en, f)
	if resp.Status != checkpoint.InvocationFailed || resp.Error.ErrorType != "Panic" {
		t.Fatalf("%+v", resp)
	}
}

func TestDeserializeFailureIsTerminal(t *testing.T) {
	f := newFake(t, "")
	f.add(&checkpoint.Operation{Id: "1", Type: checkpoint.TypeStep, SubType: "Step", Status: checkpoint.StatusSucceeded,
		StepDetails: &checkpoint.StepDetails{Result: `"not a number"`}})
	en := newEngine(t, func(c *Context) (any, error) {
		_, err := Step(c, "", func(*StepContext) (int, error) { return 1, nil }, StepOptions{Retry: retry.None()})
		return nil, err
	})
	resp, _ := runToEnd(t, en, f)
	if resp.Status != checkpoint.InvocationFailed || !strings.Contains(resp.Error.ErrorMessage, "deserialize") {
		t.Fatalf("%+v", resp.Error)
	}
}
