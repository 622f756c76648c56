package otel

import (
	"context"
	"time"

	"go.opentelemetry.io/otel/trace"
)

// executionView puts every operation of an execution under its Workflow span
// (contract sections 2, 3.4): each operation is exported once, with its
// deterministic id, by the invocation in which it completes, and links to
// that invocation's Invocation span. Attempts are exported by the invocation
// that runs them, under their operation's deterministic id.
type executionView struct{}

func (executionView) handlerSpan(r *run) trace.SpanContext { return r.workflow }

func (executionView) link(r *run) trace.Link { return trace.Link{SpanContext: r.span.SpanContext()} }

// parent is the context under the deterministic span of operation
// parentID, else under the Workflow span: the parent may be exported by a
// later invocation.
func (executionView) parent(r *run, parentID string) context.Context {
	if parentID == "" {
		return r.wfCtx
	}
	if s := r.ops[parentID]; s != nil {
		return s.ctx // the same span context, already in hand
	}
	return trace.ContextWithSpanContext(r.base, r.workflow.WithSpanID(r.operationSpanID(parentID)))
}

// operationStarted opens the operation's span: at the local time for a new
// operation, at its recorded start for one an earlier invocation started.
// It is exported only if the operation ends in this invocation.
func (v executionView) operationStarted(r *run, op operation) {
	var start time.Time
	if op.replay {
		start = op.start
	}
	ctx, span := r.start(v.parent(r, op.parentID), wantedIDs{span: r.operationSpanID(op.id)}, spanName(op), start)
	op.status = statusStarted
	r.startOperation(op, ctx, span)
}

// operationEnded exports the operation's span. Its end is the recorded end,
// but never before the local time for a span opened here (its attempts ran
// until now); an operation the service completed while the execution was
// suspended spans its recorded start and end.
func (v executionView) operationEnded(r *run, op operation) {
	now := time.Now()
	if s := r.openOperation(op.id); s != nil {
		var end time.Time // now
		if op.end.After(now) {
			end = op.end
		}
		r.endOperation(s.span, op, end)
		s.ended = true
		return
	}
	start, end := op.start, op.end
	if start.IsZero() {
		start = now
	}
	if end.IsZero() {
		end = now
	}
	ctx, span := r.start(v.parent(r, op.parentID), wantedIDs{span: r.operationSpanID(op.id)}, spanName(op), start)
	r.endOperation(span, op, later(end, start))
	r.newOpSpan(op, ctx, span).ended = true
}

// closeOperations drops the operations still open: a later invocation
// exports them, with the same ids, when they complete.
func (executionView) closeOperations(r *run, _ time.Time) { r.open = nil }

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
