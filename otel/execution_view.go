package otel

import (
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

// parent is the deterministic span of operation parentID, else the
// Workflow span: the parent may be exported by a later invocation.
func (executionView) parent(r *run, parentID string) trace.SpanContext {
	if parentID == "" {
		return r.workflow
	}
	return r.workflow.WithSpanID(operationSpanID(r.inv.arn, parentID))
}

func (r *run) invocationLink() trace.Link { return trace.Link{SpanContext: r.span.SpanContext()} }

// operationStarted opens the operation's span: at the local time for a new
// operation, at its recorded start for one an earlier invocation started.
// It is exported only if the operation ends in this invocation.
func (v executionView) operationStarted(r *run, op operation) {
	start := time.Now()
	if op.replay && !op.start.IsZero() {
		start = op.start
	}
	span := r.t.start(v.parent(r, op.parentID), wantedIDs{span: operationSpanID(r.inv.arn, op.id)}, spanName(op), start,
		operationAttrs(r.inv.arn, op, statusStarted), r.invocationLink())
	r.startOperation(op.id, span)
}

// operationEnded exports the operation's span. Its end is the recorded end,
// but never before the local time for a span opened here (its attempts ran
// until now); an operation the service completed while the execution was
// suspended spans its recorded start and end.
func (v executionView) operationEnded(r *run, op operation) {
	now := time.Now()
	if s := r.openOperation(op.id); s != nil {
		endOperation(s.span, op)
		s.span.End(trace.WithTimestamp(later(op.end, now)))
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
	span := r.t.start(v.parent(r, op.parentID), wantedIDs{span: operationSpanID(r.inv.arn, op.id)}, spanName(op), start,
		operationAttrs(r.inv.arn, op, op.status), r.invocationLink())
	endOperation(span, op)
	span.End(trace.WithTimestamp(later(end, start)))
	r.ops[op.id] = &opSpan{span: span, ended: true}
}

func (v executionView) attemptStarted(r *run, a attempt) {
	r.attempts[a.op.id] = r.t.start(v.parent(r, a.op.id), wantedIDs{}, attemptName(a), time.Now(),
		attemptAttrs(r.inv.arn, a), r.invocationLink())
}

func (executionView) attemptEnded(r *run, a attempt) { r.endAttempt(a) }

// closeOperations drops the operations still open: a later invocation
// exports them, with the same ids, when they complete.
func (executionView) closeOperations(r *run, _ time.Time) { r.open = nil }

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
