package httpapi

import (
	"net/http"
	"slices"
	"testing"
)

func TestSplitPathKeepsEscapedSlashes(t *testing.T) {
	arn := "arn:aws:lambda:us-east-1:123456789012:function:fn:$LATEST/durable-execution/n/id"
	escaped := "/2025-12-01/durable-executions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Afn%3A%24LATEST%2Fdurable-execution%2Fn%2Fid/checkpoint"
	segs, err := splitPath(escaped)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"2025-12-01", "durable-executions", arn, "checkpoint"}
	if !slices.Equal(segs, want) {
		t.Fatalf("segments = %q, want %q", segs, want)
	}
	rt, labels, ok := lookup(newRoutes(), http.MethodPost, segs)
	if !ok || rt.op != "CheckpointDurableExecution" || !slices.Equal(labels, []string{arn}) {
		t.Fatalf("lookup = %v %q %v", rt, labels, ok)
	}
}

func TestSplitPathRejectsBadEscapes(t *testing.T) {
	if _, err := splitPath("/2025-12-01/durable-executions/%zz"); err == nil {
		t.Fatal("want an error for a malformed escape")
	}
}

func TestLookup(t *testing.T) {
	routes := newRoutes()
	tests := []struct {
		method, path string
		op           string
		ok           bool
	}{
		{"GET", "/2025-12-01/durable-executions/a", "GetDurableExecution", true},
		{"GET", "/2025-12-01/durable-executions/a/state", "GetDurableExecutionState", true},
		{"GET", "/2025-12-01/durable-executions/a/history", "GetDurableExecutionHistory", true},
		{"POST", "/2025-12-01/durable-executions/a/stop", "StopDurableExecution", true},
		{"GET", "/2025-12-01/functions/f/durable-executions", "ListDurableExecutionsByFunction", true},
		{"POST", "/2025-12-01/durable-execution-callbacks/c/succeed", "SendDurableExecutionCallbackSuccess", true},
		{"POST", "/2025-12-01/durable-execution-callbacks/c/fail", "SendDurableExecutionCallbackFailure", true},
		{"POST", "/2025-12-01/durable-execution-callbacks/c/heartbeat", "SendDurableExecutionCallbackHeartbeat", true},
		{"POST", "/2015-03-31/functions/f/invocations", "Invoke", true},
		{"DELETE", "/2025-12-01/durable-executions/a", "GetDurableExecution", false}, // wrong method
		{"GET", "/2025-12-01/durable-executions//state", "", false},                  // empty label
		{"GET", "/2025-12-01/nothing", "", false},
		{"GET", "/", "", false},
	}
	for _, tt := range tests {
		segs, err := splitPath(tt.path)
		if err != nil {
			t.Fatal(err)
		}
		rt, _, ok := lookup(routes, tt.method, segs)
		op := ""
		if rt != nil {
			op = rt.op
		}
		if op != tt.op || ok != tt.ok {
			t.Errorf("%s %s: got (%q, %v), want (%q, %v)", tt.method, tt.path, op, ok, tt.op, tt.ok)
		}
	}
}
