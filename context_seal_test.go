package durable_test

import (
	"context"
	"testing"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/durabletest"
)

// The durable context a workflow receives exposes only Context's methods: a
// type assertion cannot reach the engine's (ids, seeds, abandonment,
// cancellation), which would let user code break determinism.
func TestContextHidesEngineMethods(t *testing.T) {
	leaks := map[string]func(any) bool{
		"NextID":        func(v any) bool { _, ok := v.(interface{ NextID() string }); return ok },
		"Seed":          func(v any) bool { _, ok := v.(interface{ Seed() [32]byte }); return ok },
		"Abandon":       func(v any) bool { _, ok := v.(interface{ Abandon() }); return ok },
		"CancelPending": func(v any) bool { _, ok := v.(interface{ CancelPending() int }); return ok },
	}
	var found []string
	wf := func(ctx durable.Context, _ string) (string, error) {
		for name, leaks := range leaks {
			if leaks(ctx) {
				found = append(found, name)
			}
		}
		// The context.Context half still works.
		if ctx.Err() != nil || ctx.ExecutionARN() == "" {
			t.Errorf("context methods broken: err %v, arn %q", ctx.Err(), ctx.ExecutionARN())
		}
		return "ok", nil
	}
	r := durabletest.New(durable.NewHandler(wf, durable.WithLogHandler(discard{})))
	defer r.Close()
	res, err := r.Run(context.Background(), "x")
	if err != nil || res.Status != "SUCCEEDED" {
		t.Fatalf("run: %v %v", res, err)
	}
	if len(found) > 0 {
		t.Fatalf("durable.Context exposes engine methods through a type assertion: %v", found)
	}
}
