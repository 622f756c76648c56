package plugin_test

import (
	"errors"
	"testing"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/retry"
)

// greet is a handler with one step that returns a greeting (10-1, 10-2, ...).
func greet(rec *recorder) func(durable.Context, string) (string, error) {
	return func(ctx durable.Context, in string) (string, error) {
		return durable.Step(ctx, "greet", func(durable.StepContext) (string, error) {
			rec.note("step running for " + in)
			return "Hello, " + in + "!", nil
		})
	}
}

// Both with and without the invocation events: a single invocation needs
// nothing the descriptor lacks.
func forBoth(t *testing.T, f func(t *testing.T, events bool)) {
	t.Run("events", func(t *testing.T) { f(t, true) })
	t.Run("descriptor-only", func(t *testing.T) { f(t, false) })
}

// 10-1 and 10-2: invocation and operation lifecycle of a one-step handler.
func TestLifecycleOfOneStep(t *testing.T) {
	forBoth(t, func(t *testing.T, events bool) {
		rec := &recorder{}
		r, res, _ := run(t, greet(rec), "ann", events, rec.plugin())
		if res.Status != local.ExecutionSucceeded || res.Result != `"Hello, ann!"` {
			t.Fatalf("result %s %s", res.Status, res.Result)
		}
		id := opID(t, r, "greet")
		wantLines(t, rec.Lines(), []string{
			"invocation-start first=true",
			"operation-start STEP " + id + " name=greet replay=false",
			"attempt-start STEP " + id + " name=greet attempt=1 children=false",
			"step running for ann",
			"attempt-end STEP " + id + " SUCCEEDED",
			"operation-change STEP " + id + " SUCCEEDED in_full_map=true",
			"operation-end STEP " + id + " SUCCEEDED parent=NONE result=\"Hello, ann!\" error=NONE",
			"invocation-end first=true status=SUCCEEDED terminal=true",
		})
	})
}

// 10-7: the invocation-end hook sees FAILED and the execution's error.
func TestTerminalFailure(t *testing.T) {
	forBoth(t, func(t *testing.T, events bool) {
		rec := &recorder{}
		wf := func(ctx durable.Context, _ any) (string, error) {
			return durable.Step(ctx, "fail", func(durable.StepContext) (string, error) {
				return "", errors.New("boom")
			}, durable.WithRetry(retry.None()))
		}
		_, res, _ := run(t, wf, nil, events, rec.plugin())
		if res.Status != local.ExecutionFailed {
			t.Fatalf("status %s", res.Status)
		}
		ends := rec.matching("invocation-end")
		wantLines(t, ends, []string{"invocation-end first=true status=FAILED terminal=true"})
		end := infosOf[pluginInvocationInfo](rec, "invocation-end")[0]
		if end.Error == nil || end.Error.ErrorMessage == "" || end.Err != nil {
			t.Errorf("end error = %+v, err = %v", end.Error, end.Err)
		}
	})
}

// 10-14: operation-end carries the checkpointed result on success and the
// error on failure, never both.
func TestPayloadSemantics(t *testing.T) {
	forBoth(t, func(t *testing.T, events bool) {
		rec := &recorder{}
		wf := func(ctx durable.Context, _ any) (string, error) {
			if _, err := durable.Step(ctx, "a", func(durable.StepContext) (string, error) { return "task-a", nil }); err != nil {
				return "", err
			}
			return durable.Step(ctx, "b", func(durable.StepContext) (string, error) {
				return "", errors.New("boom")
			}, durable.WithRetry(retry.None()))
		}
		r, _, _ := run(t, wf, nil, events, rec.plugin())
		a, b := opID(t, r, "a"), opID(t, r, "b")
		wantLines(t, rec.matching("operation-end"), []string{
			"operation-end STEP " + a + " SUCCEEDED parent=NONE result=\"task-a\" error=NONE",
			"operation-end STEP " + b + " FAILED parent=NONE result=NONE error=boom",
		})
		ends := infosOf[pluginOperationInfo](rec, "operation-end")
		var se *durable.StepError
		if !errors.As(ends[1].Err, &se) {
			t.Errorf("operation-end Err = %v, want the *StepError the code gets", ends[1].Err)
		}
		wantLines(t, rec.matching("attempt-end"), []string{
			"attempt-end STEP " + a + " SUCCEEDED",
			"attempt-end STEP " + b + " FAILED",
		})
	})
}

// 10-11: parent ids link a step to its child context.
func TestParentLinkage(t *testing.T) {
	forBoth(t, func(t *testing.T, events bool) {
		rec := &recorder{}
		wf := func(ctx durable.Context, in string) (string, error) {
			return durable.RunInChildContext(ctx, "child", func(c durable.Context) (string, error) {
				return greet(rec)(c, in)
			})
		}
		r, res, _ := run(t, wf, "bo", events, rec.plugin())
		if res.Result != `"Hello, bo!"` {
			t.Fatalf("result %s", res.Result)
		}
		ctxID, step := opID(t, r, "child"), opID(t, r, "greet")
		wantLines(t, rec.matching("operation-end"), []string{
			"operation-end STEP " + step + " SUCCEEDED parent=" + ctxID + " result=\"Hello, bo!\" error=NONE",
			"operation-end CONTEXT " + ctxID + " SUCCEEDED parent=NONE result=\"Hello, bo!\" error=NONE",
		})
		// The child context's function is reported as an attempt.
		wantLines(t, rec.matching("attempt-start CONTEXT"), []string{
			"attempt-start CONTEXT " + ctxID + " name=child attempt=0 children=false",
		})
	})
}

// 10-16: a suspending invocation ends PENDING, the replay that finishes ends
// SUCCEEDED; each end carries its own first-invocation flag.
func TestSuspensionEndStatus(t *testing.T) {
	forBoth(t, func(t *testing.T, events bool) {
		rec := &recorder{}
		wf := func(ctx durable.Context, _ any) (string, error) {
			return "done", durable.Wait(ctx, "nap", 2*time.Second)
		}
		_, res, _ := run(t, wf, nil, events, rec.plugin())
		if res.Status != local.ExecutionSucceeded {
			t.Fatalf("status %s", res.Status)
		}
		wantLines(t, rec.matching("invocation-"), []string{
			"invocation-start first=true",
			"invocation-end first=true status=PENDING terminal=false",
			"invocation-start first=false",
			"invocation-end first=false status=SUCCEEDED terminal=true",
		})
	})
}

// 10-10: a wait starts live, and ends once, in the replay that observes
// the service's SUCCEEDED (which needs the invocation's event).
func TestWaitHooks(t *testing.T) {
	rec := &recorder{}
	wf := func(ctx durable.Context, _ any) (string, error) {
		return "done", durable.Wait(ctx, "nap", 2*time.Second)
	}
	r, _, _ := run(t, wf, nil, true, rec.plugin(checkpoint.TypeWait))
	id := opID(t, r, "nap")
	wantLines(t, rec.Lines(), []string{
		"invocation-start first=true",
		"operation-start WAIT " + id + " name=nap replay=false",
		"operation-change WAIT " + id + " STARTED in_full_map=true",
		"invocation-end first=true status=PENDING terminal=false",
		"invocation-start first=false",
		"operation-end WAIT " + id + " SUCCEEDED parent=NONE result=NONE error=NONE",
		"invocation-end first=false status=SUCCEEDED terminal=true",
	})
}

// 10-13: an operation recorded unfinished starts again with IsReplay; one
// that had ended does not; a retryable failure is not an end.
func TestReplayFlag(t *testing.T) {
	rec := &recorder{}
	wf := func(ctx durable.Context, _ any) (string, error) {
		if _, err := durable.Step(ctx, "a", func(durable.StepContext) (string, error) { return "a", nil }); err != nil {
			return "", err
		}
		return durable.Step(ctx, "b", func(sc durable.StepContext) (string, error) {
			if sc.Attempt() == 1 {
				return "", errors.New("flaky")
			}
			return "Operation succeeded", nil
		}, durable.WithRetry(retry.Fixed(3, time.Second)))
	}
	r, res, _ := run(t, wf, nil, true, rec.plugin(checkpoint.TypeStep))
	if res.Result != `"Operation succeeded"` {
		t.Fatalf("result %s %s", res.Status, res.Result)
	}
	a, b := opID(t, r, "a"), opID(t, r, "b")
	wantLines(t, rec.matching("operation-"), []string{
		"operation-start STEP " + a + " name=a replay=false",
		"operation-change STEP " + a + " SUCCEEDED in_full_map=true",
		"operation-end STEP " + a + " SUCCEEDED parent=NONE result=\"a\" error=NONE",
		"operation-start STEP " + b + " name=b replay=false",
		"operation-change STEP " + b + " PENDING in_full_map=true",
		"operation-start STEP " + b + " name=b replay=true",
		"operation-change STEP " + b + " SUCCEEDED in_full_map=true",
		"operation-end STEP " + b + " SUCCEEDED parent=NONE result=\"Operation succeeded\" error=NONE",
	})
	wantLines(t, rec.matching("attempt-"), []string{
		"attempt-start STEP " + a + " name=a attempt=1 children=false",
		"attempt-end STEP " + a + " SUCCEEDED",
		"attempt-start STEP " + b + " name=b attempt=1 children=false",
		"attempt-end STEP " + b + " FAILED",
		"attempt-start STEP " + b + " name=b attempt=2 children=false",
		"attempt-end STEP " + b + " SUCCEEDED",
	})
}
