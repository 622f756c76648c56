package conformance

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/conformance/handlers"
	"github.com/lambda-durable/durable/conformance/harness"
	"github.com/lambda-durable/durable/conformance/match"
	"github.com/lambda-durable/durable/conformance/runner"
	"github.com/lambda-durable/durable/conformance/spec"
	"github.com/lambda-durable/durable/conformance/telemetry"
	"github.com/lambda-durable/durable/otel"
	"github.com/lambda-durable/durable/plugin"
)

const (
	testdataOTel      = "testdata-otel"
	knownFailuresOTel = "known_failures_otel.txt"
	// otelServiceName is the service name the plugins are configured with
	// (the runner's default in AWS's suite).
	otelServiceName = "durable-execution-conformance"
	// longDelaySeconds is the delay the long-running suite runs with in
	// AWS's CI: 23 hours, passed on the virtual clock.
	longDelaySeconds = "82800"
)

// The two plugins, by the name of the view (the long-running suite's OtelView).
var otelViews = map[string]func(...otel.Option) plugin.Plugin{
	"invocation": otel.InvocationView,
	"execution":  otel.ExecutionView,
}

// TestConformanceOTel runs every OpenTelemetry requirement file as
// TestConformanceOTel/<suite>/<id>: the scenario's handler with the suite's
// plugin exporting to an in-memory exporter, on the local service; the
// history, result and telemetry are checked. The long-running files hold
// both views and run once per view (<id>/invocation, <id>/execution).
func TestConformanceOTel(t *testing.T) {
	files, err := spec.Discover(testdataOTel)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no requirement files under %s", testdataOTel)
	}
	known, err := readKnownFailures(knownFailuresOTel, files)
	if err != nil {
		t.Fatal(err)
	}
	for _, suite := range suites(files) {
		t.Run(suite[0].Suite, func(t *testing.T) {
			t.Parallel()
			for _, f := range suite {
				t.Run(f.ID, func(t *testing.T) {
					t.Parallel()
					var errs []error
					switch f.Suite {
					case "otel-invocation":
						errs = checkOTel(t, f, "invocation", "TelemetryAssertions")
					case "otel-execution":
						errs = checkOTel(t, f, "execution", "TelemetryAssertions")
					case "otel-long-running":
						for _, view := range []string{"invocation", "execution"} {
							key := map[string]string{"invocation": "TelemetryAssertions", "execution": "ExecutionTelemetryAssertions"}[view]
							for _, err := range checkOTel(t, f, view, key) {
								errs = append(errs, fmt.Errorf("%s view: %w", view, err))
							}
						}
					default:
						errs = []error{fmt.Errorf("unknown suite %s", f.Suite)}
					}
					reason, listed := known[f.ID]
					switch {
					case listed && len(errs) == 0:
						t.Errorf("%s is listed in %s (%s) but passes: remove it", f.ID, knownFailuresOTel, reason)
					case listed:
						t.Skipf("known failure (%s): %v", reason, errs[0])
					default:
						for _, err := range errs {
							t.Error(err)
						}
					}
				})
			}
		})
	}
}

// checkOTel runs requirement f with the plugin of view and returns every
// failure: the history, result and log checks of the ordinary harness, then
// the telemetry assertions under key.
func checkOTel(t *testing.T, f spec.File, view, key string) []error {
	req, err := loadOTel(f)
	if err != nil {
		return []error{err}
	}
	assertions, ok := req.Extra[key].(map[string]any)
	if !ok {
		return []error{fmt.Errorf("%s has no %s mapping", f.Path, key)}
	}
	in, _ := req.Input.(map[string]any)
	scenario, _ := in["scenario"].(string)
	exporter := tracetest.NewInMemoryExporter()
	tracing := durable.WithPlugins(otelViews[view](otel.WithExporter(exporter), otel.WithServiceName(otelServiceName)))
	factory, err := handlers.OTel(scenario, tracing)
	if err != nil {
		return []error{err}
	}
	h := &harness.Harness{Runner: runner.Local{}, Timeout: *runTimeout}
	out := h.Run(t.Context(), req, factory)
	errs := out.Errs
	if out.Observation == nil {
		return errs
	}
	vars, err := otelVars(req, out.Observation)
	if err != nil {
		return append(errs, err)
	}
	spans := telemetry.FromStubs(exporter.GetSpans())
	errs = append(errs, telemetry.Check(assertions, spans, vars)...)
	if len(errs) > 0 && testing.Verbose() {
		for _, s := range spans {
			t.Logf("%s view: span %s/%s parent=%s %q %s %s..%s links=%v attrs=%v", view, s.TraceID, s.SpanID, s.ParentSpanID,
				s.Name, s.Status, s.Start.Format(time.StampMicro), s.End.Format(time.StampMicro), s.Links, s.Attributes)
		}
	}
	return errs
}

// loadOTel loads and resolves f, with the long-running delay at its real
// value.
func loadOTel(f spec.File) (*spec.Requirement, error) {
	req, err := f.Load()
	if err != nil {
		return nil, err
	}
	for i, v := range req.Variables {
		if v.Name == "LONG_DELAY_SECONDS" {
			req.Variables[i].Value = longDelaySeconds
		}
	}
	return req.Resolve(1)
}

// otelVars binds the telemetry placeholders: EXECUTION_ARN, SERVICE_NAME
// and every name the expected history binds.
func otelVars(req *spec.Requirement, obs *harness.Observation) (map[string]string, error) {
	b := match.Bindings{}
	if err := match.History(req.ExpectedExecutionHistory, obs.History, b); err != nil {
		return nil, errors.New("the history did not match, so its placeholders are unbound")
	}
	vars := map[string]string{"EXECUTION_ARN": obs.ExecutionARN, "SERVICE_NAME": otelServiceName}
	for name := range b {
		if text, ok := b.Text(name); ok {
			vars[name] = text
		}
	}
	return vars, nil
}
