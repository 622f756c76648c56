package otel

import (
	"time"

	"go.opentelemetry.io/otel/trace"
)

// invocationView puts each invocation's operations and attempts under its
// Invocation span; they link to the Workflow span (contract sections 2, 3.3).
// An operation gets a span, a segment, in every invocation that touches it:
// the first one with its deterministic id, later ones with random ids.
type invocationView struct{}

func (invocationView) handlerSpan(r *run) trace.SpanContext { return r.span.SpanContext() }

// parent is the span of the parent operation in this invocation, else the
// Invocation span.
func (invocationView) parent(r *run, parentID string) trace.SpanContext {
	if s := r.ops[parentID]; parentID != "" && s != nil {
		return s.span.SpanContext()
	}
	return r.span.SpanContext()
}

func (v invocationView) operationStarted(r *run, op operation) {
	var ids wantedIDs
	if !op.replay {
		ids.span = operationSpanID(r.inv.arn, op.id)
	}
	span := r.t.start(v.parent(r, op.parentID), ids, spanName(op), time.Now(),
		operationAttrs(r.inv.arn, op, statusStarted), trace.Link{SpanContext: r.workflow})
	r.startOperation(op.id, span)
}

// operationEnded ends the operation's segment, or, for an operation the
// service completed while the execution was suspended, emits a zero-length
// continuation segment.
func (v invocationView) operationEnded(r *run, op operation) {
	now := time.Now()
	s := r.openOperation(op.id)
	if s == nil {
		span := r.t.start(v.parent(r, op.parentID), wantedIDs{}, spanName(op), now,
			operationAttrs(r.inv.arn, op, op.status), trace.Link{SpanContext: r.workflow})
		endOperation(span, op)
		span.End(trace.WithTimestamp(now))
		r.ops[op.id] = &opSpan{span: span, ended: true}
		return
	}
	endOperation(s.span, op)
	s.span.End(trace.WithTimestamp(now))
	s.ended = true
}

func (v invocationView) attemptStarted(r *run, a attempt) {
	r.attempts[a.op.id] = r.t.start(v.parent(r, a.op.id), wantedIDs{}, attemptName(a), time.Now(),
		attemptAttrs(r.inv.arn, a), trace.Link{SpanContext: r.workflow})
}

func (invocationView) attemptEnded(r *run, a attempt) { r.endAttempt(a) }

// closeOperations ends the open segments, children first, as they are:
// status STARTED, span status UNSET.
func (invocationView) closeOperations(r *run, now time.Time) {
	for i := len(r.open) - 1; i >= 0; i-- {
		if s := r.open[i]; !s.ended {
			s.span.End(trace.WithTimestamp(now))
			s.ended = true
		}
	}
	r.open = nil
}
