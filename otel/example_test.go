package otel_test

import (
	"context"
	"fmt"
	"slices"

	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/otel"
)

// Trace a workflow with the invocation view. Without WithExporter, spans
// go as OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT (default localhost:4318).
func ExampleInvocationView() {
	exporter := tracetest.NewInMemoryExporter() // for the example; production uses OTLP
	h := durable.NewHandler(func(ctx durable.Context, name string) (string, error) {
		return durable.Step(ctx, "greet", func(durable.StepContext) (string, error) { return "Hello, " + name, nil })
	}, durable.WithPlugins(otel.InvocationView(otel.WithExporter(exporter), otel.WithServiceName("greeter"))))

	r := durabletest.New(h) // the local service, in-process
	defer r.Close()
	if _, err := r.Run(context.Background(), "Ann"); err != nil {
		fmt.Println(err)
		return
	}
	var names []string
	for _, s := range exporter.GetSpans() {
		names = append(names, s.Name)
	}
	slices.Sort(names)
	fmt.Println(names)
	// Output: [Invocation Workflow greet greet attempt 1]
}
