package engine

import (
	"context"
	"fmt"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/retry"
	"github.com/lambda-durable/durable/serdes"
)

// WaitDecision is what a wait strategy decides after a check.
type WaitDecision struct {
	// Continue polls again after Delay (clamped to whole seconds between 1 s
	// and 366 days); false stops with the current state as the result.
	Continue bool
	// Delay is how long to wait before the next check.
	Delay time.Duration
	// Err, when not nil, fails the operation with this error (for example
	// a *ConditionExhaustedError when too many checks were made).
	Err error
}

// ErrorTypeConditionExhausted is the ErrorType recorded for a
// *ConditionExhaustedError.
const ErrorTypeConditionExhausted = "WaitForCondition.Exhausted"

// ConditionExhaustedError is what the standard wait strategy decides when
// the condition is still not met after its maximum number of checks. Like
// every failure of the operation it is recorded and surfaces from
// WaitForCondition as a *StepError with ErrorType
// ErrorTypeConditionExhausted.
type ConditionExhaustedError struct {
	// Attempts is the number of checks made.
	Attempts int
}

// Error implements error.
func (e *ConditionExhaustedError) Error() string {
	return fmt.Sprintf("durable: the condition was not met after %d checks", e.Attempts)
}

// ErrorType names the error in the ErrorObject.
func (e *ConditionExhaustedError) ErrorType() string { return ErrorTypeConditionExhausted }

// ConditionStrategy builds the standard wait strategy: stop as soon as done
// reports true for the state, otherwise continue after the delay schedule
// decides (its error argument is nil), and fail with a
// *ConditionExhaustedError when schedule allows no more attempts. A nil
// schedule is retry.DefaultWaitForCondition(); a nil done gives a nil
// strategy (which WaitForCondition rejects).
func ConditionStrategy[S any](done func(state S) bool, schedule retry.Strategy) func(S, int) WaitDecision {
	if done == nil {
		return nil
	}
	if schedule == nil {
		schedule = retry.DefaultWaitForCondition()
	}
	return func(state S, attempt int) WaitDecision {
		if done(state) {
			return WaitDecision{}
		}
		d := schedule(attempt, nil)
		if !d.Retry {
			return WaitDecision{Err: &ConditionExhaustedError{Attempts: attempt}}
		}
		return WaitDecision{Continue: true, Delay: d.Delay}
	}
}

// ConditionOptions configures WaitForCondition.
type ConditionOptions[S any] struct {
	// Initial is the state the first check receives.
	Initial S
	// Strategy decides after each check (attempt is 1-based) whether to
	// poll again and when. Required.
	Strategy func(state S, attempt int) WaitDecision
	// Serdes encodes the state in each poll's checkpoint (nil: the
	// handler's serdes).
	Serdes serdes.Serdes
}

// conditionRun reuses the step kind for its attempts (the check, through
// the attempt chain), its recorded failures and its update helpers.
type conditionRun[S any] struct {
	stepRun[S]
	strategy func(S, int) WaitDecision
	state    S // the state the next check receives
}

// WaitForCondition polls check until the strategy stops, as one STEP
// (subtype WaitForCondition): each check is an attempt, a decision to
// continue is a RETRY carrying the new state as its payload (the invocation
// may suspend until the delay is over), and the final state is the step's
// result. An error from check or from the strategy fails the operation (no
// retry) with a *StepError, equal on replay.
func WaitForCondition[S any](c *Context, name string, check func(*StepContext, S) (S, error), o ConditionOptions[S]) (S, error) {
	k, err := newCondition(name, check, o)
	if err != nil {
		var zero S
		return zero, err
	}
	if err := c.run(&k.run); err != nil {
		var zero S
		return zero, err
	}
	return k.out, nil
}

// WaitForConditionAsync is WaitForCondition on its own goroutine: it returns
// once the operation's id is assigned, and the handle's Wait returns what
// WaitForCondition would. Like a step it cannot be cancelled.
func WaitForConditionAsync[S any](c *Context, name string, check func(*StepContext, S) (S, error), o ConditionOptions[S]) *Async[S] {
	k, err := newCondition(name, check, o)
	if err != nil {
		return failedAsync[S](c.exec, err)
	}
	return goRun(c, &k.run, func() S { return k.out }, nil)
}

func newCondition[S any](name string, check func(*StepContext, S) (S, error), o ConditionOptions[S]) (*conditionRun[S], error) {
	switch {
	case check == nil:
		return nil, &ValidationError{Field: "check function", Message: "nil"}
	case o.Strategy == nil:
		return nil, &ValidationError{Field: "wait strategy", Message: "nil"}
	}
	k := &conditionRun[S]{strategy: o.Strategy, state: o.Initial}
	k.fn = func(sc *StepContext) (S, error) { return check(sc, k.state) }
	k.kind = k
	k.op.Type = checkpoint.TypeStep
	k.op.SubType = checkpoint.SubTypeWaitForCondition
	k.op.Name = name
	k.serdes = o.Serdes
	return k, nil
}

// decide asks the strategy, turning a panic into an error decision.
func (k *conditionRun[S]) decide(attempt int) (d WaitDecision) {
	defer func() {
		if p := recover(); p != nil {
			d = WaitDecision{Err: newPanicError(p)}
		}
	}()
	return k.strategy(k.out, attempt)
}

// execute runs the checks through the attempt loop (at least once: an
// interrupted check runs again).
func (k *conditionRun[S]) execute(ctx context.Context, r *run) error {
	return runAttempts(ctx, r, k, false)
}

// next decides what follows a check: a failed check fails the operation
// (no retry); otherwise the strategy stops (SUCCEED with the state), fails
// it, or continues (RETRY carrying the new state, which the next check
// receives).
func (k *conditionRun[S]) next(r *run, attempt int, err error) attemptOutcome {
	if err != nil {
		return attemptOutcome{err: err}
	}
	d := k.decide(attempt)
	switch {
	case d.Err != nil:
		return attemptOutcome{err: d.Err}
	case !d.Continue:
		return attemptOutcome{}
	}
	k.state = k.out
	return attemptOutcome{retry: true, delay: retry.Clamp(d.Delay)}
}

// resume restores the state the last check recorded.
func (k *conditionRun[S]) resume(r *run, rec *checkpoint.Operation) {
	if d := rec.StepDetails; d != nil && d.Attempt > 0 {
		if err := r.serdes.Deserialize(r.serdesContext(), d.Result, &k.state); err != nil {
			r.scope.exec.abort(asSerdesError(err, r.op.ID, serdes.OpDeserialize))
		}
	}
}
