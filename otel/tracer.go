package otel

import (
	"context"
	"crypto/sha256"
	"log/slog"
	"time"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/lambda-durable/durable/logging"
)

// tracer is one installed plugin: the provider it owns, the view's rules and
// the settings. It keeps no per-invocation state; that lives in a run.
type tracer struct {
	view         view
	provider     *sdktrace.TracerProvider
	otel         trace.Tracer
	sampler      sdktrace.Sampler
	flushTimeout time.Duration
	// setupErr is why the provider could not be built (then nothing is
	// traced and InvocationStart reports it).
	setupErr error
}

// view is what differs between the invocation view and the execution view:
// where operation and attempt spans go and when they are exported.
type view interface {
	// handlerSpan is the span active in the workflow code between
	// operations.
	handlerSpan(r *run) trace.SpanContext
	// link is the link of every operation and attempt span.
	link(r *run) trace.Link
	operationStarted(r *run, op operation)
	operationEnded(r *run, op operation)
	// parent is the context a span under operation parentID starts in
	// (an attempt's, a child operation's; "" for a top-level operation).
	parent(r *run, parentID string) context.Context
	// closeOperations ends (or drops) the operation spans still open at
	// the invocation's end; open attempts are already ended.
	closeOperations(r *run, now time.Time)
}

// run is the tracer's state for one sampled invocation. The plugin package
// never runs two hooks of one installation at once, so it needs no lock.
//
// Spans start through the run (run.start): their parent contexts descend
// from base, which asks the id generator for the ids in want, and every
// operation and attempt span shares the start options in startOpts.
// Operation and attempt spans get their attributes when they end, all at
// once: the spans are exported only then, and one call costs less than two.
type run struct {
	t        *tracer
	inv      invocation
	workflow trace.SpanContext // deterministic, exported at the terminal invocation
	span     trace.Span        // Invocation

	want      wantedIDs       // ids the next span asks for
	base      context.Context // asks for want
	invCtx    context.Context // base under the Invocation span
	wfCtx     context.Context // base under the Workflow span
	startOpts []trace.SpanStartOption

	// ops is this invocation's latest span of each operation; open lists
	// those started here and not ended, in start order.
	ops  map[string]*opSpan
	open []*opSpan
	// attempts are the open attempt spans, by operation id.
	attempts map[string]*attemptSpan

	attrs []attribute.KeyValue // scratch for a span's attributes
	idBuf []byte               // scratch for a deterministic id's input

	opSlab   []opSpan       // room for new operation spans (newOpSpan)
	freeAtts []*attemptSpan // ended attempt spans, for reuse

	// traceHex is the log form of traceHexOf, the trace most spans share.
	traceHex   string
	traceHexOf trace.TraceID
}

// opSpan is an operation's span in one invocation.
type opSpan struct {
	span  trace.Span
	op    operation // as it started
	ended bool
	ctx   context.Context // base under span: the parent of its children
}

// attemptSpan is an open attempt's span.
type attemptSpan struct {
	span trace.Span
	a    attempt // as it started
}

type runKey struct{ t *tracer }

// runOf returns t's run of the invocation ctx belongs to (nil when the
// invocation is not traced).
func runOf(ctx context.Context, t *tracer) *run {
	r, _ := ctx.Value(runKey{t}).(*run)
	return r
}

// invocationStarted decides whether the invocation is traced, starts its
// Invocation span and returns the context of the workflow code.
func (t *tracer) invocationStarted(ctx context.Context, inv invocation) context.Context {
	if t.setupErr != nil {
		return ctx
	}
	wfTrace := workflowTraceID(inv.arn, inv.executionStart)
	// One decision per invocation, from the execution's trace id, so that
	// all the invocations of an execution are kept or dropped together.
	decision := t.sampler.ShouldSample(sdktrace.SamplingParameters{
		ParentContext: context.Background(), TraceID: wfTrace, Name: workflowSpanName, Kind: trace.SpanKindInternal,
	})
	if decision.Decision != sdktrace.RecordAndSample {
		return ctx
	}
	r := &run{
		t: t, inv: inv, ops: map[string]*opSpan{}, attempts: map[string]*attemptSpan{},
		workflow: trace.NewSpanContext(trace.SpanContextConfig{
			TraceID: wfTrace, SpanID: workflowSpanID(inv.arn), TraceFlags: trace.FlagsSampled,
		}),
	}
	r.base = withIDs(context.Background(), &r.want)
	r.wfCtx = trace.ContextWithSpanContext(r.base, r.workflow)
	start := inv.start
	if start.IsZero() {
		start = time.Now()
	}
	r.span = r.startRoot(ambientParent(ctx), wantedIDs{}, invocationSpanName, start,
		attribute.String(keyExecutionARN, inv.arn), attribute.Bool(keyInvocationFirst, inv.first))
	r.invCtx = trace.ContextWithSpan(r.base, r.span)
	r.startOpts = []trace.SpanStartOption{
		trace.WithSpanKind(trace.SpanKindInternal), trace.WithLinks(t.view.link(r)),
	}
	ctx = context.WithValue(ctx, runKey{t}, r)
	return r.withSpan(ctx, trace.SpanFromContext(trace.ContextWithSpanContext(ctx, t.view.handlerSpan(r))))
}

// invocationEnded ends everything still open, the Invocation span, the
// Workflow span when the execution ended, and flushes the provider before
// the invocation's response goes back to Lambda. Export errors are ignored.
func (t *tracer) invocationEnded(ctx context.Context, end invocationEnd) {
	r := runOf(ctx, t)
	if r == nil {
		return
	}
	now := time.Now()
	for id, as := range r.attempts {
		as.a.outcome = outcomeCancelled
		r.endAttempt(as, now)
		delete(r.attempts, id)
	}
	t.view.closeOperations(r, now)
	endInvocation(r.span, end)
	r.span.End(trace.WithTimestamp(now))
	if end.terminal() {
		start := r.inv.executionStart
		if start.IsZero() {
			start = r.inv.start
		}
		wf := r.startRoot(trace.SpanContext{}, wantedIDs{trace: r.workflow.TraceID(), span: r.workflow.SpanID()},
			workflowSpanName, start, attribute.String(keyExecutionARN, r.inv.arn))
		endWorkflow(wf, end)
		wf.End(trace.WithTimestamp(now))
	}
	flushCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), t.flushTimeout)
	defer cancel()
	_ = t.provider.ForceFlush(flushCtx)
}

// startRoot starts one of an invocation's own spans (Invocation, Workflow):
// kind INTERNAL, at the given time, child of parent (none when invalid),
// with the ids asked for in ids (random where zero) and attrs.
func (r *run) startRoot(parent trace.SpanContext, ids wantedIDs, name string, at time.Time, attrs ...attribute.KeyValue) trace.Span {
	ctx := r.base
	if parent.IsValid() {
		ctx = trace.ContextWithSpanContext(ctx, parent)
	}
	r.want = ids
	_, span := r.t.otel.Start(ctx, name, trace.WithTimestamp(at), trace.WithSpanKind(trace.SpanKindInternal),
		trace.WithAttributes(attrs...))
	r.want = wantedIDs{}
	return span
}

// start starts an operation or attempt span under the span of parent (a
// context descending from r.base), with the ids asked for in ids (random
// where zero), at the given time (now when zero). It returns the span and
// the context under it.
func (r *run) start(parent context.Context, ids wantedIDs, name string, at time.Time) (context.Context, trace.Span) {
	opts := r.startOpts
	if !at.IsZero() {
		opts = append(opts[:len(opts):len(opts)], trace.WithTimestamp(at))
	}
	r.want = ids
	ctx, span := r.t.otel.Start(parent, name, opts...)
	r.want = wantedIDs{}
	return ctx, span
}

// operationSpanID is operationSpanID(r.inv.arn, id), hashed without
// allocating.
func (r *run) operationSpanID(id string) trace.SpanID {
	r.idBuf = append(append(append(r.idBuf[:0], r.inv.arn...), ':'), id...)
	return spanIDOf(sha256.Sum256(r.idBuf))
}

// scope returns the context a run of user code receives: the attempt's span
// active for a step, the operation's span for a child context function.
func (r *run) scope(ctx context.Context, opID string, isContext bool) context.Context {
	var span trace.Span
	if isContext {
		if s := r.ops[opID]; s != nil {
			span = s.span
		}
	} else if as := r.attempts[opID]; as != nil {
		span = as.span
	}
	if span == nil {
		return ctx
	}
	return r.withSpan(ctx, span)
}

// withSpan makes span the active span of ctx and adds its ids to the
// records the SDK's loggers write under ctx.
func (r *run) withSpan(ctx context.Context, span trace.Span) context.Context {
	sc := span.SpanContext()
	if tid := sc.TraceID(); tid != r.traceHexOf || r.traceHex == "" {
		r.traceHex, r.traceHexOf = tid.String(), tid
	}
	ctx = trace.ContextWithSpan(ctx, span)
	return logging.ContextWithAttrs(ctx,
		slog.String(logTraceID, r.traceHex),
		slog.String(logSpanID, sc.SpanID().String()),
		slog.Bool(logSampled, sc.IsSampled()))
}

// startOperation records an operation span started in this invocation, and
// the context under it.
func (r *run) startOperation(op operation, ctx context.Context, span trace.Span) {
	s := r.newOpSpan(op, ctx, span)
	r.open = append(r.open, s)
}

// newOpSpan records operation op's span in this invocation. Spans come
// from slabs, so that an operation rarely allocates here.
func (r *run) newOpSpan(op operation, ctx context.Context, span trace.Span) *opSpan {
	if len(r.opSlab) == cap(r.opSlab) {
		r.opSlab = make([]opSpan, 0, opSpanSlab)
	}
	r.opSlab = append(r.opSlab, opSpan{span: span, op: op, ctx: ctx})
	s := &r.opSlab[len(r.opSlab)-1]
	r.ops[op.id] = s
	return s
}

// opSpanSlab is how many operation spans one allocation holds.
const opSpanSlab = 32

// openOperation returns operation id's span started in this invocation and
// not ended yet, or nil.
func (r *run) openOperation(id string) *opSpan {
	if s := r.ops[id]; s != nil && !s.ended {
		return s
	}
	return nil
}

// endOperation sets span's attributes for op, ending with status, and ends
// it at the given time (now when zero).
func (r *run) endOperation(span trace.Span, op operation, at time.Time) {
	r.attrs = operationAttrs(r.attrs[:0], r.inv.arn, op)
	span.SetAttributes(r.attrs...)
	setOperationStatus(span, op)
	endAt(span, at)
}

// attemptStarted opens a's span.
func (r *run) attemptStarted(a attempt) {
	_, span := r.start(r.t.view.parent(r, a.op.id), wantedIDs{}, attemptName(a), time.Time{})
	var as *attemptSpan
	if n := len(r.freeAtts); n > 0 {
		as, r.freeAtts = r.freeAtts[n-1], r.freeAtts[:n-1]
	} else {
		as = new(attemptSpan)
	}
	*as = attemptSpan{span: span, a: a}
	r.attempts[a.op.id] = as
}

// attemptEnded ends a's open span with a's outcome.
func (r *run) attemptEnded(a attempt) {
	as := r.attempts[a.op.id]
	if as == nil {
		return
	}
	delete(r.attempts, a.op.id)
	as.a.outcome, as.a.err = a.outcome, a.err
	r.endAttempt(as, time.Time{})
	*as = attemptSpan{}
	r.freeAtts = append(r.freeAtts, as)
}

// endAttempt sets an attempt span's attributes and status and ends it at the
// given time (now when zero).
func (r *run) endAttempt(as *attemptSpan, at time.Time) {
	r.attrs = attemptAttrs(r.attrs[:0], r.inv.arn, as.a)
	as.span.SetAttributes(r.attrs...)
	setAttemptStatus(as.span, as.a)
	endAt(as.span, at)
}

// endAt ends span at the given time, now when zero.
func endAt(span trace.Span, at time.Time) {
	if at.IsZero() {
		span.End()
		return
	}
	span.End(trace.WithTimestamp(at))
}
