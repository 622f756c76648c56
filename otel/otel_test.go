package otel_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/otel"
	"github.com/lambda-durable/durable/plugin"
	"github.com/lambda-durable/durable/retry"
)

// stepWaitStep is a step, a one-second wait (two invocations), a step that
// fails once and is retried, logging inside each step.
func stepWaitStep(ctx durable.Context, _ any) (string, error) {
	a, err := durable.Step(ctx, "first", func(sc durable.StepContext) (string, error) {
		sc.Logger().Info("in first")
		return "a", nil
	})
	if err != nil {
		return "", err
	}
	if err := durable.Wait(ctx, "pause", time.Second); err != nil {
		return "", err
	}
	b, err := durable.Step(ctx, "second", func(sc durable.StepContext) (string, error) {
		if sc.Attempt() == 1 {
			return "", errors.New("flaky")
		}
		return "b", nil
	}, durable.WithRetry(retry.Fixed(3, time.Second)))
	return a + b, err
}

// runTraced runs wf to its end with p installed and returns the exported
// spans and the log records.
func runTraced(t *testing.T, wf func(durable.Context, any) (string, error), view func(...otel.Option) plugin.Plugin, opts ...otel.Option) (tracetest.SpanStubs, []map[string]any, string) {
	t.Helper()
	var logs bytes.Buffer
	exp := tracetest.NewInMemoryExporter()
	h := durable.NewHandler(wf, durable.WithPlugins(view(append(opts, otel.WithExporter(exp))...)), durable.WithLogHandler(slog.NewJSONHandler(&logs, nil)))
	r := durabletest.New(h)
	t.Cleanup(func() { _ = r.Close() })
	res, err := r.Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != local.ExecutionSucceeded {
		t.Fatalf("execution %s", res.Status)
	}
	var records []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatal(err)
		}
		records = append(records, rec)
	}
	return exp.GetSpans(), records, r.ExecutionARN()
}

func attr(s tracetest.SpanStub, key string) attribute.Value {
	for _, kv := range s.Attributes {
		if string(kv.Key) == key {
			return kv.Value
		}
	}
	return attribute.Value{}
}

func find(t *testing.T, spans tracetest.SpanStubs, name string, status string) tracetest.SpanStub {
	t.Helper()
	for _, s := range spans {
		if s.Name == name && (status == "" || attr(s, "durable.operation.status").AsString() == status ||
			attr(s, "durable.invocation.status").AsString() == status) {
			return s
		}
	}
	t.Fatalf("no span %q (status %q) among %s", name, status, names(spans))
	return tracetest.SpanStub{}
}

func names(spans tracetest.SpanStubs) string {
	var out []string
	for _, s := range spans {
		out = append(out, s.Name+"/"+attr(s, "durable.operation.status").AsString()+attr(s, "durable.invocation.status").AsString())
	}
	return strings.Join(out, ", ")
}

func TestInvocationView(t *testing.T) {
	spans, records, arn := runTraced(t, stepWaitStep, otel.InvocationView)
	// Workflow, 3 Invocations (step+wait, wait resumes + failed attempt,
	// retry), first (1 op + 1 attempt), pause (STARTED + continuation),
	// second (2 segments, 2 attempts).
	if len(spans) != 12 {
		t.Fatalf("%d spans: %s", len(spans), names(spans))
	}
	wf := find(t, spans, "Workflow", "")
	if wf.Parent.IsValid() || len(wf.Links) != 0 || wf.Status.Code != codes.Ok {
		t.Errorf("Workflow: parent %v links %v status %v", wf.Parent, wf.Links, wf.Status)
	}
	inv1 := find(t, spans, "Invocation", "PENDING")
	first := find(t, spans, "first", "SUCCEEDED")
	if first.Parent.SpanID() != inv1.SpanContext.SpanID() || first.SpanContext.TraceID() != inv1.SpanContext.TraceID() {
		t.Errorf("first is not a child of the first Invocation")
	}
	if len(first.Links) != 1 || first.Links[0].SpanContext.SpanID() != wf.SpanContext.SpanID() ||
		first.Links[0].SpanContext.TraceID() != wf.SpanContext.TraceID() {
		t.Errorf("first links %v, want the Workflow", first.Links)
	}
	if got := attr(first, "durable.attempt.number").AsInt64(); got != 1 {
		t.Errorf("first attempt.number %d", got)
	}
	attempt := find(t, spans, "first attempt 1", "")
	if attempt.Parent.SpanID() != first.SpanContext.SpanID() || attr(attempt, "durable.attempt.outcome").AsString() != "SUCCEEDED" {
		t.Errorf("first attempt 1: parent %v outcome %v", attempt.Parent, attr(attempt, "durable.attempt.outcome"))
	}
	started := find(t, spans, "pause", "STARTED")
	if started.Status.Code != codes.Unset || started.Parent.SpanID() != inv1.SpanContext.SpanID() {
		t.Errorf("pause STARTED segment: status %v parent %v", started.Status, started.Parent)
	}
	done := find(t, spans, "pause", "SUCCEEDED")
	if done.Parent.SpanID() == inv1.SpanContext.SpanID() || done.StartTime != done.EndTime {
		t.Errorf("pause continuation: parent %v, %v..%v", done.Parent, done.StartTime, done.EndTime)
	}
	failed := find(t, spans, "second attempt 1", "")
	if failed.Status.Code != codes.Error || failed.Status.Description != "flaky" {
		t.Errorf("second attempt 1 status %v", failed.Status)
	}
	second := find(t, spans, "second", "SUCCEEDED")
	if got := attr(second, "durable.attempt.number").AsInt64(); got != 2 {
		t.Errorf("second attempt.number %d", got)
	}
	if attr(second, "durable.execution.arn").AsString() != arn {
		t.Errorf("second has arn %v", attr(second, "durable.execution.arn"))
	}
	// The step's record carries the attempt span's ids.
	for _, rec := range records {
		if rec["msg"] == "in first" {
			if rec["traceId"] != attempt.SpanContext.TraceID().String() || rec["spanId"] != attempt.SpanContext.SpanID().String() || rec["otelTraceSampled"] != true {
				t.Errorf("log record %v, want the ids of span %v", rec, attempt.SpanContext)
			}
			return
		}
	}
	t.Errorf("no record 'in first' in %v", records)
}

func TestExecutionView(t *testing.T) {
	spans, _, _ := runTraced(t, stepWaitStep, otel.ExecutionView)
	// Workflow, 3 Invocations, one span per operation, 3 attempts.
	if len(spans) != 10 {
		t.Fatalf("%d spans: %s", len(spans), names(spans))
	}
	wf := find(t, spans, "Workflow", "")
	invs := map[trace.SpanID]string{}
	for _, s := range spans {
		if s.Name == "Invocation" {
			invs[s.SpanContext.SpanID()] = attr(s, "durable.invocation.status").AsString()
		}
	}
	for _, name := range []string{"first", "pause", "second"} {
		op := find(t, spans, name, "")
		if op.Parent.SpanID() != wf.SpanContext.SpanID() || op.SpanContext.TraceID() != wf.SpanContext.TraceID() {
			t.Errorf("%s is not a child of the Workflow", name)
		}
		if len(op.Links) != 1 || invs[op.Links[0].SpanContext.SpanID()] == "" {
			t.Errorf("%s links %v, want an Invocation", name, op.Links)
		}
	}
	// pause completed in the second invocation (status not PENDING... the
	// second invocation also suspends for the retry).
	second := find(t, spans, "second", "")
	if invs[second.Links[0].SpanContext.SpanID()] != "SUCCEEDED" {
		t.Errorf("second links to the %s invocation, want SUCCEEDED", invs[second.Links[0].SpanContext.SpanID()])
	}
	retried := find(t, spans, "second attempt 2", "")
	if retried.Parent.SpanID() != second.SpanContext.SpanID() {
		t.Errorf("second attempt 2 parent %v, want %v", retried.Parent.SpanID(), second.SpanContext.SpanID())
	}
}

// Identical executions give identical Workflow and operation ids; the ratio
// 0 exports nothing.
func TestSampling(t *testing.T) {
	spans, _, _ := runTraced(t, stepWaitStep, otel.InvocationView, otel.WithSamplingRatio(0))
	if len(spans) != 0 {
		t.Errorf("ratio 0 exported %s", names(spans))
	}
}
