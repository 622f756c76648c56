package otel

import (
	"context"
	"os"
	"strconv"
	"time"

	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.37.0"

	"github.com/lambda-durable/durable/plugin"
)

// InstrumentationName is the name of the tracer the plugins create spans
// with (the instrumentation scope).
const InstrumentationName = "github.com/lambda-durable/durable/otel"

// SamplingRatioEnv is the environment variable read for the sampling ratio
// when WithSamplingRatio is not given: a number from 0 to 1 (anything else
// samples everything).
const SamplingRatioEnv = "OTEL_DURABLE_SAMPLING_RATIO"

// DefaultFlushTimeout bounds the export at the end of each invocation.
const DefaultFlushTimeout = 5 * time.Second

// InvocationView returns the plugin that traces each Lambda invocation as
// one tree: an Invocation span, the operations the invocation touched under
// it and their attempts under them; every one links to the execution's
// Workflow span, exported when the execution ends. Spans appear as the
// execution runs; choose it for long executions. Install it with
// durable.WithPlugins.
func InvocationView(opts ...Option) plugin.Plugin {
	return newTracer(invocationView{}, opts).hooks("otel-invocation-view")
}

// ExecutionView returns the plugin that traces each execution as one tree:
// the Workflow span, its operations (each exported once, when it completes,
// linked to the Invocation span that completed it) and their attempts.
// Nothing of an operation is visible before it completes; choose it for
// short executions. Install it with durable.WithPlugins.
func ExecutionView(opts ...Option) plugin.Plugin {
	return newTracer(executionView{}, opts).hooks("otel-execution-view")
}

// Option configures InvocationView and ExecutionView.
// Like the SDK's options, it is an interface with an unexported method:
// only this package makes one.
type Option interface{ apply(*config) }

// optionFunc adapts a function to Option.
type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	exporter     sdktrace.SpanExporter
	serviceName  string
	ratio        *float64
	flushTimeout time.Duration
}

// WithExporter exports spans with e instead of the default OTLP/HTTP
// exporter (which the standard OTEL_EXPORTER_OTLP_* variables configure;
// its default endpoint is http://localhost:4318).
func WithExporter(e sdktrace.SpanExporter) Option {
	return optionFunc(func(c *config) { c.exporter = e })
}

// WithServiceName sets the resource's service.name (default: the
// OTEL_SERVICE_NAME variable, else OpenTelemetry's default).
func WithServiceName(name string) Option { return optionFunc(func(c *config) { c.serviceName = name }) }

// WithSamplingRatio keeps this fraction of executions (0 to 1; default: the
// OTEL_DURABLE_SAMPLING_RATIO variable, else 1). The decision is taken from
// the execution's deterministic trace id, so all its invocations are kept
// or dropped together.
func WithSamplingRatio(ratio float64) Option { return optionFunc(func(c *config) { c.ratio = &ratio }) }

// WithFlushTimeout bounds the export at the end of each invocation (default
// DefaultFlushTimeout).
func WithFlushTimeout(d time.Duration) Option {
	return optionFunc(func(c *config) { c.flushTimeout = d })
}

// newTracer builds the provider the plugin owns: the exporter behind a batch
// processor (flushed at the end of each invocation), every span recorded
// (the plugin samples), ids from idGenerator.
func newTracer(v view, opts []Option) *tracer {
	cfg := config{flushTimeout: DefaultFlushTimeout}
	for _, o := range opts {
		if o != nil {
			o.apply(&cfg)
		}
	}
	t := &tracer{view: v, flushTimeout: cfg.flushTimeout, sampler: sdktrace.TraceIDRatioBased(samplingRatio(cfg.ratio))}
	if t.flushTimeout <= 0 {
		t.flushTimeout = DefaultFlushTimeout
	}
	exporter := cfg.exporter
	if exporter == nil {
		if exporter, t.setupErr = otlptracehttp.New(context.Background()); t.setupErr != nil {
			return t
		}
	}
	res := resource.Default()
	if cfg.serviceName != "" {
		if res, t.setupErr = resource.Merge(res, resource.NewSchemaless(semconv.ServiceName(cfg.serviceName))); t.setupErr != nil {
			return t
		}
	}
	t.provider = sdktrace.NewTracerProvider(
		sdktrace.WithBatcher(exporter),
		sdktrace.WithResource(res),
		sdktrace.WithSampler(sdktrace.AlwaysSample()),
		sdktrace.WithIDGenerator(idGenerator{}),
	)
	t.otel = t.provider.Tracer(InstrumentationName)
	return t
}

// samplingRatio is the configured ratio, else the environment's, else 1.
func samplingRatio(configured *float64) float64 {
	if configured != nil {
		return *configured
	}
	r, err := strconv.ParseFloat(os.Getenv(SamplingRatioEnv), 64)
	if err != nil || r < 0 || r > 1 {
		return 1
	}
	return r
}
