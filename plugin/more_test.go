package plugin_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/internal/descriptor"
	"github.com/lambda-durable/durable/middleware"
	"github.com/lambda-durable/durable/plugin"
)

// A callback answered while the execution is suspended ends in the replay
// that observes it, with the answer as its result (it does not start again:
// it had ended before that invocation).
func TestCallbackEndsOnReplay(t *testing.T) {
	rec := &recorder{}
	wf := func(ctx durable.Context, _ any) (string, error) {
		cb, err := durable.CreateCallback[string](ctx, "approval")
		if err != nil {
			return "", err
		}
		return cb.Get()
	}
	h := durable.NewHandler(wf, durable.WithPlugins(rec.plugin(checkpoint.TypeCallback)))
	r := durabletest.New(withEvents(h))
	defer r.Close()
	ctx := context.Background()
	if _, err := r.Run(ctx, nil); err != nil {
		t.Fatal(err)
	}
	open, err := r.Callback("approval")
	if err != nil {
		t.Fatal(err)
	}
	if err := r.SendCallbackSuccess(ctx, open.CallbackId, []byte("yes")); err != nil {
		t.Fatal(err)
	}
	res, err := r.Resume(ctx)
	if err != nil || res.Result != `"yes"` {
		t.Fatalf("result %v %v", res, err)
	}
	id := opID(t, r, "approval")
	wantLines(t, rec.matching("operation-"), []string{
		"operation-start CALLBACK " + id + " name=approval replay=false",
		"operation-change CALLBACK " + id + " STARTED in_full_map=true",
		"operation-end CALLBACK " + id + " SUCCEEDED parent=NONE result=yes error=NONE",
	})
}

// A child context recorded with ReplayChildren runs its function again on
// replay: an attempt over replaying children, and no new start or end.
func TestReplayChildrenRerun(t *testing.T) {
	rec := &recorder{}
	wf := func(ctx durable.Context, _ any) (string, error) {
		v, err := durable.RunInChildContext(ctx, "big", func(c durable.Context) (string, error) {
			return durable.Step(c, "part", func(durable.StepContext) (string, error) { return "p", nil })
		}, durable.WithReplayChildren())
		if err != nil {
			return "", err
		}
		return v, durable.Wait(ctx, "nap", time.Second)
	}
	r, _, _ := run(t, wf, nil, true, rec.plugin(checkpoint.TypeContext))
	id := opID(t, r, "big")
	wantLines(t, rec.Lines(), []string{
		"invocation-start first=true",
		"operation-start CONTEXT " + id + " name=big replay=false",
		"attempt-start CONTEXT " + id + " name=big attempt=0 children=false",
		"operation-change CONTEXT " + id + " STARTED in_full_map=true", // the step inside is eager
		"operation-change CONTEXT " + id + " SUCCEEDED in_full_map=true",
		"attempt-end CONTEXT " + id + " SUCCEEDED",
		"operation-end CONTEXT " + id + " SUCCEEDED parent=NONE result=\"p\" error=NONE",
		"invocation-end first=true status=PENDING terminal=false",
		"invocation-start first=false",
		"attempt-start CONTEXT " + id + " name=big attempt=0 children=true",
		"attempt-end CONTEXT " + id + " SUCCEEDED",
		"invocation-end first=false status=SUCCEEDED terminal=true",
	})
}

// Hooks of one installation never run concurrently, even for concurrent
// map items.
func TestHooksAreSerialized(t *testing.T) {
	var inside, overlaps, calls atomic.Int32
	enter := func() {
		calls.Add(1)
		if inside.Add(1) > 1 {
			overlaps.Add(1)
		}
		time.Sleep(50 * time.Microsecond) // widen the window for an overlap
		inside.Add(-1)
	}
	p := plugin.Plugin{
		OperationStart: func(context.Context, plugin.OperationInfo) error { enter(); return nil },
		OperationEnd:   func(context.Context, plugin.OperationInfo) error { enter(); return nil },
		AttemptStart:   func(context.Context, plugin.AttemptInfo) error { enter(); return nil },
		AttemptEnd:     func(context.Context, plugin.AttemptInfo) error { enter(); return nil },
	}
	wf := func(ctx durable.Context, _ any) (int, error) {
		res, err := durable.Map(ctx, "fan", []int{1, 2, 3, 4, 5, 6, 7, 8}, func(c durable.Context, _ int, n int) (int, error) {
			return durable.Step(c, "", func(durable.StepContext) (int, error) { return n * n, nil })
		})
		if err != nil {
			return 0, err
		}
		sum := 0
		for _, v := range res.Results() {
			sum += v
		}
		return sum, nil
	}
	_, res, _ := run(t, wf, nil, false, p)
	if res.Result != "204" {
		t.Fatalf("result %s %s", res.Status, res.Result)
	}
	// 1 map + 8 items + 8 steps: start and end each, plus 9 context runs
	// and 8 step attempts: start and end each.
	if n := calls.Load(); n != 2*17+2*17 {
		t.Errorf("%d hook calls, want %d", n, 2*17+2*17)
	}
	if n := overlaps.Load(); n != 0 {
		t.Errorf("%d overlapping hook calls", n)
	}
}

// A checkpoint response continued in state pages is reported page by page;
// pages of the state the invocation began with are not changes.
func TestChangePages(t *testing.T) {
	var changes []string
	m := plugin.Install(plugin.Config{Plugins: []plugin.Plugin{{
		OperationChange: func(_ context.Context, c plugin.ChangeInfo) error {
			changes = append(changes, fmt.Sprintf("%d updated of %d", len(c.Updated), len(c.Operations)))
			return nil
		},
	}}})
	step := func(id string) checkpoint.Operation {
		return checkpoint.Operation{Id: id, Type: checkpoint.TypeStep, Status: checkpoint.StatusSucceeded}
	}
	page := map[string]*checkpoint.ExecutionState{
		"init-2": {Operations: []checkpoint.Operation{step("1")}},
		"resp-2": {Operations: []checkpoint.Operation{step("3")}, NextMarker: "resp-3"},
		"resp-3": {Operations: []checkpoint.Operation{step("4")}},
	}
	client := m.Checkpoint(middleware.ClientFuncs{
		CheckpointFunc: func(context.Context, *checkpoint.CheckpointInput) (*checkpoint.CheckpointOutput, error) {
			return &checkpoint.CheckpointOutput{NewExecutionState: &checkpoint.ExecutionState{
				Operations: []checkpoint.Operation{step("2"), {Id: "x", Type: checkpoint.TypeExecution}}, NextMarker: "resp-2"}}, nil
		},
		GetExecutionStateFunc: func(_ context.Context, in *checkpoint.StateInput) (*checkpoint.ExecutionState, error) {
			return page[in.Marker], nil
		},
	})
	inv := m.Invocation(func(ctx context.Context, _ *middleware.Invocation) error {
		if _, err := client.GetExecutionState(ctx, &checkpoint.StateInput{Marker: "init-2"}); err != nil {
			return err
		}
		if _, err := client.Checkpoint(ctx, &checkpoint.CheckpointInput{}); err != nil {
			return err
		}
		for _, marker := range []string{"resp-2", "resp-3"} {
			if _, err := client.GetExecutionState(ctx, &checkpoint.StateInput{Marker: marker}); err != nil {
				return err
			}
		}
		return nil
	})
	if err := inv(context.Background(), &middleware.Invocation{ExecutionARN: "arn:x"}); err != nil {
		t.Fatal(err)
	}
	wantLines(t, changes, []string{"1 updated of 2", "1 updated of 3", "1 updated of 4"})
}

// Nothing is reported for an invocation after its InvocationEnd, and the
// operation middleware works without the invocation middleware.
func TestAfterEndAndWithoutInvocationMiddleware(t *testing.T) {
	rec := &recorder{}
	m := plugin.Install(plugin.Config{Plugins: []plugin.Plugin{rec.plugin()}})
	var late context.Context
	_ = m.Invocation(func(ctx context.Context, _ *middleware.Invocation) error {
		late = ctx
		return nil
	})(context.Background(), &middleware.Invocation{ExecutionARN: "arn:x", First: true})
	done := func(_ context.Context, op *middleware.Operation) error {
		descriptor.Of(op).Status = checkpoint.StatusSucceeded
		return nil
	}
	_ = m.Operation(done)(late, testOp(descriptor.Op{ID: "1", Type: checkpoint.TypeStep}))
	_ = m.Operation(done)(context.Background(), testOp(descriptor.Op{ID: "2", Type: checkpoint.TypeStep}))
	wantLines(t, rec.Lines(), []string{
		"invocation-start first=true",
		"invocation-end first=true status= terminal=false",
		"operation-start STEP 2 name=NONE replay=false",
		"operation-end STEP 2 SUCCEEDED parent=NONE result=NONE error=NONE",
	})
}

// testOp returns a descriptor of d, as the engine builds one.
func testOp(d descriptor.Op) *middleware.Operation {
	op := &middleware.Operation{}
	descriptor.Bind(op, &d)
	return op
}
