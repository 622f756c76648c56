package plugin

import (
	"context"
	"fmt"
	"log/slog"
	"sync"

	"github.com/lambda-durable/durable/middleware"
)

// Config is a set of plugins to install on a handler.
type Config struct {
	// Plugins run in order at every lifecycle point.
	Plugins []Plugin
	// Logger receives a warning for every hook that returns an error or
	// panics (nil: slog.Default()).
	Logger *slog.Logger
}

// Middlewares are the middlewares that run a Config's hooks. They work
// together: install all four on the same handler (durable.WithPlugins does).
type Middlewares struct {
	// Invocation goes in the invocation chain
	// (durable.WithInvocationMiddleware): invocation hooks, and the
	// per-invocation state the others use.
	Invocation middleware.InvocationMiddleware
	// Operation goes in the operation chain (durable.WithMiddleware):
	// operation hooks, and the attempt hooks of child contexts.
	Operation middleware.Middleware
	// Attempt goes in the attempt chain (durable.WithAttemptMiddleware):
	// the attempt hooks of steps.
	Attempt middleware.Middleware
	// Checkpoint goes in the checkpoint chain
	// (durable.WithCheckpointMiddleware): operation-change hooks.
	Checkpoint middleware.CheckpointMiddleware
}

// Install returns the middlewares that run cfg's hooks. Compose them once,
// with the handler; they are safe for concurrent invocations.
func Install(cfg Config) Middlewares {
	s := &set{plugins: append([]Plugin(nil), cfg.Plugins...), logger: cfg.Logger}
	if s.logger == nil {
		s.logger = slog.Default()
	}
	for i := range s.plugins {
		p := &s.plugins[i]
		s.wantChange = s.wantChange || p.OperationChange != nil
		s.wantAttempts = s.wantAttempts || p.AttemptStart != nil || p.AttemptEnd != nil || p.AttemptContext != nil
		s.wantContext = s.wantContext || p.InvocationContext != nil || p.AttemptContext != nil
	}
	return Middlewares{
		Invocation: s.invocationMiddleware,
		Operation:  s.operationMiddleware,
		Attempt:    s.attemptMiddleware,
		Checkpoint: s.checkpointMiddleware,
	}
}

// set is one installation: the plugins, the logger for failures and the
// lock that keeps hooks from running concurrently.
type set struct {
	plugins      []Plugin
	logger       *slog.Logger
	wantChange   bool
	wantAttempts bool
	wantContext  bool // some plugin derives contexts

	mu sync.Mutex // held while hooks run
}

// stateKey finds an installation's per-invocation state in a context.
type stateKey struct{ s *set }

func (s *set) state(ctx context.Context) *invocation {
	st, _ := ctx.Value(stateKey{s}).(*invocation)
	return st
}

// dispatch calls hook(p) for every plugin that has it, isolating each call.
func dispatch[I any](s *set, ctx context.Context, name string, hook func(*Plugin) func(context.Context, I) error, info I) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.plugins {
		p := &s.plugins[i]
		if f := hook(p); f != nil {
			callHook(s, ctx, p, name, f, info)
		}
	}
}

// derive passes ctx through hook(p) of every plugin that has it, in order,
// isolating each call: a hook that panics or returns nil leaves the context
// as it was.
func derive[I any](s *set, ctx context.Context, name string, hook func(*Plugin) func(context.Context, I) context.Context, info I) context.Context {
	if !s.wantContext {
		return ctx
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.plugins {
		p := &s.plugins[i]
		if f := hook(p); f != nil {
			ctx = deriveHook(s, ctx, p, name, f, info)
		}
	}
	return ctx
}

// callHook runs one hook, turning an error or a panic into a warning. (The
// hook and its info are parameters, not a closure, so that a call does not
// allocate.)
func callHook[I any](s *set, ctx context.Context, p *Plugin, name string, f func(context.Context, I) error, info I) {
	defer s.recoverHook(ctx, p, name)
	if err := f(ctx, info); err != nil {
		s.report(ctx, p, name, err)
	}
}

// deriveHook runs one context hook: its context if it returns one, else
// ctx, and ctx when it panics (reported as a warning).
func deriveHook[I any](s *set, ctx context.Context, p *Plugin, name string, f func(context.Context, I) context.Context, info I) (derived context.Context) {
	derived = ctx
	defer s.recoverHook(ctx, p, name)
	if d := f(ctx, info); d != nil {
		derived = d
	}
	return derived
}

// recoverHook, deferred around a hook, reports its panic.
func (s *set) recoverHook(ctx context.Context, p *Plugin, name string) {
	if r := recover(); r != nil {
		s.report(ctx, p, name, fmt.Errorf("panic: %v", r))
	}
}

func (s *set) report(ctx context.Context, p *Plugin, name string, err error) {
	s.logger.LogAttrs(ctx, slog.LevelWarn, "durable: plugin hook failed; ignored",
		slog.String("plugin", p.Name), slog.String("hook", name), slog.String("error", err.Error()))
}

// Hook selectors.
func invocationStart(p *Plugin) func(context.Context, InvocationInfo) error { return p.InvocationStart }
func invocationEnd(p *Plugin) func(context.Context, InvocationInfo) error   { return p.InvocationEnd }
func operationStart(p *Plugin) func(context.Context, OperationInfo) error   { return p.OperationStart }
func operationEnd(p *Plugin) func(context.Context, OperationInfo) error     { return p.OperationEnd }
func attemptStart(p *Plugin) func(context.Context, AttemptInfo) error       { return p.AttemptStart }
func attemptEnd(p *Plugin) func(context.Context, AttemptInfo) error         { return p.AttemptEnd }
func invocationContext(p *Plugin) func(context.Context, InvocationInfo) context.Context {
	return p.InvocationContext
}
func attemptContext(p *Plugin) func(context.Context, AttemptInfo) context.Context {
	return p.AttemptContext
}
func operationChange(p *Plugin) func(context.Context, ChangeInfo) error { return p.OperationChange }
