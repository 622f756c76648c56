package durable

import (
	"context"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/internal/engine"
	"github.com/lambda-durable/durable/middleware"
	"github.com/lambda-durable/durable/retry"
	"github.com/lambda-durable/durable/serdes"
)

// Option configures a Handler (NewHandler, Start).
type Option interface{ applyHandler(*engine.Config) }

// StepOption configures a Step.
type StepOption interface{ applyStep(*engine.StepOptions) }

// ChildOption configures RunInChildContext.
type ChildOption interface{ applyChild(*engine.ChildOptions) }

type handlerOption func(*engine.Config)

func (f handlerOption) applyHandler(c *engine.Config) { f(c) }

type stepOption func(*engine.StepOptions)

func (f stepOption) applyStep(o *engine.StepOptions) { f(o) }

type childOption func(*engine.ChildOptions)

func (f childOption) applyChild(o *engine.ChildOptions) { f(o) }

// WithCheckpointClient makes the handler checkpoint through c (unless the
// invocation's context carries a client, see checkpoint.ContextWithClient).
func WithCheckpointClient(c checkpoint.Client) Option {
	return handlerOption(func(cfg *engine.Config) { cfg.Client = c })
}

// WithLambdaClient makes the handler checkpoint through an aws-sdk-go-v2
// Lambda client you built (custom endpoint, credentials, retryer...).
func WithLambdaClient(c *lambda.Client) Option {
	return handlerOption(func(cfg *engine.Config) {
		if c != nil {
			cfg.Client = checkpoint.NewLambdaClient(c)
		}
	})
}

// WithCheckpointMode selects when checkpoints are sent: checkpoint.Eager{}
// (the default), checkpoint.Batched{...} or checkpoint.Optimistic{}.
func WithCheckpointMode(m checkpoint.Mode) Option {
	return handlerOption(func(cfg *engine.Config) { cfg.Mode = m })
}

// WithLogger sends the SDK's and the workflow's records to l's handler
// (wrapped so that replays stay suppressed).
func WithLogger(l *slog.Logger) Option {
	return handlerOption(func(cfg *engine.Config) {
		if l != nil {
			cfg.LogHandler = l.Handler()
		}
	})
}

// WithLogHandler sends the SDK's and the workflow's records to h.
func WithLogHandler(h slog.Handler) Option {
	return handlerOption(func(cfg *engine.Config) { cfg.LogHandler = h })
}

// WithShowReplayLogs emits records logged while replaying, marked
// replay=true, instead of dropping them.
func WithShowReplayLogs() Option {
	return handlerOption(func(cfg *engine.Config) { cfg.ShowReplayLogs = true })
}

// WithMiddleware adds middlewares around every operation, replays included
// (the first is outermost).
func WithMiddleware(mws ...middleware.Middleware) Option {
	return handlerOption(func(cfg *engine.Config) { cfg.Middleware = append(cfg.Middleware, mws...) })
}

// WithAttemptMiddleware adds middlewares around each live step attempt.
func WithAttemptMiddleware(mws ...middleware.Middleware) Option {
	return handlerOption(func(cfg *engine.Config) { cfg.AttemptMiddleware = append(cfg.AttemptMiddleware, mws...) })
}

// WithCheckpointMiddleware adds middlewares around each call to the durable
// execution service.
func WithCheckpointMiddleware(mws ...middleware.CheckpointMiddleware) Option {
	return handlerOption(func(cfg *engine.Config) {
		cfg.CheckpointMiddleware = append(cfg.CheckpointMiddleware, mws...)
	})
}

// WithInvocationMiddleware adds middlewares around each invocation (they
// see the ARN, request id, first-invocation flag and final status).
func WithInvocationMiddleware(mws ...middleware.InvocationMiddleware) Option {
	return handlerOption(func(cfg *engine.Config) {
		cfg.InvocationMiddleware = append(cfg.InvocationMiddleware, mws...)
	})
}

// WithMetrics installs m's operation, attempt and checkpoint middlewares.
func WithMetrics(m *middleware.Metrics) Option {
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
func WithDefaultRetry(s retry.Strategy) Option {
	return handlerOption(func(cfg *engine.Config) { cfg.DefaultRetry = s })
}

// WithMaxPayloadBytes sets the largest operation payload stored as is
// (default 256 KiB); larger child context results use ReplayChildren.
func WithMaxPayloadBytes(n int) Option {
	return handlerOption(func(cfg *engine.Config) { cfg.MaxPayloadBytes = n })
}

// WithMaxResponseBytes sets the largest result returned in the handler
// response (default 6 MiB - 50 B); larger ones are checkpointed.
func WithMaxResponseBytes(n int) Option {
	return handlerOption(func(cfg *engine.Config) { cfg.MaxResponseBytes = n })
}

// WithTimerFunc replaces time.AfterFunc for the Batched.MaxDelay timer
// (tests fire it on demand).
func WithTimerFunc(f func(d time.Duration, fn func()) (stop func() bool)) Option {
	return handlerOption(func(cfg *engine.Config) { cfg.AfterFunc = f })
}

// WithDefaultClient replaces how the default client is built (normally
// checkpoint.NewDefaultClient from the standard AWS configuration, on the
// first invocation).
func WithDefaultClient(f func(ctx context.Context) (checkpoint.Client, error)) Option {
	return handlerOption(func(cfg *engine.Config) { cfg.DefaultClient = f })
}

// SerdesOption is WithSerdes's result: a handler, step and child option.
type SerdesOption struct{ s serdes.Serdes }

func (o SerdesOption) applyHandler(c *engine.Config)     { c.Serdes = o.s }
func (o SerdesOption) applyStep(s *engine.StepOptions)   { s.Serdes = o.s }
func (o SerdesOption) applyChild(c *engine.ChildOptions) { c.Serdes = o.s }

// WithSerdes sets the serdes of the handler's input and output (and default
// of its operations), or of one step or child context.
func WithSerdes(s serdes.Serdes) SerdesOption { return SerdesOption{s} }

// SubTypeOption is WithSubType's result: a step and child option.
type SubTypeOption struct{ s string }

func (o SubTypeOption) applyStep(s *engine.StepOptions)   { s.SubType = o.s }
func (o SubTypeOption) applyChild(c *engine.ChildOptions) { c.SubType = o.s }

// WithSubType overrides the operation's recorded subtype (1-32 of
// [A-Za-z0-9_-]); operations built on steps and child contexts use it.
func WithSubType(s string) SubTypeOption { return SubTypeOption{s} }

// WithRetry sets a step's retry strategy.
func WithRetry(s retry.Strategy) StepOption {
	return stepOption(func(o *engine.StepOptions) { o.Retry = s })
}

// AtMostOncePerRetry makes each attempt's start durable before the body
// runs; an attempt interrupted by a crash is not run again but counts as
// failed (StepInterruptedError) and goes to the retry strategy.
func AtMostOncePerRetry() StepOption {
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
