package durable

import (
	"github.com/lambda-durable/durable/internal/engine"
	"github.com/lambda-durable/durable/retry"
	"github.com/lambda-durable/durable/serdes"
)

// WaitDecision is what a WaitStrategy decides after a check: Continue
// polls again after Delay (whole seconds, at least 1 s); otherwise polling
// stops and the current state is the result. A non-nil Err fails the
// operation instead.
type WaitDecision = engine.WaitDecision

// WaitStrategy decides, after each check of WaitForCondition, whether to
// poll again and when. attempt is the 1-based number of the check just
// made.
type WaitStrategy[S any] func(state S, attempt int) WaitDecision

// ConditionExhaustedError is the error the strategies built by WaitUntil
// decide when the condition is still not met after their maximum number of
// checks; WaitForCondition then fails with a *StepError whose ErrorType is
// ErrorTypeConditionExhausted.
type ConditionExhaustedError = engine.ConditionExhaustedError

// ErrorTypeConditionExhausted is the recorded ErrorType of a
// wait-for-condition that ran out of checks.
const ErrorTypeConditionExhausted = engine.ErrorTypeConditionExhausted

// WaitForConditionOption configures WaitForCondition (and
// WaitForConditionAsync) of state type S.
type WaitForConditionOption[S any] interface {
	applyWaitForCondition(*engine.ConditionOptions[S])
}

type conditionOption[S any] func(*engine.ConditionOptions[S])

func (f conditionOption[S]) applyWaitForCondition(c *engine.ConditionOptions[S]) { f(c) }

// WithInitialState sets the state the first check receives (default: the
// zero value).
func WithInitialState[S any](state S) WaitForConditionOption[S] {
	return conditionOption[S](func(c *engine.ConditionOptions[S]) { c.Initial = state })
}

// WithWaitStrategy sets the wait strategy (required): WaitUntil builds the
// standard one, and any func(state S, attempt int) WaitDecision converted
// to a WaitStrategy[S] will do.
func WithWaitStrategy[S any](w WaitStrategy[S]) WaitForConditionOption[S] {
	return conditionOption[S](func(c *engine.ConditionOptions[S]) { c.Strategy = w })
}

// WithStateSerdes encodes the state in each poll's checkpoint with sd
// (default: the handler's serdes). The state type must be written:
// WithStateSerdes[Job](sd).
func WithStateSerdes[S any](sd serdes.Serdes) WaitForConditionOption[S] {
	return conditionOption[S](func(c *engine.ConditionOptions[S]) { c.Serdes = sd })
}

// WaitUntil returns the standard wait strategy: stop once done reports true
// for the state the check returned, otherwise poll again after the delay
// schedule decides, and fail with a *ConditionExhaustedError when schedule
// allows no more attempts. Any retry strategy is a schedule (the error it
// receives is nil):
//
//	durable.WithWaitStrategy(durable.WaitUntil(isDone, retry.Fixed(20, 10*time.Second)))
//
// A nil schedule is retry.DefaultWaitForCondition(): 60 checks, 5 s growing
// x1.5 up to 5 min, full jitter. A nil done returns a nil strategy, which
// WaitForCondition reports as a *ValidationError.
func WaitUntil[S any](done func(state S) bool, schedule retry.Strategy) WaitStrategy[S] {
	return engine.ConditionStrategy(done, schedule)
}

// WaitForCondition polls check until its wait strategy stops, and returns
// the final state. check receives the previous state (the initial state
// first) and returns the new one; between checks the invocation may
// suspend. It is recorded as one STEP (subtype WaitForCondition): each
// poll is a RETRY whose payload is the state, and the final state is its
// result.
//
// A strategy is required: WithWaitStrategy(WaitUntil(done, schedule)) or
// a custom WaitStrategy. An error from check or from the strategy (such as
// running out of checks) fails the operation without retry: a *StepError,
// equal on replay.
//
//	job, err := durable.WaitForCondition(ctx, "export", checkExport,
//		durable.WithWaitStrategy(durable.WaitUntil(func(j Job) bool { return j.Done }, retry.Fixed(20, 10*time.Second))),
//		durable.WithInitialState(Job{ID: id}))
func WaitForCondition[S any](ctx Context, name string, check func(sc StepContext, state S) (S, error), opts ...WaitForConditionOption[S]) (S, error) {
	fn, o := conditionArgs(check, opts)
	return engine.WaitForCondition(ctx.engine(), name, fn, o)
}

// WaitForConditionAsync is WaitForCondition on its own goroutine: it returns
// once the operation has its id, and the future's Get returns what
// WaitForCondition would. Like a step, it cannot be cancelled (Cancel
// returns false); race it against a WaitAsync to bound it by time.
func WaitForConditionAsync[S any](ctx Context, name string, check func(sc StepContext, state S) (S, error), opts ...WaitForConditionOption[S]) *Future[S] {
	fn, o := conditionArgs(check, opts)
	return &Future[S]{h: engine.WaitForConditionAsync(ctx.engine(), name, fn, o)}
}

func conditionArgs[S any](check func(StepContext, S) (S, error), opts []WaitForConditionOption[S]) (func(*engine.StepContext, S) (S, error), engine.ConditionOptions[S]) {
	var c engine.ConditionOptions[S]
	apply(opts, func(opt WaitForConditionOption[S]) { opt.applyWaitForCondition(&c) })
	var fn func(*engine.StepContext, S) (S, error)
	if check != nil {
		fn = func(sc *engine.StepContext, s S) (S, error) { return check(sc, s) }
	}
	return fn, c
}
