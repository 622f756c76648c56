package engine

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/logging"
	"github.com/lambda-durable/durable/retry"
	"github.com/lambda-durable/durable/serdes"
)

// StepOptions configures a step.
type StepOptions struct {
	// Retry decides after a failed attempt (nil: the handler's default).
	Retry retry.Strategy
	// AtMostOnce makes each attempt's START durable before the body runs; an
	// attempt found started without an outcome counts as failed
	// (StepInterruptedError) instead of running again.
	AtMostOnce bool
	// Serdes encodes the result (nil: the handler's serdes).
	Serdes serdes.Serdes
	// SubType overrides checkpoint.SubTypeStep.
	SubType string
}

// StepContext is what a step body receives: a context.Context with the
// attempt's logger and identity, and no durable operations.
type StepContext struct {
	context.Context
	r       *run
	attempt int
	logger  atomic.Pointer[slog.Logger]
}

// Attempt returns the 1-based attempt number.
func (s *StepContext) Attempt() int { return s.attempt }

// OperationID returns the step's operation id.
func (s *StepContext) OperationID() string { return s.r.op.ID }

// Name returns the step's name.
func (s *StepContext) Name() string { return s.r.op.Name }

// Logger returns a logger with executionArn, requestId, operationId,
// operationName, parentId and attempt.
func (s *StepContext) Logger() *slog.Logger {
	if l := s.logger.Load(); l != nil {
		return l
	}
	attrs := []any{
		slog.String(logging.KeyOperationID, s.r.op.ID),
		slog.Int(logging.KeyAttempt, s.attempt),
	}
	if s.r.op.Name != "" {
		attrs = append(attrs, slog.String(logging.KeyOperationName, s.r.op.Name))
	}
	if s.r.op.ParentID != "" {
		attrs = append(attrs, slog.String(logging.KeyParentID, s.r.op.ParentID))
	}
	for _, a := range logging.AttrsFromContext(s.Context) {
		attrs = append(attrs, a)
	}
	s.logger.CompareAndSwap(nil, s.r.scope.exec.baseLog.With(attrs...))
	return s.logger.Load()
}

type stepRun[T any] struct {
	run
	fn         func(*StepContext) (T, error)
	body       stepBody[T] // StepFunc's body, when fn is nil
	atMostOnce bool
	out        T
	// sc is the StepContext of the first attempt this invocation runs
	// (later attempts get their own, as a body may keep its context).
	sc     StepContext
	scUsed bool
}

// stepBody calls a StepFunc body.
type stepBody[T any] interface {
	call(*StepContext) (T, error)
}

// funcBody is a StepFunc body taking C. Being a single func, it is stored
// in a stepBody without an allocation.
type funcBody[T, C any] struct{ fn func(C) (T, error) }

func (b funcBody[T, C]) call(sc *StepContext) (T, error) { return b.fn(any(sc).(C)) }

// Step runs fn as a durable step named name ("" for unnamed) on c: replayed
// from history when recorded, otherwise run, retried per the strategy and
// checkpointed.
func Step[T any](c *Context, name string, fn func(*StepContext) (T, error), o StepOptions) (T, error) {
	if fn == nil {
		var zero T
		return zero, &ValidationError{Field: "step function", Message: "nil"}
	}
	s := newStep(c, name, fn, o)
	if err := c.run(&s.run); err != nil {
		var zero T
		return zero, err
	}
	return s.out, nil
}

// StepFunc is Step for a body that takes C, an interface implemented by
// *StepContext (or *StepContext itself): the root package passes its public
// body this way, without an adapter closure.
func StepFunc[T, C any](c *Context, name string, fn func(C) (T, error), o StepOptions) (T, error) {
	if fn == nil {
		var zero T
		return zero, &ValidationError{Field: "step function", Message: "nil"}
	}
	s := newStep[T](c, name, nil, o)
	s.body = funcBody[T, C]{fn}
	if err := c.run(&s.run); err != nil {
		var zero T
		return zero, err
	}
	return s.out, nil
}

// newStep prepares a step run (StepAsync runs it on its own goroutine).
func newStep[T any](c *Context, name string, fn func(*StepContext) (T, error), o StepOptions) *stepRun[T] {
	s := &stepRun[T]{fn: fn, atMostOnce: o.AtMostOnce}
	s.kind = s
	s.op.Type = checkpoint.TypeStep
	s.op.SubType = o.SubType
	if s.op.SubType == "" {
		s.op.SubType = checkpoint.SubTypeStep
	}
	s.op.Name = name
	s.serdes = o.Serdes
	s.strategy = o.Retry
	if s.strategy == nil {
		s.strategy = c.exec.en.cfg.DefaultRetry
	}
	return s
}

func (s *stepRun[T]) result() any { return s.out }
func (s *stepRun[T]) dest() any   { return &s.out }

func (s *stepRun[T]) failed(r *run, obj *checkpoint.ErrorObject) error {
	return newStepError(r, obj)
}

func newStepError(r *run, obj *checkpoint.ErrorObject) *StepError {
	e := &StepError{OperationID: r.op.ID, Name: r.op.Name}
	if obj != nil {
		e.Object = *obj
	}
	return e
}

// attempt runs the body once (called at the end of the attempt chain).
func (s *stepRun[T]) attempt(ctx context.Context, r *run) (err error) {
	// The invocation may have ended (suspended or failed elsewhere) since
	// the operation started: then the body must not run at all.
	r.scope.exec.checkLive()
	sc := &s.sc
	if s.scUsed {
		sc = new(StepContext)
	}
	s.scUsed = true
	sc.Context, sc.r, sc.attempt = ctx, r, r.op.Attempt
	defer func() {
		if p := recover(); p != nil {
			err = newPanicError(p)
		}
	}()
	var v T
	if s.fn != nil {
		v, err = s.fn(sc)
	} else {
		v, err = s.body.call(sc)
	}
	if err != nil {
		return err
	}
	s.out = v
	r.op.Result = v
	return nil
}

// execute runs the step's attempts.
func (s *stepRun[T]) execute(ctx context.Context, r *run) error {
	return runAttempts(ctx, r, s, s.atMostOnce)
}

// next decides what follows a step attempt: SUCCEED, RETRY (with the
// error) when the strategy says so, else FAIL.
func (s *stepRun[T]) next(r *run, attempt int, err error) attemptOutcome {
	if err == nil {
		return attemptOutcome{}
	}
	o := attemptOutcome{err: err}
	if r.strategy != nil && retryable(err) {
		if d := r.strategy(attempt, err); d.Retry {
			o.retry, o.delay = true, retry.Clamp(d.Delay)
		}
	}
	return o
}

// resume does nothing: a step keeps no state between attempts.
func (s *stepRun[T]) resume(*run, *checkpoint.Operation) {}

// The attempt loop. Steps and wait-for-condition (whose checks are attempts)
// are the operations that run attempts; they differ only in what follows an
// attempt (attempter.next) and in what they restore from their record
// (attempter.resume). Every attempt, the interrupted attempt of an
// at-most-once step included, runs through the attempt chain, so attempt
// interceptors see each one, with its own start and end times.

// attemptOutcome is what follows an attempt: retry after delay (RETRY with
// err, or with payload when err is nil), else SUCCEED with payload when
// err is nil, else FAIL with err.
type attemptOutcome struct {
	retry bool
	delay time.Duration
	err   error
}

// runAttempts runs attempts of r until one is final, checkpointing each
// outcome. With atMostOnce each attempt's START is durable before the body
// runs, and an attempt found STARTED without an outcome ends as a
// *StepInterruptedError (through the attempt chain, without running the
// body) that the operation's next decides on like any failure.
func runAttempts(ctx context.Context, r *run, a attempter, atMostOnce bool) error {
	r.markStarted() // an async starter goes on once the id is assigned
	e := r.scope.exec
	attempt, needStart := 1, true
	if rec := r.rec; rec != nil {
		if rec.Status == checkpoint.StatusPending {
			rec = awaitRetry(r) // the next attempt is scheduled: wait until READY
		}
		if rec.StepDetails != nil {
			attempt = rec.StepDetails.Attempt + 1
		}
		a.resume(r, rec)
		if rec.Status == checkpoint.StatusStarted {
			// An attempt was interrupted: at least once runs it again,
			// at most once reports it as failed.
			needStart, r.interrupted = false, atMostOnce
		}
	}
	for {
		r.op.Attempt = attempt
		if needStart {
			// The START is queued before the body runs: at most once, it
			// is durable first; at least once, it is sent while the body
			// runs, or with the outcome if the body ends within
			// checkpoint.StartDelay.
			pt := checkpoint.OperationStart
			if atMostOnce {
				pt = checkpoint.AtMostOnceStart
			}
			if err := e.checkpoint(ctx, r.scope, pt, r.update(checkpoint.ActionStart)); err != nil {
				return err
			}
			needStart = false
		}
		err := runAttempt(ctx, r)
		o := a.next(r, attempt, err)
		if !o.retry {
			return finishAttempts(r, needStart, o.err)
		}
		u := r.update(checkpoint.ActionRetry)
		if o.err != nil {
			obj := ErrorObjectOf(o.err)
			u.Error = &obj
		} else {
			u.Payload = r.op.Payload
		}
		u.StepOptions = &checkpoint.StepOptions{NextAttemptDelaySeconds: retry.DelaySeconds(o.delay)}
		if err := recordAttempt(r, needStart, u); err != nil {
			return err
		}
		r.op.Status = checkpoint.StatusPending
		// Make the RETRY durable now so the service's timer starts.
		if err := e.checkpoint(ctx, r.scope, checkpoint.RetryScheduled); err != nil {
			return err
		}
		rec := awaitRetry(r)
		attempt, needStart = r.op.Attempt+1, true
		if rec.StepDetails != nil {
			attempt = rec.StepDetails.Attempt + 1
		}
	}
}

// runAttempt sends attempt r.op.Attempt through the attempt chain and
// returns its error.
func runAttempt(ctx context.Context, r *run) error {
	r.op.Status = checkpoint.StatusStarted
	r.op.AttemptStart, r.op.AttemptEnd = time.Now(), time.Time{}
	r.op.Payload, r.op.Err, r.attemptRan = "", nil, false
	err := r.scope.exec.en.attemptChain(ctx, &r.desc)
	r.interrupted = false
	return err
}

// finishAttempts records the final outcome: SUCCEED with the payload when
// err is nil, else FAIL with err (returned as a *StepError).
func finishAttempts(r *run, needStart bool, err error) error {
	if err != nil {
		return failAttempts(r, needStart, err)
	}
	u := r.update(checkpoint.ActionSucceed)
	u.Payload = r.op.Payload
	if rerr := recordAttempt(r, needStart, u); rerr != nil {
		return rerr
	}
	r.op.EndTime = time.Now()
	r.op.Status = checkpoint.StatusSucceeded
	return nil
}

// failAttempts records FAIL with err and returns the step's error. (Apart
// from finishAttempts, so that a success does not allocate the error
// object.)
func failAttempts(r *run, needStart bool, err error) error {
	obj := ErrorObjectOf(err)
	u := r.update(checkpoint.ActionFail)
	u.Error = &obj
	if rerr := recordAttempt(r, needStart, u); rerr != nil {
		return rerr
	}
	r.op.EndTime = time.Now()
	r.op.Status = checkpoint.StatusFailed
	return newStepError(r, &obj)
}

// awaitRetry blocks until the scheduled attempt is due and returns the
// operation's record.
func awaitRetry(r *run) *checkpoint.Operation {
	rec := r.scope.exec.awaitOp(r.op.ID)
	r.rec = rec
	if rec.Status.Terminal() {
		// The service never completes a step on its own.
		r.scope.exec.abort(fmt.Errorf("durable: step %s became %s while a retry was pending", r.op.ID, rec.Status))
	}
	return rec
}

// recordAttempt enqueues an attempt's outcome, preceded by its START when
// needed (one request in eager mode).
func recordAttempt(r *run, needStart bool, u checkpoint.OperationUpdate) error {
	if needStart {
		return r.scope.exec.enqueue(r.scope, r.update(checkpoint.ActionStart), u)
	}
	return r.scope.exec.enqueue(r.scope, u)
}
