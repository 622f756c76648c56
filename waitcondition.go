package durable

import (
	"time"

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

// conditionConfig collects the options of one WaitForCondition call.
type conditionConfig[S any] struct {
	engine.ConditionOptions[S]
	err error
}

// ConditionOption configures WaitForCondition: WithInitialState,
// WithWaitStrategy, WithStateSerdes, or a WaitStrategyBuilder.
type ConditionOption[S any] interface{ applyCondition(*conditionConfig[S]) }

type conditionOption[S any] func(*conditionConfig[S])

func (f conditionOption[S]) applyCondition(c *conditionConfig[S]) { f(c) }

// WithInitialState sets the state the first check receives (default: the
// zero value).
func WithInitialState[S any](state S) ConditionOption[S] {
	return conditionOption[S](func(c *conditionConfig[S]) { c.Initial = state })
}

// WithWaitStrategy sets a custom wait strategy (see WaitUntil for the
// standard one).
func WithWaitStrategy[S any](w WaitStrategy[S]) ConditionOption[S] {
	return conditionOption[S](func(c *conditionConfig[S]) { c.Strategy = w })
}

// WithStateSerdes encodes the state in each poll's checkpoint with sd
// (default: the handler's serdes). The state type must be written:
// WithStateSerdes[Job](sd).
func WithStateSerdes[S any](sd serdes.Serdes) ConditionOption[S] {
	return conditionOption[S](func(c *conditionConfig[S]) { c.Serdes = sd })
}

// WaitStrategyBuilder builds the standard wait strategy: stop once the
// condition holds, otherwise poll again after an exponentially growing,
// jittered delay, and fail with a *ConditionExhaustedError after the
// maximum number of checks. Its methods return modified copies. It is
// itself a ConditionOption.
type WaitStrategyBuilder[S any] struct {
	done func(S) bool
	cfg  retry.Config
}

// WaitUntil starts a WaitStrategyBuilder that stops polling when done
// reports true for the state returned by the check. Defaults: 60 checks,
// 5 s initial delay growing x1.5 up to 5 min, full jitter.
func WaitUntil[S any](done func(state S) bool) WaitStrategyBuilder[S] {
	return WaitStrategyBuilder[S]{done: done, cfg: retry.Config{
		MaxAttempts: 60, InitialDelay: 5 * time.Second, MaxDelay: 5 * time.Minute, Backoff: 1.5, Jitter: retry.JitterFull,
	}}
}

// MaxAttempts sets the number of checks after which polling fails.
func (b WaitStrategyBuilder[S]) MaxAttempts(n int) WaitStrategyBuilder[S] {
	b.cfg.MaxAttempts = n
	return b
}

// InitialDelay sets the delay before the second check.
func (b WaitStrategyBuilder[S]) InitialDelay(d time.Duration) WaitStrategyBuilder[S] {
	b.cfg.InitialDelay = d
	return b
}

// MaxDelay caps the delay between checks.
func (b WaitStrategyBuilder[S]) MaxDelay(d time.Duration) WaitStrategyBuilder[S] {
	b.cfg.MaxDelay = d
	return b
}

// Backoff sets the factor applied to the delay after each check (>= 1).
func (b WaitStrategyBuilder[S]) Backoff(f float64) WaitStrategyBuilder[S] {
	b.cfg.Backoff = f
	return b
}

// Jitter sets how delays are randomised.
func (b WaitStrategyBuilder[S]) Jitter(j retry.Jitter) WaitStrategyBuilder[S] {
	b.cfg.Jitter = j
	return b
}

// FixedDelay polls every d exactly: no backoff, no jitter.
func (b WaitStrategyBuilder[S]) FixedDelay(d time.Duration) WaitStrategyBuilder[S] {
	b.cfg.InitialDelay, b.cfg.MaxDelay, b.cfg.Backoff, b.cfg.Jitter = d, d, 1, retry.JitterNone
	return b
}

// Build validates the configuration and returns the strategy; errors are
// *ValidationError.
func (b WaitStrategyBuilder[S]) Build() (WaitStrategy[S], error) {
	s, err := engine.ConditionStrategy(b.done, b.cfg)
	if err != nil {
		return nil, err
	}
	return s, nil
}

func (b WaitStrategyBuilder[S]) applyCondition(c *conditionConfig[S]) {
	s, err := b.Build()
	c.Strategy, c.err = s, err
}

// WaitForCondition polls check until its wait strategy stops, and returns
// the final state. check receives the previous state (the initial state
// first) and returns the new one; between checks the invocation may
// suspend. It is recorded as one STEP (subtype WaitForCondition): each
// poll is a RETRY whose payload is the state, and the final state is its
// result.
//
// A strategy is required: WaitUntil(done) (possibly tuned) or
// WithWaitStrategy. An error from check or from the strategy (such as
// running out of checks) fails the operation without retry: a *StepError,
// equal on replay.
//
//	job, err := durable.WaitForCondition(ctx, "export", checkExport,
//		durable.WaitUntil(func(j Job) bool { return j.Done }).MaxAttempts(20),
//		durable.WithInitialState(Job{ID: id}))
func WaitForCondition[S any](ctx Context, name string, check func(sc StepContext, state S) (S, error), opts ...ConditionOption[S]) (S, error) {
	fn, o, err := conditionArgs(check, opts)
	if err != nil {
		var zero S
		return zero, err
	}
	return engine.WaitForCondition(ctx.engine(), name, fn, o)
}

// WaitForConditionAsync is WaitForCondition on its own goroutine: it returns
// once the operation has its id, and the future's Get returns what
// WaitForCondition would. Like a step, it cannot be cancelled (Cancel
// returns false); race it against a WaitAsync to bound it by time.
func WaitForConditionAsync[S any](ctx Context, name string, check func(sc StepContext, state S) (S, error), opts ...ConditionOption[S]) *Future[S] {
	fn, o, err := conditionArgs(check, opts)
	if err != nil {
		return &Future[S]{h: engine.FailedHandle[S](ctx.engine(), err)}
	}
	return &Future[S]{h: engine.WaitForConditionAsync(ctx.engine(), name, fn, o)}
}

func conditionArgs[S any](check func(StepContext, S) (S, error), opts []ConditionOption[S]) (func(*engine.StepContext, S) (S, error), engine.ConditionOptions[S], error) {
	var c conditionConfig[S]
	for _, opt := range opts {
		if opt != nil {
			opt.applyCondition(&c)
		}
	}
	var fn func(*engine.StepContext, S) (S, error)
	if check != nil {
		fn = func(sc *engine.StepContext, s S) (S, error) { return check(sc, s) }
	}
	return fn, c.ConditionOptions, c.err
}
