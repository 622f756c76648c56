package otel

import (
	"context"
	"testing"
	"time"

	"go.opentelemetry.io/otel/trace"
)

func TestDeterministicIDs(t *testing.T) {
	const arn = "arn:aws:lambda:us-east-1:123456789012:function:f/durable-execution/e/1"
	start := time.Unix(0x6543210F, 0)
	tid := workflowTraceID(arn, start)
	if got := tid.String()[:8]; got != "6543210f" {
		t.Errorf("trace id %s does not begin with the start's seconds", tid)
	}
	if tid != workflowTraceID(arn, start) || tid == workflowTraceID(arn+"x", start) || tid == workflowTraceID(arn, start.Add(time.Second)) {
		t.Error("the Workflow trace id is not a function of the ARN and the start")
	}
	if workflowSpanID(arn) == operationSpanID(arn, "1") || operationSpanID(arn, "1") == operationSpanID(arn, "2") {
		t.Error("span ids collide")
	}
	if operationSpanID(arn, "1") != operationSpanID(arn, "1") || !operationSpanID(arn, "1").IsValid() {
		t.Error("operation span ids are not stable and valid")
	}
	r := &run{inv: invocation{arn: arn}}
	for _, id := range []string{"1", "2", "c4ca4238a0b92382"} {
		if got, want := r.operationSpanID(id), operationSpanID(arn, id); got != want {
			t.Errorf("run.operationSpanID(%q) = %s, want %s", id, got, want)
		}
	}
}

func TestIDGenerator(t *testing.T) {
	var g idGenerator
	want := wantedIDs{trace: trace.TraceID{1}, span: trace.SpanID{2}}
	tid, sid := g.NewIDs(withIDs(context.Background(), &want))
	if tid != want.trace || sid != want.span {
		t.Errorf("NewIDs = %s %s, want the asked ids", tid, sid)
	}
	if sid := g.NewSpanID(withIDs(context.Background(), &want), tid); sid != want.span {
		t.Errorf("NewSpanID = %s, want %s", sid, want.span)
	}
	a, b := g.NewSpanID(context.Background(), tid), g.NewSpanID(context.Background(), tid)
	if !a.IsValid() || a == b {
		t.Errorf("random span ids %s %s", a, b)
	}
	if tid, _ := g.NewIDs(context.Background()); !tid.IsValid() {
		t.Error("random trace id is invalid")
	}
}

func TestParseXRayHeader(t *testing.T) {
	sc := parseXRayHeader("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995C3F42CD8AD8;Sampled=1")
	if sc.TraceID().String() != "5759e988bd862e3fe1be46a994272793" || sc.SpanID().String() != "53995c3f42cd8ad8" ||
		!sc.IsSampled() || !sc.IsRemote() {
		t.Errorf("parsed %v", sc)
	}
	for _, bad := range []string{"", "Root=1-5759e988-bd862e3fe1be46a994272793", "Root=2-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8",
		"Root=1-5759e988-zz862e3fe1be46a994272793;Parent=53995c3f42cd8ad8", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=123"} {
		if sc := parseXRayHeader(bad); sc.IsValid() {
			t.Errorf("%q parsed as %v", bad, sc)
		}
	}
	if sc := parseXRayHeader("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0"); !sc.IsValid() || sc.IsSampled() {
		t.Errorf("Sampled=0 parsed as %v", sc)
	}
}
