package engine

import (
	"errors"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/retry"
)

func actions(us []checkpoint.OperationUpdate) string {
	var b []string
	for _, u := range us {
		b = append(b, u.Id+":"+string(u.Type)+":"+string(u.Action))
	}
	return strings.Join(b, " ")
}

func TestStepEagerOneRoundTrip(t *testing.T) {
	f := newFake(t, `"World"`)
	en := newEngine(t, func(c *Context) (any, error) {
		var in string
		if err := c.Execution().Serdes().Deserialize(serdesCtx(c), c.InputPayload(), &in); err != nil {
			return nil, err
		}
		return Step(c, "greet", func(sc *StepContext) (string, error) {
			if sc.Attempt() != 1 || sc.OperationID() != "1" {
				t.Errorf("attempt %d id %s", sc.Attempt(), sc.OperationID())
			}
			return "Hello, " + in + "!", nil
		}, StepOptions{})
	})
	resp, err := invoke(t, en, f)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != checkpoint.InvocationSucceeded || resp.Result != `"Hello, World!"` {
		t.Fatalf("response %+v", resp)
	}
	if f.callCount() != 1 {
		t.Fatalf("%d checkpoint calls, want 1", f.callCount())
	}
	got := f.calls[0].Updates
	if actions(got) != "1:STEP:START 1:STEP:SUCCEED" || got[1].Payload != `"Hello, World!"` ||
		got[0].Name != "greet" || got[0].SubType != "Step" || got[0].ParentId != "" {
		t.Fatalf("updates %+v", got)
	}
}

func TestStepReplayDoesNotRun(t *testing.T) {
	f := newFake(t, "")
	var runs atomic.Int32
	en := newEngine(t, func(c *Context) (any, error) {
		v, err := Step(c, "a", func(*StepContext) (int, error) { runs.Add(1); return 42, nil }, StepOptions{})
		if err != nil {
			return nil, err
		}
		if err := Wait(c, "w", time.Second); err != nil {
			return nil, err
		}
		return v + 1, nil
	})
	resp, n := runToEnd(t, en, f)
	if resp.Result != "43" || n != 2 {
		t.Fatalf("result %q after %d invocations", resp.Result, n)
	}
	if runs.Load() != 1 {
		t.Fatalf("step ran %d times, want 1", runs.Load())
	}
}

func TestStepRetrySuspendsAndResumes(t *testing.T) {
	f := newFake(t, "")
	var attempts []int
	en := newEngine(t, func(c *Context) (any, error) {
		return Step(c, "flaky", func(sc *StepContext) (string, error) {
			attempts = append(attempts, sc.Attempt())
			if sc.Attempt() < 3 {
				return "", errors.New("transient")
			}
			return "ok", nil
		}, StepOptions{Retry: retry.Fixed(5, 7*time.Second)})
	})
	resp, n := runToEnd(t, en, f)
	if resp.Status != checkpoint.InvocationSucceeded || resp.Result != `"ok"` || n != 3 {
		t.Fatalf("response %+v after %d invocations", resp, n)
	}
	if len(attempts) != 3 || attempts[0] != 1 || attempts[2] != 3 {
		t.Fatalf("attempts %v", attempts)
	}
	want := "1:STEP:START 1:STEP:RETRY 1:STEP:START 1:STEP:RETRY 1:STEP:START 1:STEP:SUCCEED"
	us := f.updates()
	if actions(us) != want {
		t.Fatalf("updates %s\nwant    %s", actions(us), want)
	}
	if us[1].StepOptions.NextAttemptDelaySeconds != 7 || us[1].Error.ErrorMessage != "transient" {
		t.Fatalf("retry update %+v", us[1])
	}
	if sd := f.index["1"].StepDetails; sd.Attempt != 3 {
		t.Fatalf("recorded attempt %d", sd.Attempt)
	}
}

type codeErr struct{}

func (codeErr) Error() string     { return "boom" }
func (codeErr) ErrorType() string { return "CodeError" }
func (codeErr) ErrorData() string { return `{"code":7}` }

func TestStepFailureIsEqualOnReplay(t *testing.T) {
	f := newFake(t, "")
	var seen []error
	en := newEngine(t, func(c *Context) (any, error) {
		_, err := Step(c, "bad", func(*StepContext) (int, error) { return 0, codeErr{} }, StepOptions{Retry: retry.None()})
		seen = append(seen, err)
		if err := Wait(c, "", time.Second); err != nil {
			return nil, err
		}
		return "caught", nil
	})
	resp, n := runToEnd(t, en, f)
	if resp.Result != `"caught"` || n != 2 || len(seen) != 2 {
		t.Fatalf("%+v %d %v", resp, n, seen)
	}
	var live, replay *StepError
	if !errors.As(seen[0], &live) || !errors.As(seen[1], &replay) {
		t.Fatalf("errors %T %T", seen[0], seen[1])
	}
	if !reflect.DeepEqual(live, replay) {
		t.Fatalf("live %+v replay %+v", live, replay)
	}
	if live.Error() != replay.Error() || live.Object.ErrorType != "CodeError" || live.Object.ErrorData != `{"code":7}` {
		t.Fatalf("live %v / replay %v", live, replay)
	}
	if got := actions(f.updates()); !strings.HasPrefix(got, "1:STEP:START 1:STEP:FAIL 2:WAIT:START") {
		t.Fatalf("updates %s", got)
	}
}

func TestStepExhaustedFailsExecution(t *testing.T) {
	f := newFake(t, "")
	en := newEngine(t, func(c *Context) (any, error) {
		return Step(c, "", func(*StepContext) (int, error) { return 0, codeErr{} }, StepOptions{Retry: retry.Fixed(2, time.Second)})
	})
	resp, n := runToEnd(t, en, f)
	if resp.Status != checkpoint.InvocationFailed || n != 2 || resp.Error.ErrorType != "CodeError" || resp.Error.ErrorMessage != "boom" {
		t.Fatalf("response %+v after %d", resp.Error, n)
	}
	if got := actions(f.updates()); got != "1:STEP:START 1:STEP:RETRY 1:STEP:START 1:STEP:FAIL" {
		t.Fatalf("updates %s", got)
	}
}

func TestStepPanicIsAnError(t *testing.T) {
	f := newFake(t, "")
	en := newEngine(t, func(c *Context) (any, error) {
		return Step(c, "p", func(*StepContext) (int, error) { panic("kaput") }, StepOptions{Retry: retry.None()})
	})
	resp, _ := runToEnd(t, en, f)
	if resp.Status != checkpoint.InvocationFailed || resp.Error.ErrorType != "Panic" || len(resp.Error.StackTrace) == 0 {
		t.Fatalf("response %+v", resp.Error)
	}
}

func TestAtMostOnceStartIsDurableBeforeBody(t *testing.T) {
	f := newFake(t, "")
	en := newEngine(t, func(c *Context) (any, error) {
		return Step(c, "once", func(*StepContext) (int, error) {
			if f.callCount() != 1 || actions(f.updates()) != "1:STEP:START" {
				t.Errorf("body ran before START was durable: %s", actions(f.updates()))
			}
			return 1, nil
		}, StepOptions{AtMostOnce: true})
	})
	resp, _ := runToEnd(t, en, f)
	if resp.Status != checkpoint.InvocationSucceeded || f.callCount() != 2 {
		t.Fatalf("%+v, %d calls", resp, f.callCount())
	}
}

func TestAtMostOnceInterruptedGoesToStrategy(t *testing.T) {
	f := newFake(t, "")
	f.add(&checkpoint.Operation{Id: "1", Name: "once", Type: checkpoint.TypeStep, SubType: "Step",
		Status: checkpoint.StatusStarted, StepDetails: &checkpoint.StepDetails{}})
	var got []error
	ran := false
	en := newEngine(t, func(c *Context) (any, error) {
		return Step(c, "once", func(*StepContext) (int, error) { ran = true; return 1, nil }, StepOptions{
			AtMostOnce: true,
			Retry: func(attempt int, err error) retry.Decision {
				got = append(got, err)
				return retry.Decision{}
			},
		})
	})
	resp, _ := runToEnd(t, en, f)
	var ie *StepInterruptedError
	if ran || resp.Status != checkpoint.InvocationFailed || len(got) != 1 || !errors.As(got[0], &ie) || ie.Attempt != 1 {
		t.Fatalf("ran=%v resp=%+v strategy saw %v", ran, resp, got)
	}
	if a := actions(f.updates()); a != "1:STEP:FAIL" {
		t.Fatalf("updates %s", a)
	}
	if resp.Error.ErrorType != "StepInterruptedError" {
		t.Fatalf("error %+v", resp.Error)
	}
}

func TestAtLeastOnceStartedStepRunsWithoutNewStart(t *testing.T) {
	f := newFake(t, "")
	f.add(&checkpoint.Operation{Id: "1", Type: checkpoint.TypeStep, SubType: "Step",
		Status: checkpoint.StatusStarted, StepDetails: &checkpoint.StepDetails{}})
	en := newEngine(t, func(c *Context) (any, error) {
		return Step(c, "", func(*StepContext) (int, error) { return 5, nil }, StepOptions{})
	})
	resp, _ := runToEnd(t, en, f)
	if resp.Result != "5" || actions(f.updates()) != "1:STEP:SUCCEED" {
		t.Fatalf("%+v %s", resp, actions(f.updates()))
	}
}
