package plugin_test

import (
	"context"
	"testing"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/plugin"
)

// 10-19: the invocation infos carry request id, operations, the operations
// updated while suspended and the execution's start.
func TestInvocationInfoShape(t *testing.T) {
	rec := &recorder{}
	wf := func(ctx durable.Context, in string) (string, error) {
		return "done-" + in, durable.Wait(ctx, "nap", 2*time.Second)
	}
	// The known operations, read in the hooks as Operations asks.
	var startOps, endOps []map[string]plugin.OperationInfo
	ops := plugin.Plugin{
		Name: "ops",
		InvocationStart: func(_ context.Context, i plugin.InvocationInfo) error {
			startOps = append(startOps, i.Operations())
			return nil
		},
		InvocationEnd: func(_ context.Context, i plugin.InvocationInfo) error {
			endOps = append(endOps, i.Operations())
			return nil
		},
	}
	r, res, _ := run(t, wf, "ed", true, rec.plugin(), ops)
	if res.Result != `"done-ed"` {
		t.Fatalf("result %s", res.Result)
	}
	starts := infosOf[plugin.InvocationInfo](rec, "invocation-start")
	ends := infosOf[plugin.InvocationInfo](rec, "invocation-end")
	if len(starts) != 2 || len(ends) != 2 {
		t.Fatalf("%d starts, %d ends", len(starts), len(ends))
	}
	wait := opID(t, r, "nap")
	for i, info := range append(starts, ends...) {
		if info.ExecutionARN != r.ExecutionARN() || info.RequestID == "" || info.ExecutionStartTime.IsZero() ||
			info.StartTime.IsZero() || info.Operations() == nil {
			t.Errorf("info %d lacks a field: %+v", i, info)
		}
		if info.Error != nil || info.Err != nil {
			t.Errorf("info %d has an error: %v %v", i, info.Error, info.Err)
		}
	}
	if starts[0].RequestID == starts[1].RequestID || starts[0].RequestID != ends[0].RequestID {
		t.Errorf("request ids: starts %s %s, ends %s", starts[0].RequestID, starts[1].RequestID, ends[0].RequestID)
	}
	if !starts[0].ExecutionStartTime.Equal(starts[1].ExecutionStartTime) {
		t.Errorf("execution start differs: %v, %v", starts[0].ExecutionStartTime, starts[1].ExecutionStartTime)
	}
	if len(startOps) != 2 || len(endOps) != 2 {
		t.Fatalf("operations read in %d starts, %d ends", len(startOps), len(endOps))
	}
	if len(startOps[0]) != 0 || len(starts[0].UpdatedOperations) != 0 {
		t.Errorf("first start: %d operations, %d updated", len(startOps[0]), len(starts[0].UpdatedOperations))
	}
	up := starts[1].UpdatedOperations
	if len(up) != 1 || up[0].ID != wait || up[0].Status != checkpoint.StatusSucceeded || !up[0].IsReplay {
		t.Errorf("replay start updated operations = %+v", up)
	}
	if op := startOps[1][wait]; op.Type != checkpoint.TypeWait || op.Status != checkpoint.StatusSucceeded {
		t.Errorf("replay start operations[%s] = %+v", wait, op)
	}
	if op := endOps[0][wait]; op.Status != checkpoint.StatusStarted {
		t.Errorf("first end operations[%s] = %+v, want the STARTED wait", wait, op)
	}
	if ends[0].EndTime.Before(ends[0].StartTime) {
		t.Errorf("end %v before start %v", ends[0].EndTime, ends[0].StartTime)
	}
}

// taskA is one step named "greet" that returns "task-a".
func taskA(ctx durable.Context, _ any) (string, error) {
	return durable.Step(ctx, "greet", func(durable.StepContext) (string, error) { return "task-a", nil })
}

// 10-20: operation-start and -end infos carry the operation's fields.
func TestOperationInfoShape(t *testing.T) {
	forBoth(t, func(t *testing.T, events bool) {
		rec := &recorder{}
		r, _, _ := run(t, taskA, nil, events, rec.plugin())
		id := opID(t, r, "greet")
		start := infosOf[plugin.OperationInfo](rec, "operation-start")[0]
		end := infosOf[plugin.OperationInfo](rec, "operation-end")[0]
		for _, o := range []plugin.OperationInfo{start, end} {
			if o.ID != id || o.Name != "greet" || o.Type != checkpoint.TypeStep || o.SubType != "Step" || o.ParentID != "" ||
				o.IsReplay || o.ExecutionARN != r.ExecutionARN() || o.StartTime.IsZero() {
				t.Errorf("identity: %+v", o)
			}
		}
		if start.Status != "" || !start.EndTime.IsZero() || start.Result != "" {
			t.Errorf("live start has outcome fields: %+v", start)
		}
		if end.Status != checkpoint.StatusSucceeded || end.Attempt != 1 || end.EndTime.IsZero() || end.EndTime.Before(end.StartTime) ||
			end.Result != `"task-a"` || end.Error != nil || end.Err != nil {
			t.Errorf("end: %+v", end)
		}
	})
}

// 10-8 and 10-22: operation-change items carry the full operation fields
// and are in the full map.
func TestOperationChangeShape(t *testing.T) {
	forBoth(t, func(t *testing.T, events bool) {
		rec := &recorder{}
		r, _, _ := run(t, taskA, nil, events, rec.plugin())
		id := opID(t, r, "greet")
		changes := infosOf[plugin.ChangeInfo](rec, "operation-change")
		if len(changes) != 1 {
			t.Fatalf("%d changes", len(changes))
		}
		c := changes[0]
		if c.ExecutionARN != r.ExecutionARN() || len(c.Updated) != 1 || len(c.Operations) != 1 {
			t.Fatalf("change: %+v", c)
		}
		o := c.Updated[0]
		if o.ID != id || o.Name != "greet" || o.Type != checkpoint.TypeStep || o.SubType != "Step" ||
			o.Status != checkpoint.StatusSucceeded || o.Attempt != 1 || o.StartTime.IsZero() || o.EndTime.IsZero() ||
			o.Result != `"task-a"` || o.Error != nil || o.IsReplay || o.ExecutionARN != r.ExecutionARN() {
			t.Errorf("item: %+v", o)
		}
		if c.Operations[id] != o {
			t.Errorf("full map has %+v, want %+v", c.Operations[id], o)
		}
	})
}

// 10-23: context operations carry their subtype; their functions are
// attempts that tell whether recorded children replay.
func TestContextInfoShape(t *testing.T) {
	rec := &recorder{}
	wf := func(ctx durable.Context, _ any) ([]string, error) {
		res, err := durable.Parallel(ctx, "ctx", []durable.Branch[string]{
			{Name: "branch-a", Func: func(c durable.Context) (string, error) {
				if _, err := durable.Step(c, "inner", func(durable.StepContext) (string, error) { return "x", nil }); err != nil {
					return "", err
				}
				return "a-done", durable.Wait(c, "", 2*time.Second)
			}},
			{Name: "branch-b", Func: func(durable.Context) (string, error) { return "b-done", nil }},
		}, durable.WithMaxConcurrency(1))
		if err != nil {
			return nil, err
		}
		return res.Results(), nil
	}
	r, res, _ := run(t, wf, nil, true, rec.plugin(checkpoint.TypeContext))
	if res.Result != `["a-done","b-done"]` {
		t.Fatalf("result %s %s", res.Status, res.Result)
	}
	p, a, b := opID(t, r, "ctx"), opID(t, r, "branch-a"), opID(t, r, "branch-b")
	wantLines(t, rec.matching("operation-start"), []string{
		"operation-start CONTEXT " + p + " name=ctx replay=false",
		"operation-start CONTEXT " + a + " name=branch-a replay=false",
		"operation-start CONTEXT " + p + " name=ctx replay=true",
		"operation-start CONTEXT " + a + " name=branch-a replay=true",
		"operation-start CONTEXT " + b + " name=branch-b replay=false",
	})
	wantLines(t, rec.matching("attempt-start"), []string{
		"attempt-start CONTEXT " + p + " name=ctx attempt=0 children=false",
		"attempt-start CONTEXT " + a + " name=branch-a attempt=0 children=false",
		"attempt-start CONTEXT " + p + " name=ctx attempt=0 children=true",
		"attempt-start CONTEXT " + a + " name=branch-a attempt=0 children=true",
		"attempt-start CONTEXT " + b + " name=branch-b attempt=0 children=false",
	})
	for _, o := range infosOf[plugin.OperationInfo](rec, "operation-start") {
		want := map[string]string{p: "Parallel", a: "ParallelBranch", b: "ParallelBranch"}[o.ID]
		if o.SubType != want || (o.ID != p && o.ParentID != p) {
			t.Errorf("%s: subtype %q parent %q", o.ID, o.SubType, o.ParentID)
		}
	}
	wantLines(t, rec.matching("operation-end"), []string{
		"operation-end CONTEXT " + a + " SUCCEEDED parent=" + p + " result=\"a-done\" error=NONE",
		"operation-end CONTEXT " + b + " SUCCEEDED parent=" + p + " result=\"b-done\" error=NONE",
		"operation-end CONTEXT " + p + " SUCCEEDED parent=NONE result=" + parallelPayload(t, r, p) + " error=NONE",
	})
}

// parallelPayload returns the recorded result of the batch operation id.
func parallelPayload(t *testing.T, r interface {
	Operations() []checkpoint.Operation
}, id string) string {
	t.Helper()
	for _, op := range r.Operations() {
		if op.Id == id && op.ContextDetails != nil {
			return op.ContextDetails.Result
		}
	}
	t.Fatalf("no context %s", id)
	return ""
}
