package durable_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/retry"
	"github.com/lambda-durable/durable/serdes"
)

func increment(_ durable.StepContext, n int) (int, error) { return n + 1, nil }

func TestWaitForConditionPollsAcrossInvocations(t *testing.T) {
	var checks []int
	r := newRunner(t, durable.NewHandler(func(ctx durable.Context, threshold int) (int, error) {
		return durable.WaitForCondition(ctx, "counter", func(sc durable.StepContext, n int) (int, error) {
			checks = append(checks, sc.Attempt())
			return n + 1, nil
		}, durable.WithWaitStrategy(durable.WaitUntil(func(n int) bool { return n >= threshold }, retry.Fixed(60, 2*time.Second))))
	}, durable.WithLogHandler(discard{})))
	start := r.Now()
	res := mustRun(t, r, 3)
	wantStatus(t, res, local.ExecutionSucceeded)
	if res.Result != "3" {
		t.Errorf("result = %s, want 3", res.Result)
	}
	if got := r.Now().Sub(start); got != 4*time.Second {
		t.Errorf("virtual time = %v, want two 2 s delays", got)
	}
	if len(checks) != 3 || checks[0] != 1 || checks[2] != 3 {
		t.Errorf("checks ran with attempts %v, want 1 2 3", checks)
	}
	wantHistory(t, r,
		"StepStarted/WaitForCondition", "StepSucceeded/WaitForCondition", "InvocationCompleted",
		"StepStarted/WaitForCondition", "StepSucceeded/WaitForCondition", "InvocationCompleted",
		"StepStarted/WaitForCondition", "StepSucceeded/WaitForCondition", "InvocationCompleted", "ExecutionSucceeded")
	var payloads []string
	for _, ev := range events(r, "StepSucceeded") {
		d := ev.StepSucceededDetails
		p := *d.Result.Payload
		if d.RetryDetails != nil && d.RetryDetails.NextAttemptDelaySeconds != nil {
			p += fmt.Sprintf("+%ds", *d.RetryDetails.NextAttemptDelaySeconds)
		}
		payloads = append(payloads, p)
	}
	if got := strings.Join(payloads, " "); got != "1+2s 2+2s 3" {
		t.Errorf("poll payloads = %q, want states 1 and 2 with 2 s delays, then 3", got)
	}
}

func TestWaitForConditionInitialStateAndImmediateStop(t *testing.T) {
	r := newRunner(t, durable.NewHandler(func(ctx durable.Context, _ any) (int, error) {
		return durable.WaitForCondition(ctx, "", func(_ durable.StepContext, n int) (int, error) { return n, nil },
			durable.WithWaitStrategy(durable.WaitUntil(func(n int) bool { return n >= 5 }, nil)), durable.WithInitialState(5))
	}, durable.WithLogHandler(discard{})))
	res := mustRun(t, r, nil)
	wantStatus(t, res, local.ExecutionSucceeded)
	if res.Result != "5" {
		t.Errorf("result = %s", res.Result)
	}
	wantHistory(t, r, "StepStarted/WaitForCondition", "StepSucceeded/WaitForCondition", "InvocationCompleted", "ExecutionSucceeded")
}

func TestWaitForConditionSequentialAndNullState(t *testing.T) {
	r := newRunner(t, durable.NewHandler(func(ctx durable.Context, _ any) (*int, error) {
		two, err := durable.WaitForCondition(ctx, "first", increment,
			durable.WithWaitStrategy(durable.WaitUntil(func(n int) bool { return n >= 2 }, retry.Fixed(60, time.Second))))
		if err != nil {
			return nil, err
		}
		four, err := durable.WaitForCondition(ctx, "second", increment,
			durable.WithWaitStrategy(durable.WaitUntil(func(n int) bool { return n >= 4 }, retry.Fixed(60, time.Second))), durable.WithInitialState(two))
		if err != nil || four != 4 {
			return nil, errors.New("second condition did not return 4")
		}
		// A nil state is a valid result (6.10).
		return durable.WaitForCondition(ctx, "null", func(durable.StepContext, *int) (*int, error) { return nil, nil },
			durable.WithWaitStrategy(func(*int, int) durable.WaitDecision { return durable.WaitDecision{} }))
	}, durable.WithLogHandler(discard{})))
	res := mustRun(t, r, nil)
	wantStatus(t, res, local.ExecutionSucceeded)
	if res.Result != "null" {
		t.Errorf("result = %s", res.Result)
	}
	var ids []string
	for _, ev := range events(r, "StepStarted") {
		ids = append(ids, ev.Id)
	}
	if len(ids) != 5 || ids[0] != ids[1] || ids[2] != ids[3] || ids[1] == ids[2] || ids[4] == ids[3] {
		t.Errorf("StepStarted ids = %q, want two polls of each of the first two operations and one of the third", ids)
	}
}

func TestWaitForConditionCustomStateSerdes(t *testing.T) {
	// The state travels through a serdes that wraps it (6.11).
	wrap := serdes.Typed(
		func(_ serdes.Context, s string) (string, error) { return "<" + s + ">", nil },
		func(_ serdes.Context, d string) (string, error) { return strings.Trim(d, "<>"), nil })
	r := newRunner(t, durable.NewHandler(func(ctx durable.Context, _ any) (string, error) {
		return durable.WaitForCondition(ctx, "grow", func(_ durable.StepContext, s string) (string, error) { return s + "x", nil },
			durable.WithWaitStrategy(durable.WaitUntil(func(s string) bool { return len(s) >= 2 }, retry.Fixed(60, time.Second))),
			durable.WithStateSerdes[string](wrap))
	}, durable.WithLogHandler(discard{})))
	res := mustRun(t, r, nil)
	wantStatus(t, res, local.ExecutionSucceeded)
	if res.Result != `"xx"` {
		t.Errorf("result = %s", res.Result)
	}
	ev := events(r, "StepSucceeded")
	if len(ev) != 2 || *ev[0].StepSucceededDetails.Result.Payload != "<x>" || *ev[1].StepSucceededDetails.Result.Payload != "<xx>" {
		t.Errorf("payloads = %+v", ev)
	}
}

func TestWaitForConditionFailures(t *testing.T) {
	boom := errors.New("probe unreachable")
	for _, tc := range []struct {
		name      string
		check     func(durable.StepContext, int) (int, error)
		opts      []durable.WaitForConditionOption[int]
		errorType string
		checks    int
	}{
		{"check error", func(durable.StepContext, int) (int, error) { return 0, boom },
			[]durable.WaitForConditionOption[int]{durable.WithWaitStrategy(durable.WaitUntil(func(int) bool { return false }, nil))}, "Error", 1},
		{"exhausted", increment,
			[]durable.WaitForConditionOption[int]{durable.WithWaitStrategy(durable.WaitUntil(func(int) bool { return false }, retry.Fixed(3, time.Second)))},
			durable.ErrorTypeConditionExhausted, 3},
		{"strategy panics", increment,
			[]durable.WaitForConditionOption[int]{durable.WithWaitStrategy(func(int, int) durable.WaitDecision { panic("bad strategy") })},
			"Panic", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var seen errorLog
			checks := 0
			r := newRunner(t, durable.NewHandler(func(ctx durable.Context, _ any) (string, error) {
				_, err := durable.WaitForCondition(ctx, "poll", func(sc durable.StepContext, n int) (int, error) {
					checks++
					return tc.check(sc, n)
				}, tc.opts...)
				seen.add(err)
				var se *durable.StepError
				if !errors.As(err, &se) {
					return "", errors.New("want a *StepError")
				}
				// Caught: wait, so that a replay sees the same error (6.8).
				if err := durable.Wait(ctx, "", time.Second); err != nil {
					return "", err
				}
				return se.ErrorType(), nil
			}, durable.WithLogHandler(discard{})))
			res := mustRun(t, r, nil)
			wantStatus(t, res, local.ExecutionSucceeded)
			if res.Result != `"`+tc.errorType+`"` {
				t.Errorf("error type = %s, want %s", res.Result, tc.errorType)
			}
			if checks != tc.checks {
				t.Errorf("%d checks, want %d", checks, tc.checks)
			}
			seen.same(t, 2)
			if ev := events(r, "StepFailed"); len(ev) != 1 || ev[0].SubType != "WaitForCondition" {
				t.Errorf("StepFailed events = %+v, want one terminal failure", ev)
			}
		})
	}
}

func TestWaitForConditionValidation(t *testing.T) {
	r := newRunner(t, durable.NewHandler(func(ctx durable.Context, _ any) ([]string, error) {
		var out []string
		for _, opts := range [][]durable.WaitForConditionOption[int]{
			nil, // no strategy
			{durable.WithWaitStrategy(durable.WaitUntil[int](nil, nil))}, // no condition
		} {
			_, err := durable.WaitForCondition(ctx, "", increment, opts...)
			var ve *durable.ValidationError
			if !errors.As(err, &ve) {
				return nil, errors.New("want a *ValidationError")
			}
			out = append(out, ve.Field)
		}
		_, err := durable.WaitForCondition[int](ctx, "", nil, durable.WithWaitStrategy(durable.WaitUntil(func(int) bool { return true }, nil)))
		var ve *durable.ValidationError
		if !errors.As(err, &ve) {
			return nil, errors.New("nil check: want a *ValidationError")
		}
		return append(out, ve.Field), nil
	}, durable.WithLogHandler(discard{})))
	res := mustRun(t, r, nil)
	wantStatus(t, res, local.ExecutionSucceeded)
	wantHistory(t, r, "InvocationCompleted", "ExecutionSucceeded")
}

func TestWaitUntilDelays(t *testing.T) {
	schedule, err := retry.New(retry.Config{MaxAttempts: 4, InitialDelay: 2 * time.Second, MaxDelay: 5 * time.Second, Backoff: 2})
	if err != nil {
		t.Fatal(err)
	}
	s := durable.WaitUntil(func(n int) bool { return n >= 10 }, schedule)
	var got []string
	for attempt := 1; attempt <= 4; attempt++ {
		d := s(0, attempt)
		switch {
		case d.Err != nil:
			got = append(got, "fail")
		case d.Continue:
			got = append(got, d.Delay.String())
		default:
			got = append(got, "stop")
		}
	}
	if d := s(10, 1); d.Continue || d.Err != nil {
		t.Errorf("condition met: decision %+v, want stop", d)
	}
	if want := "2s 4s 5s fail"; strings.Join(got, " ") != want {
		t.Errorf("decisions = %q, want %q", got, want)
	}
	var ee *durable.ConditionExhaustedError
	if !errors.As(s(0, 4).Err, &ee) || ee.Attempts != 4 {
		t.Errorf("exhaustion error = %v", s(0, 4).Err)
	}
}
