package otel

import (
	"context"
	"time"

	"go.opentelemetry.io/otel/trace"
)

// invocationView puts each invocation's operations and attempts under its
// Invocation span; they link to the Workflow span (contract sections 2, 3.3).
// An operation gets a span, a segment, in every invocation that touches it:
// the first one with its deterministic id, later ones with random ids.
type invocationView struct{}

func (invocationView) handlerSpan(r *run) trace.SpanContext { return r.span.SpanContext() }

func (invocationView) link(r *run) trace.Link { return trace.Link{SpanContext: r.workflow} }

// parent is the context under the span of operation parentID in this
// invocation, else under the Invocation span.
func (invocationView) parent(r *run, parentID string) context.Context {
	if s := r.ops[parentID]; parentID != "" && s != nil {
		return s.ctx
	}
	return r.invCtx
}

func (v invocationView) operationStarted(r *run, op operation) {
	var ids wantedIDs
	if !op.replay {
		ids.span = r.operationSpanID(op.id)
	}
	ctx, span := r.start(v.parent(r, op.parentID), ids, spanName(op), time.Time{})
	op.status = statusStarted
	r.startOperation(op, ctx, span)
}

// operationEnded ends the operation's segment, or, for an operation the
// service completed while the execution was suspended, emits a zero-length
// continuation segment.
func (v invocationView) operationEnded(r *run, op operation) {
	s := r.openOperation(op.id)
	if s == nil {
		now := time.Now()
		ctx, span := r.start(v.parent(r, op.parentID), wantedIDs{}, spanName(op), now)
		r.endOperation(span, op, now)
		r.newOpSpan(op, ctx, span).ended = true
		return
	}
	r.endOperation(s.span, op, time.Time{})
	s.ended = true
}

// closeOperations ends the open segments, children first, as they are:
// status STARTED, span status UNSET.
func (invocationView) closeOperations(r *run, now time.Time) {
	for i := len(r.open) - 1; i >= 0; i-- {
		if s := r.open[i]; !s.ended {
			r.attrs = operationAttrs(r.attrs[:0], r.inv.arn, s.op)
			s.span.SetAttributes(r.attrs...)
			s.span.End(trace.WithTimestamp(now))
			s.ended = true
		}
	}
	r.open = nil
}
