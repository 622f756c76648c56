package otel

import (
	"context"
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
	operationStarted(r *run, op operation)
	operationEnded(r *run, op operation)
	attemptStarted(r *run, a attempt)
	attemptEnded(r *run, a attempt)
	// closeOperations ends (or drops) the operation spans still open at
	// the invocation's end; open attempts are already ended.
	closeOperations(r *run, now time.Time)
}

// run is the tracer's state for one sampled invocation. The plugin package
// never runs two hooks of one installation at once, so it needs no lock.
type run struct {
	t        *tracer
	inv      invocation
	workflow trace.SpanContext // deterministic, exported at the terminal invocation
	span     trace.Span        // Invocation
	// ops is this invocation's latest span of each operation; open lists
	// those started here and not ended, in start order.
	ops  map[string]*opSpan
	open []*opSpan
	// attempts are the open attempt spans, by operation id.
	attempts map[string]trace.Span
}

// opSpan is an operation's span in one invocation.
type opSpan struct {
	span  trace.Span
	ended bool
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
		t: t, inv: inv, ops: map[string]*opSpan{}, attempts: map[string]trace.Span{},
		workflow: trace.NewSpanContext(trace.SpanContextConfig{
			TraceID: wfTrace, SpanID: workflowSpanID(inv.arn), TraceFlags: trace.FlagsSampled,
		}),
	}
	start := inv.start
	if start.IsZero() {
		start = time.Now()
	}
	r.span = t.start(ambientParent(ctx), wantedIDs{}, invocationSpanName, start, []attribute.KeyValue{
		attribute.String(keyExecutionARN, inv.arn), attribute.Bool(keyInvocationFirst, inv.first),
	})
	ctx = context.WithValue(ctx, runKey{t}, r)
	return withSpan(ctx, trace.SpanFromContext(trace.ContextWithSpanContext(ctx, t.view.handlerSpan(r))))
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
	for id, span := range r.attempts {
		span.SetAttributes(attribute.String(keyAttemptOutcome, outcomeCancelled))
		span.End(trace.WithTimestamp(now))
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
		wf := t.start(trace.SpanContext{}, wantedIDs{trace: r.workflow.TraceID(), span: r.workflow.SpanID()},
			workflowSpanName, start, []attribute.KeyValue{attribute.String(keyExecutionARN, r.inv.arn)})
		endWorkflow(wf, end)
		wf.End(trace.WithTimestamp(now))
	}
	flushCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), t.flushTimeout)
	defer cancel()
	_ = t.provider.ForceFlush(flushCtx)
}

// start starts a span of kind INTERNAL at the given time, child of parent
// (none when invalid), with the ids asked for in ids (random when zero).
func (t *tracer) start(parent trace.SpanContext, ids wantedIDs, name string, at time.Time, attrs []attribute.KeyValue, links ...trace.Link) trace.Span {
	ctx := context.Background()
	if parent.IsValid() {
		ctx = trace.ContextWithSpanContext(ctx, parent)
	}
	if ids != (wantedIDs{}) {
		ctx = withIDs(ctx, ids)
	}
	_, span := t.otel.Start(ctx, name, trace.WithTimestamp(at), trace.WithSpanKind(trace.SpanKindInternal),
		trace.WithAttributes(attrs...), trace.WithLinks(links...))
	return span
}

// scope returns the context a run of user code receives: the attempt's span
// active for a step, the operation's span for a child context function.
func (r *run) scope(ctx context.Context, opID string, isContext bool) context.Context {
	var span trace.Span
	if isContext {
		if s := r.ops[opID]; s != nil {
			span = s.span
		}
	} else {
		span = r.attempts[opID]
	}
	if span == nil {
		return ctx
	}
	return withSpan(ctx, span)
}

// withSpan makes span the active span of ctx and adds its ids to the
// records the SDK's loggers write under ctx.
func withSpan(ctx context.Context, span trace.Span) context.Context {
	sc := span.SpanContext()
	ctx = trace.ContextWithSpan(ctx, span)
	return logging.ContextWithAttrs(ctx,
		slog.String(logTraceID, sc.TraceID().String()),
		slog.String(logSpanID, sc.SpanID().String()),
		slog.Bool(logSampled, sc.IsSampled()))
}

// startOperation records an operation span started in this invocation.
func (r *run) startOperation(id string, span trace.Span) {
	s := &opSpan{span: span}
	r.ops[id] = s
	r.open = append(r.open, s)
}

// openOperation returns operation id's span started in this invocation and
// not ended yet, or nil.
func (r *run) openOperation(id string) *opSpan {
	if s := r.ops[id]; s != nil && !s.ended {
		return s
	}
	return nil
}

// endAttempt ends a's open span.
func (r *run) endAttempt(a attempt) {
	span := r.attempts[a.op.id]
	if span == nil {
		return
	}
	delete(r.attempts, a.op.id)
	endAttempt(span, a)
	span.End()
}
