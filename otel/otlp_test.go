package otel_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/otel"
)

// collector is an OTLP/HTTP trace receiver on loopback: it decodes each
// export request with the OpenTelemetry protobuf definitions.
type collector struct {
	mu       sync.Mutex
	requests []*coltracepb.ExportTraceServiceRequest
}

func (c *collector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/v1/traces" || r.Header.Get("Content-Type") != "application/x-protobuf" {
		http.Error(w, "want a protobuf POST to /v1/traces", http.StatusBadRequest)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	req := &coltracepb.ExportTraceServiceRequest{}
	if err := proto.Unmarshal(body, req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	c.mu.Lock()
	c.requests = append(c.requests, req)
	c.mu.Unlock()
	out, _ := proto.Marshal(&coltracepb.ExportTraceServiceResponse{})
	w.Header().Set("Content-Type", "application/x-protobuf")
	_, _ = w.Write(out)
}

// spans returns the names of the received spans, with the service name and
// ARN each carries.
func (c *collector) spans() (names []string, services, arns map[string]bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	services, arns = map[string]bool{}, map[string]bool{}
	for _, req := range c.requests {
		for _, rs := range req.ResourceSpans {
			for _, kv := range rs.GetResource().GetAttributes() {
				if kv.Key == "service.name" {
					services[kv.GetValue().GetStringValue()] = true
				}
			}
			for _, ss := range rs.ScopeSpans {
				for _, s := range ss.Spans {
					names = append(names, s.Name)
					for _, kv := range s.Attributes {
						if kv.Key == "durable.execution.arn" {
							arns[kv.GetValue().GetStringValue()] = true
						}
					}
				}
			}
		}
	}
	slices.Sort(names)
	return names, services, arns
}

// With no exporter given, spans leave as OTLP/HTTP to the endpoint of the
// standard environment variable, and have arrived when the invocation
// returns.
func TestOTLPExport(t *testing.T) {
	c := &collector{}
	srv := httptest.NewServer(c)
	defer srv.Close()
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", srv.URL)

	wf := func(ctx durable.Context, _ any) (string, error) {
		return durable.Step(ctx, "greet", func(durable.StepContext) (string, error) { return "hi", nil })
	}
	h := durable.NewHandler(wf, durable.WithPlugins(otel.InvocationView(otel.WithServiceName("otlp-test"))))
	r := durabletest.New(h)
	defer r.Close()
	res, err := r.Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != local.ExecutionSucceeded {
		t.Fatalf("status %s", res.Status)
	}
	names, services, arns := c.spans()
	want := []string{"Invocation", "Workflow", "greet", "greet attempt 1"}
	if !slices.Equal(names, want) {
		t.Errorf("received spans %q, want %q", names, want)
	}
	if len(services) != 1 || !services["otlp-test"] {
		t.Errorf("service names %v, want otlp-test", services)
	}
	if len(arns) != 1 || !arns[r.ExecutionARN()] {
		t.Errorf("execution ARNs %v, want %s", arns, r.ExecutionARN())
	}
}
