package durable_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/plugin"
)

// A virtual child context records nothing for itself: its step is recorded
// under the root, its function runs again on replay, and plugins see it
// start and end in each invocation that runs it.
func TestVirtualChildContext(t *testing.T) {
	runs := 0
	var ends []string
	wf := func(ctx durable.Context, _ any) (string, error) {
		v, err := durable.RunInChildContext(ctx, "virtual", func(cc durable.Context) (string, error) {
			runs++
			return durable.Step(cc, "inner", func(durable.StepContext) (string, error) { return "in", nil })
		}, durable.WithVirtualContext())
		if err != nil {
			return "", err
		}
		if err := durable.Wait(ctx, "pause", time.Second); err != nil {
			return "", err
		}
		return v + "-done", nil
	}
	p := plugin.Plugin{OperationEnd: func(_ context.Context, o plugin.OperationInfo) error {
		ends = append(ends, string(o.Type)+" "+o.Name+" "+string(o.Status))
		return nil
	}}
	r := durabletest.New(durable.NewHandler(wf, durable.WithPlugins(p)))
	defer r.Close()
	res, err := r.Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != local.ExecutionSucceeded || res.Result != `"in-done"` {
		t.Fatalf("result %s %s", res.Status, res.Result)
	}
	if _, ok := r.Operation("virtual"); ok {
		t.Error("the virtual context was checkpointed")
	}
	inner, ok := r.Operation("inner")
	if !ok || inner.ParentId != "" || inner.Id != "1-1" {
		t.Errorf("inner step %+v (found %v), want id 1-1 recorded at the top level", inner, ok)
	}
	if runs != 2 {
		t.Errorf("the virtual context's function ran %d times, want 2 (once per invocation)", runs)
	}
	want := []string{"STEP inner SUCCEEDED", "CONTEXT virtual SUCCEEDED", "CONTEXT virtual SUCCEEDED", "WAIT pause SUCCEEDED"}
	if !slices.Equal(ends, want) {
		t.Errorf("operation ends %q, want %q", ends, want)
	}
}
