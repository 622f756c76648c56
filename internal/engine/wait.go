package engine

import (
	"context"
	"fmt"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/retry"
)

// ValidateWait checks a wait duration: whole seconds from 1 s to 366 days.
func ValidateWait(d time.Duration) error {
	switch {
	case d < time.Second:
		return &ValidationError{Field: "wait duration", Message: fmt.Sprintf("%v is shorter than 1s", d)}
	case d > retry.MaxDelayLimit:
		return &ValidationError{Field: "wait duration", Message: fmt.Sprintf("%v is longer than 366 days", d)}
	case d%time.Second != 0:
		return &ValidationError{Field: "wait duration", Message: fmt.Sprintf("%v is not a whole number of seconds", d)}
	}
	return nil
}

type waitRun struct {
	run
	seconds int32
}

// Wait pauses the context for d, durably: the invocation suspends while the
// service's timer runs. d is validated before anything is checkpointed.
func Wait(c *Context, name string, d time.Duration) error {
	w, err := newWait(name, d)
	if err != nil {
		return err
	}
	return c.run(&w.run)
}

func newWait(name string, d time.Duration) (*waitRun, error) {
	if err := ValidateWait(d); err != nil {
		return nil, err
	}
	w := &waitRun{seconds: int32(d / time.Second)}
	w.kind = w
	w.op.Type = checkpoint.TypeWait
	w.op.SubType = checkpoint.SubTypeWait
	w.op.Name = name
	return w, nil
}

func (w *waitRun) result() any { return nil }
func (w *waitRun) dest() any   { return nil }

func (w *waitRun) failed(r *run, obj *checkpoint.ErrorObject) error {
	if r.op.Status == checkpoint.StatusCancelled || obj == nil {
		return ErrWaitCancelled
	}
	return &RemoteError{Object: *obj}
}

func (w *waitRun) execute(ctx context.Context, r *run) error {
	e := r.scope.exec
	if r.rec == nil {
		u := r.update(checkpoint.ActionStart)
		u.WaitOptions = &checkpoint.WaitOptions{WaitSeconds: w.seconds}
		if err := e.enqueue(r.scope, u); err != nil {
			return err
		}
		r.op.Status = checkpoint.StatusStarted
		e.commit(ctx)
	}
	r.markStarted()
	rec := e.awaitOp(r.op.ID)
	r.rec = rec
	r.op.Status = rec.Status
	r.op.EndTime = rec.EndTimestamp.Time
	if rec.Status != checkpoint.StatusSucceeded {
		_, obj := recordedOutcome(rec)
		return w.failed(r, obj)
	}
	return nil
}
