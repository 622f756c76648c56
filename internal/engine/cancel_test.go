package engine_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/internal/engine"
	"github.com/lambda-durable/durable/local"
)

// engineRunner runs workflow on the local service through an Engine.
func engineRunner(t *testing.T, mode checkpoint.Mode, workflow func(c *engine.Context) (any, error), opts ...durabletest.Option) *durabletest.Runner {
	t.Helper()
	en, err := engine.NewEngine(engine.Config{Workflow: workflow, Mode: mode, LogHandler: slog.DiscardHandler})
	if err != nil {
		t.Fatal(err)
	}
	r := durabletest.New(en, opts...)
	t.Cleanup(func() { r.Close() })
	return r
}

func runToEnd(t *testing.T, r *durabletest.Runner) *durabletest.Result {
	t.Helper()
	res, err := r.Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func eventTypes(r *durabletest.Runner) string {
	var out []string
	for _, ev := range r.History() {
		out = append(out, string(ev.EventType))
	}
	return strings.Join(out, " ")
}

// waitTarget is a durable function that waits for a callback.
func waitTarget() *durable.Handler {
	return durable.NewHandler(func(ctx durable.Context, _ any) (string, error) {
		cb, err := durable.CreateCallback[string](ctx, "never")
		if err != nil {
			return "", err
		}
		return cb.Get()
	}, durable.WithLogHandler(slog.DiscardHandler))
}

func TestCancelAsyncWaitAndInvoke(t *testing.T) {
	for _, mode := range []checkpoint.Mode{checkpoint.Eager{}, checkpoint.Batched{MaxUpdates: 50}, checkpoint.Optimistic{}} {
		t.Run(checkpoint.ModeName(mode), func(t *testing.T) {
			var seen []string
			r := engineRunner(t, mode, func(c *engine.Context) (any, error) {
				w := engine.WaitAsync(c, "long", 24*time.Hour)
				inv := engine.InvokeAsync[string](c, "call", "target", 1, engine.InvokeOptions{})
				if w.OperationID() == "" || inv.OperationID() == "" {
					return nil, errors.New("handles without ids")
				}
				if !c.IsReplaying() && (!w.Cancel() || !inv.Cancel()) {
					return nil, errors.New("Cancel sent nothing")
				}
				_, werr := w.Get()
				_, ierr := inv.Get()
				seen = append(seen, fmt.Sprint(werr, " | ", ierr))
				var ie *engine.InvokeError
				if !errors.Is(werr, engine.ErrWaitCancelled) || !errors.Is(ierr, engine.ErrCancelled) ||
					!errors.As(ierr, &ie) || ie.Status != checkpoint.StatusCancelled {
					return nil, fmt.Errorf("unexpected errors: %v / %v", werr, ierr)
				}
				if w.Cancel() || inv.Cancel() {
					return nil, errors.New("cancelling an ended operation sent a CANCEL")
				}
				// Suspend once so that a replay sees the cancelled operations.
				return "done", engine.Wait(c, "", time.Second)
			}, durabletest.WithFunction("target", waitTarget()))
			res := runToEnd(t, r)
			if res.Status != local.ExecutionSucceeded {
				t.Fatalf("status %s, error %+v; history %s", res.Status, res.Error, eventTypes(r))
			}
			if len(seen) != 2 || seen[0] != seen[1] {
				t.Errorf("errors seen live and on replay: %q", seen)
			}
			for _, name := range []string{"long", "call"} {
				if op, ok := r.Operation(name); !ok || op.Status != checkpoint.StatusCancelled {
					t.Errorf("%s = %+v, want CANCELLED", name, op)
				}
			}
			if !strings.Contains(eventTypes(r), "WaitCancelled") {
				t.Errorf("history %s has no WaitCancelled", eventTypes(r))
			}
			for _, x := range r.Service().Executions() {
				if x.DurableExecutionArn != r.ExecutionARN() && x.Status != local.ExecutionStopped {
					t.Errorf("the invoked execution is %s, want STOPPED", x.Status)
				}
			}
		})
	}
}

func TestCancelPendingInsideABranch(t *testing.T) {
	// A branch still waiting when its batch completes: everything it has
	// open is cancelled, and the execution ends without waiting for it.
	for _, mode := range []checkpoint.Mode{checkpoint.Eager{}, checkpoint.Batched{MaxUpdates: 50}} {
		t.Run(checkpoint.ModeName(mode), func(t *testing.T) {
			r := engineRunner(t, mode, func(c *engine.Context) (any, error) {
				var branch *engine.Context
				ready := c.Execution().NewEvent()
				var branchErr error
				done := c.Execution().Go(func() {
					_, branchErr = engine.RunInChildContext(c, "branch", func(cc *engine.Context) (string, error) {
						branch = cc
						cb, err := engine.CreateCallback[string](cc, "approval", engine.CallbackOptions{})
						if err != nil {
							return "", err
						}
						w := engine.WaitAsync(cc, "nap", time.Hour)
						inv := engine.InvokeAsync[string](cc, "call", "target", 1, engine.InvokeOptions{})
						ready.Fire()
						_, err1 := cb.Get()
						_, err2 := w.Get()
						_, err3 := inv.Get()
						return "", errors.Join(err1, err2, err3)
					}, engine.ChildOptions{})
				})
				ready.Wait()
				if n := branch.CancelPending(); n != 3 {
					return nil, fmt.Errorf("cancelled %d operations, want 3", n)
				}
				done.Wait()
				if !errors.Is(branchErr, engine.ErrContextClosed) && !errors.Is(branchErr, engine.ErrCancelled) {
					return nil, fmt.Errorf("branch error %v", branchErr)
				}
				if !branch.Closed() {
					return nil, errors.New("the branch is still open")
				}
				return "completed", nil
			}, durabletest.WithFunction("target", waitTarget()))
			res := runToEnd(t, r)
			if res.Status != local.ExecutionSucceeded {
				t.Fatalf("status %s, error %+v; history %s", res.Status, res.Error, eventTypes(r))
			}
			var statuses []string
			for _, op := range r.Operations() {
				if op.Type == checkpoint.TypeCallback || op.Type == checkpoint.TypeWait || op.Type == checkpoint.TypeChainedInvoke {
					statuses = append(statuses, string(op.Status))
				}
			}
			if !slices.Equal(statuses, []string{"CANCELLED", "CANCELLED", "CANCELLED"}) {
				t.Errorf("statuses %q", statuses)
			}
			if n := len(events(r, "InvocationCompleted")); n != 1 {
				t.Errorf("%d invocations, want 1", n)
			}
		})
	}
}

func TestAsyncKeepsOrderAndIDs(t *testing.T) {
	r := engineRunner(t, nil, func(c *engine.Context) (any, error) {
		a := engine.WaitAsync(c, "a", time.Second)
		b := engine.WaitAsync(c, "b", 2*time.Second)
		s, err := engine.Step(c, "s", func(*engine.StepContext) (string, error) { return "x", nil }, engine.StepOptions{})
		if err != nil {
			return nil, err
		}
		if _, err := a.Get(); err != nil {
			return nil, err
		}
		if _, err := b.Get(); err != nil {
			return nil, err
		}
		bad := engine.WaitAsync(c, "bad", time.Millisecond)
		if _, err := bad.Get(); err == nil || bad.OperationID() != "" || !bad.Done() || bad.Cancel() {
			return nil, errors.New("an invalid wait should fail at once")
		}
		return a.OperationID() + b.OperationID() + s, nil
	})
	res := runToEnd(t, r)
	if res.Status != local.ExecutionSucceeded || res.Result != `"12x"` {
		t.Fatalf("status %s result %s error %+v", res.Status, res.Result, res.Error)
	}
	want := "ExecutionStarted WaitStarted WaitStarted StepStarted StepSucceeded InvocationCompleted " +
		"WaitSucceeded InvocationCompleted WaitSucceeded InvocationCompleted ExecutionSucceeded"
	if got := eventTypes(r); got != want {
		t.Errorf("history\n got  %s\n want %s", got, want)
	}
}

func events(r *durabletest.Runner, typ string) []local.Event {
	var out []local.Event
	for _, ev := range r.History() {
		if string(ev.EventType) == typ {
			out = append(out, ev)
		}
	}
	return out
}
