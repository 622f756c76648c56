package durable

import (
	"log/slog"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/internal/engine"
	"github.com/lambda-durable/durable/middleware"
	"github.com/lambda-durable/durable/retry"
	"github.com/lambda-durable/durable/serdes"
)

// Options follow one idiom. Each operation that takes options has an option
// interface (HandlerOption, StepOption, ChildOption, MapOption,
// ParallelOption, CallbackOption, WaitForCallbackOption, InvokeOption,
// WaitForConditionOption) whose method is unexported, so only this package
// makes options. Every option is made by a With... function; an option that
// applies to several operations (WithSerdes, WithSubType, the batch, timeout
// and result-serdes options) returns a type that implements each of their
// interfaces, so passing an option to an operation it does not apply to
// does not compile. A nil option is ignored.

// HandlerOption configures a Handler (NewHandler, Start).
type HandlerOption interface{ applyHandler(*engine.Config) }

// StepOption configures a Step (and StepAsync, and WaitForCallback's
// submitter through WithSubmitterOptions).
type StepOption interface{ applyStep(*engine.StepOptions) }

// ChildOption configures RunInChildContext (and RunInChildContextAsync).
type ChildOption interface{ applyChild(*engine.ChildOptions) }

type handlerOption func(*engine.Config)

func (f handlerOption) applyHandler(c *engine.Config) { f(c) }

type stepOption func(*engine.StepOptions)

func (f stepOption) applyStep(o *engine.StepOptions) { f(o) }

type childOption func(*engine.ChildOptions)

func (f childOption) applyChild(o *engine.ChildOptions) { f(o) }

// apply applies the non-nil options of opts with set.
func apply[O any](opts []O, set func(O)) {
	for _, o := range opts {
		if any(o) != nil {
			set(o)
		}
	}
}

// WithCheckpointClient makes the handler call the durable execution service
// through c. It is the one way to choose the client; without it the handler
// builds one from the standard AWS configuration on its first invocation.
// For an aws-sdk-go-v2 Lambda client you built (custom endpoint,
// credentials, retryer...): WithCheckpointClient(checkpoint.NewLambdaClient(lc)).
// (The local service runs handlers in process by overriding the client for
// one invocation through its context, checkpoint.ContextWithClient.)
func WithCheckpointClient(c checkpoint.Client) HandlerOption {
	return handlerOption(func(cfg *engine.Config) { cfg.Client = c })
}

// WithCheckpointMode selects when checkpoints are sent: checkpoint.Eager{}
// (the default), checkpoint.Batched{...} or checkpoint.Optimistic{}.
func WithCheckpointMode(m checkpoint.Mode) HandlerOption {
	return handlerOption(func(cfg *engine.Config) { cfg.Mode = m })
}

// WithLogHandler sends the SDK's and the workflow's records to h (wrapped
// so that replays stay suppressed). For a *slog.Logger l, pass l.Handler().
func WithLogHandler(h slog.Handler) HandlerOption {
	return handlerOption(func(cfg *engine.Config) { cfg.LogHandler = h })
}

// WithShowReplayLogs emits records logged while replaying, marked
// replay=true, instead of dropping them.
func WithShowReplayLogs() HandlerOption {
	return handlerOption(func(cfg *engine.Config) { cfg.ShowReplayLogs = true })
}

// WithMiddleware adds middlewares around every operation, replays included
// (the first is outermost).
func WithMiddleware(mws ...middleware.Middleware) HandlerOption {
	return handlerOption(func(cfg *engine.Config) { cfg.Middleware = append(cfg.Middleware, mws...) })
}

// WithAttemptMiddleware adds middlewares around each live step attempt.
func WithAttemptMiddleware(mws ...middleware.Middleware) HandlerOption {
	return handlerOption(func(cfg *engine.Config) { cfg.AttemptMiddleware = append(cfg.AttemptMiddleware, mws...) })
}

// WithCheckpointMiddleware adds middlewares around each call to the durable
// execution service.
func WithCheckpointMiddleware(mws ...middleware.CheckpointMiddleware) HandlerOption {
	return handlerOption(func(cfg *engine.Config) {
		cfg.CheckpointMiddleware = append(cfg.CheckpointMiddleware, mws...)
	})
}

// WithInvocationMiddleware adds middlewares around each invocation (they
// see the ARN, request id, first-invocation flag and final status).
func WithInvocationMiddleware(mws ...middleware.InvocationMiddleware) HandlerOption {
	return handlerOption(func(cfg *engine.Config) {
		cfg.InvocationMiddleware = append(cfg.InvocationMiddleware, mws...)
	})
}

// WithMetrics installs m's operation, attempt and checkpoint middlewares.
func WithMetrics(m *middleware.Metrics) HandlerOption {
	return handlerOption(func(cfg *engine.Config) {
		if m == nil {
			return
		}
		cfg.Middleware = append(cfg.Middleware, m.Operation())
		cfg.AttemptMiddleware = append(cfg.AttemptMiddleware, m.Attempt())
		cfg.CheckpointMiddleware = append(cfg.CheckpointMiddleware, m.Checkpoint())
	})
}

// WithDefaultRetry sets the retry strategy of steps that set none (default:
// retry.Default()).
func WithDefaultRetry(s retry.Strategy) HandlerOption {
	return handlerOption(func(cfg *engine.Config) { cfg.DefaultRetry = s })
}

// WithMaxPayloadBytes sets the largest operation payload stored as is
// (default 256 KiB); larger child context results use ReplayChildren.
func WithMaxPayloadBytes(n int) HandlerOption {
	return handlerOption(func(cfg *engine.Config) { cfg.MaxPayloadBytes = n })
}

// WithMaxResponseBytes sets the largest result returned in the handler
// response (default 6 MiB - 50 B); larger ones are checkpointed.
func WithMaxResponseBytes(n int) HandlerOption {
	return handlerOption(func(cfg *engine.Config) { cfg.MaxResponseBytes = n })
}

// SerdesOption is WithSerdes's result: a HandlerOption, StepOption,
// ChildOption, MapOption and ParallelOption.
type SerdesOption struct{ s serdes.Serdes }

func (o SerdesOption) applyHandler(c *engine.Config)     { c.Serdes = o.s }
func (o SerdesOption) applyStep(s *engine.StepOptions)   { s.Serdes = o.s }
func (o SerdesOption) applyChild(c *engine.ChildOptions) { c.Serdes = o.s }

// WithSerdes sets the serdes of the handler's input and output (and default
// of its operations), or of one step's, child context's, map's or
// parallel's result. Results that are only decoded (callbacks, invokes)
// take WithResultSerdes instead.
func WithSerdes(s serdes.Serdes) SerdesOption { return SerdesOption{s} }

// SubTypeOption is WithSubType's result: a StepOption and a ChildOption.
type SubTypeOption struct{ s string }

func (o SubTypeOption) applyStep(s *engine.StepOptions)   { s.SubType = o.s }
func (o SubTypeOption) applyChild(c *engine.ChildOptions) { c.SubType = o.s }

// WithSubType overrides the operation's recorded subtype (1-32 of
// [A-Za-z0-9_-]); operations built on steps and child contexts use it.
func WithSubType(s string) SubTypeOption { return SubTypeOption{s} }

// WithRetry sets a step's retry strategy, e.g.
// WithRetry(retry.Fixed(3, 10*time.Second).If(isTransient)).
func WithRetry(s retry.Strategy) StepOption {
	return stepOption(func(o *engine.StepOptions) { o.Retry = s })
}

// WithAtMostOncePerRetry makes each attempt's start durable before the body
// runs; an attempt interrupted by a crash is not run again but counts as
// failed (StepInterruptedError) and goes to the retry strategy.
func WithAtMostOncePerRetry() StepOption {
	return stepOption(func(o *engine.StepOptions) { o.AtMostOnce = true })
}

// WithVirtualContext runs the child context without checkpointing it: no
// operation is recorded for the context, its operations are recorded under
// the enclosing context (with ids prefixed by its own, so they stay
// deterministic), its result is not stored and its function runs again on
// every replay, so it must be deterministic like the workflow. Middlewares
// and plugins still see it start and end. Its error is returned as fn
// returned it.
func WithVirtualContext() ChildOption {
	return childOption(func(o *engine.ChildOptions) { o.Virtual = true })
}

// WithReplayChildren always checkpoints the child context with
// ReplayChildren: on replay its body runs again over its children's
// recorded results instead of returning a stored result.
func WithReplayChildren() ChildOption {
	return childOption(func(o *engine.ChildOptions) { o.ReplayChildren = true })
}
