package plugin_test

import (
	"errors"
	"testing"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/plugin"
	"github.com/lambda-durable/durable/retry"
)

// Each attempt of a retried step reports its own start and end, not the
// operation's start.
func TestAttemptInfoHasEachAttemptsTimes(t *testing.T) {
	rec := &recorder{}
	wf := func(ctx durable.Context, _ any) (int, error) {
		return durable.Step(ctx, "flaky", func(sc durable.StepContext) (int, error) {
			if sc.Attempt() < 3 {
				return 0, errors.New("not yet")
			}
			return 3, nil
		}, durable.WithRetry(retry.Fixed(3, time.Second)))
	}
	_, res, _ := run(t, wf, nil, true, rec.plugin(checkpoint.TypeStep))
	if res.Status != "SUCCEEDED" {
		t.Fatalf("status %s", res.Status)
	}
	starts := infosOf[plugin.AttemptInfo](rec, "attempt-start")
	ends := infosOf[plugin.AttemptInfo](rec, "attempt-end")
	if len(starts) != 3 || len(ends) != 3 {
		t.Fatalf("%d starts, %d ends, want 3 of each", len(starts), len(ends))
	}
	first := starts[0].StartTime
	var prevEnd time.Time
	for i := range 3 {
		s, e := starts[i], ends[i]
		switch {
		case s.Attempt != i+1 || e.Attempt != i+1:
			t.Fatalf("attempt %d: infos for attempts %d and %d", i+1, s.Attempt, e.Attempt)
		case s.StartTime.IsZero() || !s.StartTime.Equal(e.StartTime):
			t.Errorf("attempt %d: start %v in AttemptStart, %v in AttemptEnd", i+1, s.StartTime, e.StartTime)
		case !s.EndTime.IsZero():
			t.Errorf("attempt %d: AttemptStart has an end time %v", i+1, s.EndTime)
		case e.EndTime.Before(e.StartTime):
			t.Errorf("attempt %d ends (%v) before it starts (%v)", i+1, e.EndTime, e.StartTime)
		case e.StartTime.Before(prevEnd):
			t.Errorf("attempt %d starts (%v) before attempt %d ended (%v)", i+1, e.StartTime, i, prevEnd)
		}
		prevEnd = e.EndTime
	}
	if !starts[1].StartTime.After(first) || !starts[2].StartTime.After(starts[1].StartTime) {
		t.Errorf("later attempts report the first start: %v, %v, %v", first, starts[1].StartTime, starts[2].StartTime)
	}
}
