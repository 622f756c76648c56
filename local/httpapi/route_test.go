package httpapi

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/lambda-durable/durable/local"
)

// newTestHandler returns the handler of a service with no function.
func newTestHandler(t testing.TB) *handler {
	svc := local.New()
	t.Cleanup(func() { _ = svc.Close() })
	return NewHandler(svc).(*handler)
}

func TestRouteKeepsEscapedSlashesInLabels(t *testing.T) {
	arn := "arn:aws:lambda:us-east-1:123456789012:function:fn:$LATEST/durable-execution/n/id"
	escaped := "/2025-12-01/durable-executions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Afn%3A%24LATEST%2Fdurable-execution%2Fn%2Fid/checkpoint"
	h := newTestHandler(t)
	r := httptest.NewRequest(http.MethodPost, escaped, nil)
	rt := h.match(r, http.MethodPost)
	if rt == nil || rt.op != "CheckpointDurableExecution" {
		t.Fatalf("match = %+v", rt)
	}
	// ServeMux hands over the label unescaped, "/" and all.
	_, pattern := h.mux.Handler(r)
	if pattern != rt.pattern() {
		t.Fatalf("pattern %q", pattern)
	}
	h.mux.ServeHTTP(httptest.NewRecorder(), r) // sets the path values
	if got := r.PathValue("arn"); got != arn {
		t.Fatalf("label = %q, want %q", got, arn)
	}
}

func TestCheckPath(t *testing.T) {
	tests := []struct {
		path     string
		notFound bool
		bad      bool
	}{
		{"/2025-12-01/durable-executions/a%2Fb/state", false, false},
		{"/", false, false},
		{"/2025-12-01/durable-executions/%zz", false, true},
		{"/2025-12-01/durable-executions/a%2", false, true},
		{"/2025-12-01/durable-executions//state", true, false},
		{"/2025-12-01/durable-executions/../state", true, false},
		{"/2025-12-01/durable-executions/./state", true, false},
		{"/2025-12-01/durable-executions/a/", true, false},
		{"no-slash", true, false},
	}
	for _, tt := range tests {
		notFound, err := checkPath(tt.path)
		if notFound != tt.notFound || (err != nil) != tt.bad {
			t.Errorf("checkPath(%q) = %v, %v; want notFound %v, bad %v", tt.path, notFound, err, tt.notFound, tt.bad)
		}
	}
}

func TestRoutes(t *testing.T) {
	h := newTestHandler(t)
	tests := []struct {
		method, path string
		op           string // the operation that serves the path with this method, if any
		status       int    // the answer when no operation does
	}{
		{"GET", "/2025-12-01/durable-executions/a", "GetDurableExecution", 0},
		{"GET", "/2025-12-01/durable-executions/a/state", "GetDurableExecutionState", 0},
		{"GET", "/2025-12-01/durable-executions/a/history", "GetDurableExecutionHistory", 0},
		{"POST", "/2025-12-01/durable-executions/a/stop", "StopDurableExecution", 0},
		{"POST", "/2025-12-01/durable-executions/a/checkpoint", "CheckpointDurableExecution", 0},
		{"GET", "/2025-12-01/functions/f/durable-executions", "ListDurableExecutionsByFunction", 0},
		{"POST", "/2025-12-01/durable-execution-callbacks/c/succeed", "SendDurableExecutionCallbackSuccess", 0},
		{"POST", "/2025-12-01/durable-execution-callbacks/c/fail", "SendDurableExecutionCallbackFailure", 0},
		{"POST", "/2025-12-01/durable-execution-callbacks/c/heartbeat", "SendDurableExecutionCallbackHeartbeat", 0},
		{"POST", "/2015-03-31/functions/f/invocations", "Invoke", 0},
		{"DELETE", "/2025-12-01/durable-executions/a", "", 405},
		{"GET", "/2025-12-01/durable-executions/a/stop", "", 405},
		{"GET", "/2025-12-01/durable-executions//state", "", 404},
		{"GET", "/2025-12-01/nothing", "", 404},
		{"GET", "/", "", 404},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(tt.method, tt.path, nil)
		op := ""
		if rt := h.match(r, tt.method); rt != nil {
			op = rt.op
		}
		if op != tt.op {
			t.Errorf("%s %s: served by %q, want %q", tt.method, tt.path, op, tt.op)
		}
		if tt.status == 0 {
			continue
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		want := map[int]string{404: codeUnknownOperation, 405: codeMethodNotAllowed}[tt.status]
		if rec.Code != tt.status || rec.Header().Get(headerErrorType) != want {
			t.Errorf("%s %s: %d %q, want %d %s", tt.method, tt.path, rec.Code, rec.Header().Get(headerErrorType), tt.status, want)
		}
		if tt.status == 405 && rec.Header().Get("Allow") == "" {
			t.Errorf("%s %s: 405 without Allow", tt.method, tt.path)
		}
	}
}
