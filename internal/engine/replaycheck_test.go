package engine

import "testing"

func TestInSDK(t *testing.T) {
	for fn, want := range map[string]bool{
		"github.com/lambda-durable/durable.Step[...]":                                                 true,
		"github.com/lambda-durable/durable/internal/engine.(*Context).run":                            true,
		"github.com/lambda-durable/durable/internal/engine.StepFunc[go.shape.string,example.com/x.T]": true,
		"github.com/lambda-durable/durable/internal/engine.(*batchRun[...]).runItems.func1":           true,
		"github.com/lambda-durable/durable_test.orderV1":                                              false,
		"github.com/lambda-durable/durable/examples/order.Workflow":                                   false,
		"github.com/lambda-durable/durable/durabletest_test.reordered":                                false,
		"main.workflow": false,
		"example.com/app.run[github.com/lambda-durable/durable.StepContext]": false,
	} {
		if got := inSDK(fn); got != want {
			t.Errorf("inSDK(%q) = %v, want %v", fn, got, want)
		}
	}
}
