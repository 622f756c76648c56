package otel

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"math/rand/v2"
	"time"

	"go.opentelemetry.io/otel/trace"
)

// Deterministic identifiers (contract section 6): the Workflow span and the
// operation spans of an execution get the same ids in every invocation, so
// that spans exported by different invocations reference each other.

// workflowTraceID is the trace of an execution's Workflow span: the
// execution's start in Unix seconds (4 bytes, big-endian, as X-Ray trace ids
// begin) followed by the first 12 bytes of SHA-256(arn).
func workflowTraceID(arn string, executionStart time.Time) trace.TraceID {
	var id trace.TraceID
	binary.BigEndian.PutUint32(id[:4], uint32(executionStart.Unix()))
	sum := sha256.Sum256([]byte(arn))
	copy(id[4:], sum[:12])
	return id
}

// workflowSpanID is the id of an execution's Workflow span.
func workflowSpanID(arn string) trace.SpanID { return hashSpanID("workflow:" + arn) }

// operationSpanID is the id of an operation's span in the execution view,
// and of its first segment in the invocation view.
func operationSpanID(arn, operationID string) trace.SpanID {
	return hashSpanID(arn + ":" + operationID)
}

// hashSpanID is the first 8 bytes of SHA-256(s), never all zero.
func hashSpanID(s string) trace.SpanID { return spanIDOf(sha256.Sum256([]byte(s))) }

// spanIDOf is the first 8 bytes of a digest, never all zero.
func spanIDOf(sum [sha256.Size]byte) trace.SpanID {
	var id trace.SpanID
	copy(id[:], sum[:8])
	if !id.IsValid() {
		id[7] = 1
	}
	return id
}

// wantedIDs asks idGenerator for given ids when a span starts; a zero
// field gets a random one.
type wantedIDs struct {
	trace trace.TraceID
	span  trace.SpanID
}

type wantedKey struct{}

// withIDs returns ctx asking for the ids in *w when a span starts under it;
// *w may change between starts (a run reuses one for all its spans).
func withIDs(ctx context.Context, w *wantedIDs) context.Context {
	return context.WithValue(ctx, wantedKey{}, w)
}

// wanted returns the ids ctx asks for (zero when none).
func wanted(ctx context.Context) wantedIDs {
	if w, _ := ctx.Value(wantedKey{}).(*wantedIDs); w != nil {
		return *w
	}
	return wantedIDs{}
}

// idGenerator is the provider's sdktrace.IDGenerator: the ids the context
// asks for (withIDs), else random ones.
type idGenerator struct{}

// NewIDs returns the trace and span id of a root span.
func (idGenerator) NewIDs(ctx context.Context) (trace.TraceID, trace.SpanID) {
	w := wanted(ctx)
	tid, sid := w.trace, w.span
	for !tid.IsValid() {
		binary.BigEndian.PutUint64(tid[:8], rand.Uint64())
		binary.BigEndian.PutUint64(tid[8:], rand.Uint64())
	}
	if !sid.IsValid() {
		sid = randomSpanID()
	}
	return tid, sid
}

// NewSpanID returns the id of a span in trace tid.
func (idGenerator) NewSpanID(ctx context.Context, _ trace.TraceID) trace.SpanID {
	if w := wanted(ctx); w.span.IsValid() {
		return w.span
	}
	return randomSpanID()
}

func randomSpanID() trace.SpanID {
	var id trace.SpanID
	for !id.IsValid() {
		binary.BigEndian.PutUint64(id[:], rand.Uint64())
	}
	return id
}
