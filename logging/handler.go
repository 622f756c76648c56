// Package logging provides replay-aware structured logging for durable
// workflows, built on log/slog.
//
// A durable workflow re-runs from the start on every invocation and replays
// the operations recorded earlier. NewHandler wraps any slog.Handler so that
// lines logged while replaying are dropped (or, with Options.ShowReplays,
// emitted with replay=true), so each line appears once across invocations.
// NewJSONHandler (JSON lines, the Lambda default), NewTextHandler (tint, the
// local default) and DefaultHandler (picks one by environment) build the
// handlers to wrap.
package logging

import (
	"context"
	"log/slog"
)

// The attribute keys the SDK adds to log records.
const (
	KeyExecutionARN  = "executionArn"
	KeyRequestID     = "requestId"
	KeyOperationID   = "operationId"
	KeyOperationName = "operationName"
	KeyParentID      = "parentId"
	KeyAttempt       = "attempt"
	KeyTenantID      = "tenantId"
	KeyReplay        = "replay"
)

// ReplayState reports whether the code that logs is replaying recorded history.
type ReplayState interface {
	IsReplaying() bool
}

// ReplayFunc adapts a function to ReplayState.
type ReplayFunc func() bool

// IsReplaying calls f.
func (f ReplayFunc) IsReplaying() bool { return f() }

// Options configures NewHandler.
type Options struct {
	// ShowReplays emits records logged while replaying, marked with the
	// attribute replay=true, instead of dropping them.
	ShowReplays bool
}

// NewHandler wraps inner so records are dropped while state.IsReplaying().
// Enabled reports false while replaying, so a suppressed call costs almost
// nothing. The handlers returned by WithAttrs and WithGroup keep the
// suppression. A nil state never replays.
func NewHandler(inner slog.Handler, state ReplayState, opts Options) slog.Handler {
	h := &replayHandler{live: inner, state: state}
	if opts.ShowReplays {
		// Added before any group so replay=true stays a top-level attribute.
		h.replayed = inner.WithAttrs([]slog.Attr{slog.Bool(KeyReplay, true)})
	}
	return h
}

// replayHandler is the handler NewHandler returns. replayed is nil unless
// replays are shown; it is live plus replay=true, kept in step with live
// through WithAttrs and WithGroup.
type replayHandler struct {
	live     slog.Handler
	replayed slog.Handler
	state    ReplayState
}

// target returns the handler a record goes to now, or nil to drop it.
func (h *replayHandler) target() slog.Handler {
	if h.state != nil && h.state.IsReplaying() {
		return h.replayed
	}
	return h.live
}

// Enabled reports whether the current target handler takes level.
func (h *replayHandler) Enabled(ctx context.Context, level slog.Level) bool {
	t := h.target()
	return t != nil && t.Enabled(ctx, level)
}

// Handle passes r on, unless it is being suppressed.
func (h *replayHandler) Handle(ctx context.Context, r slog.Record) error {
	if t := h.target(); t != nil {
		return t.Handle(ctx, r)
	}
	return nil
}

// WithAttrs returns a replay-aware handler whose records carry attrs.
func (h *replayHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	c := *h
	c.live = h.live.WithAttrs(attrs)
	if h.replayed != nil {
		c.replayed = h.replayed.WithAttrs(attrs)
	}
	return &c
}

// WithGroup returns a replay-aware handler that nests later attributes
// under name.
func (h *replayHandler) WithGroup(name string) slog.Handler {
	c := *h
	c.live = h.live.WithGroup(name)
	if h.replayed != nil {
		c.replayed = h.replayed.WithGroup(name)
	}
	return &c
}
