package local

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
)

func TestInitialStatePagingAndGetState(t *testing.T) {
	v := newEnv(t, WithLimits(Limits{InitialStatePageSize: 10}))
	var seen []int
	v.register("many", newFake(func(f *fakeInv) (checkpoint.InvocationResponse, error) {
		if f.n == 1 {
			ups := make([]checkpoint.OperationUpdate, 25)
			for i := range ups {
				ups[i] = stepSucceed("s"+strconv.Itoa(i), strconv.Itoa(i))
			}
			f.must(ups...)
			f.must(waitStart("w", 1))
			return pending()
		}
		seen = append(seen, len(f.ops))
		return succeeded("")
	}))
	_, out := v.run("many", "")
	if out.Status != ExecutionSucceeded {
		t.Fatalf("execution = %+v", out)
	}
	// EXECUTION + 25 steps + the wait, paged in through GetState.
	if len(seen) != 1 || seen[0] != 27 {
		t.Fatalf("second invocation saw %v operations", seen)
	}
}

func TestGetStatePages(t *testing.T) {
	v := newEnv(t)
	c := capture(t, v)
	ups := make([]checkpoint.OperationUpdate, 0, 250)
	for i := range 250 {
		ups = append(ups, stepStart("s"+strconv.Itoa(i), ""))
	}
	out, err := c.call(v, c.first, "a", ups...)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	marker := ""
	pages := 0
	for {
		st, err := v.svc.GetState(context.Background(), &checkpoint.StateInput{DurableExecutionArn: c.arn,
			CheckpointToken: out.CheckpointToken, Marker: marker})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if len(st.Operations) > 100 {
			t.Fatalf("page of %d operations; the default is 100", len(st.Operations))
		}
		for _, o := range st.Operations {
			got = append(got, o.Id)
		}
		if marker = st.NextMarker; marker == "" {
			break
		}
	}
	if pages != 3 || len(got) != 251 || got[1] != "s0" || got[250] != "s249" {
		t.Fatalf("pages = %d, ops = %d (%v ... %v)", pages, len(got), got[:2], got[len(got)-1])
	}
	_, err = v.svc.GetState(context.Background(), &checkpoint.StateInput{DurableExecutionArn: c.arn,
		CheckpointToken: out.CheckpointToken, Marker: "garbage"})
	wantCode(t, err, CodeInvalidParameterValue, "Marker")
	_, err = v.svc.GetState(context.Background(), &checkpoint.StateInput{DurableExecutionArn: c.arn,
		CheckpointToken: out.CheckpointToken, MaxItems: -1})
	wantCode(t, err, CodeInvalidParameterValue, "MaxItems")
}

func TestChildrenOfClosedContextsLeftOutOfState(t *testing.T) {
	v := newEnv(t)
	child := func(id, parent string) checkpoint.OperationUpdate {
		u := stepSucceed(id, "1")
		u.ParentId = parent
		return u
	}
	var second map[string]bool
	v.register("ctx", newFake(func(f *fakeInv) (checkpoint.InvocationResponse, error) {
		if f.n == 1 {
			f.must(contextStart("plain", ""), child("p1", "plain"), contextStart("inner", "plain"), child("p2", "inner"),
				contextSucceed("inner", "", false), contextSucceed("plain", "r", false),
				contextStart("replay", ""), child("r1", "replay"), contextSucceed("replay", "", true),
				contextStart("open", ""), child("o1", "open"))
			f.must(waitStart("w", 1))
			return pending()
		}
		second = map[string]bool{}
		for id := range f.ops {
			second[id] = true
		}
		return succeeded("")
	}))
	arn, _ := v.run("ctx", "")
	for id, want := range map[string]bool{"plain": true, "p1": false, "inner": false, "p2": false,
		"replay": true, "r1": true, "open": true, "o1": true, "w": true} {
		if second[id] != want {
			t.Errorf("%s in state = %v, want %v", id, second[id], want)
		}
	}
	// Operations (inspection) still lists everything.
	if ops, _ := v.svc.Operations(arn); len(ops) != 10 {
		t.Errorf("Operations = %d", len(ops))
	}
}

func TestHistoryPagingAndData(t *testing.T) {
	v := newEnv(t)
	v.register("steps", newFake(func(f *fakeInv) (checkpoint.InvocationResponse, error) {
		for i := range 60 {
			f.must(stepStart("s"+strconv.Itoa(i), ""), stepSucceed("s"+strconv.Itoa(i), `"secret"`))
		}
		return succeeded(`"done"`)
	}))
	arn, _ := v.run("steps", `"in"`)
	// 1 + 120 + 1 + 1 = 123 events.
	var ids []int32
	marker := ""
	for {
		out, err := v.svc.GetHistory(context.Background(), &GetHistoryInput{DurableExecutionArn: arn, Marker: marker, MaxItems: 50})
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range out.Events {
			ids = append(ids, ev.EventId)
		}
		if marker = out.NextMarker; marker == "" {
			break
		}
	}
	if len(ids) != 123 || ids[0] != 1 || ids[122] != 123 {
		t.Fatalf("paged %d events", len(ids))
	}
	rev, _ := v.svc.GetHistory(context.Background(), &GetHistoryInput{DurableExecutionArn: arn, ReverseOrder: true, MaxItems: 2})
	if rev.Events[0].EventType != EventExecutionSucceeded || rev.Events[1].EventType != EventInvocationCompleted || rev.NextMarker == "" {
		t.Fatalf("reverse = %+v", rev.Events)
	}
	def, _ := v.svc.GetHistory(context.Background(), &GetHistoryInput{DurableExecutionArn: arn})
	if len(def.Events) != 100 {
		t.Fatalf("default page = %d", len(def.Events))
	}
	no := false
	bare, _ := v.svc.GetHistory(context.Background(), &GetHistoryInput{DurableExecutionArn: arn, IncludeExecutionData: &no, MaxItems: 3})
	if bare.Events[0].ExecutionStartedDetails.Input.Payload != nil || bare.Events[2].StepSucceededDetails.Result.Payload != nil {
		t.Fatalf("payloads without data: %+v", bare.Events[2].StepSucceededDetails.Result)
	}
	full, _ := v.svc.GetHistory(context.Background(), &GetHistoryInput{DurableExecutionArn: arn, MaxItems: 3})
	if *full.Events[2].StepSucceededDetails.Result.Payload != `"secret"` {
		t.Fatal("payload missing with data")
	}
	g, _ := v.svc.GetExecution(context.Background(), &GetExecutionInput{DurableExecutionArn: arn, IncludeExecutionData: &no})
	if g.Result != nil || g.InputPayload != nil || g.ExecutionDataIncluded {
		t.Fatalf("execution without data = %+v", g)
	}
	_, err := v.svc.GetHistory(context.Background(), &GetHistoryInput{DurableExecutionArn: arn, MaxItems: 1001})
	wantCode(t, err, CodeInvalidParameterValue, "MaxItems")
	_, err = v.svc.GetHistory(context.Background(), &GetHistoryInput{DurableExecutionArn: "nope"})
	wantCode(t, err, CodeResourceNotFound, "")
}

func TestListExecutions(t *testing.T) {
	v := newEnv(t, WithTimeSkipping(SkipNever))
	v.register("done", newFake(func(f *fakeInv) (checkpoint.InvocationResponse, error) { return succeeded("") }))
	v.register("cb", callbackFn(0, 0))
	var arns []string
	for i := range 5 {
		arn, err := v.svc.StartExecution(v.ctx(), StartInput{FunctionName: "done", ExecutionName: "run-" + strconv.Itoa(i)})
		if err != nil {
			t.Fatal(err)
		}
		arns = append(arns, arn)
		v.clk.Advance(time.Second)
	}
	running := v.start("cb", "")
	list := func(in ListExecutionsInput) []string {
		t.Helper()
		out, err := v.svc.ListExecutions(v.ctx(), &in)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range out.DurableExecutions {
			names = append(names, e.DurableExecutionName)
		}
		if out.NextMarker != "" {
			names = append(names, "+")
		}
		return names
	}
	check := func(got []string, want ...string) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("got %v, want %v", got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("got %v, want %v", got, want)
			}
		}
	}
	check(list(ListExecutionsInput{FunctionName: "done"}), "run-4", "run-3", "run-2", "run-1", "run-0")
	check(list(ListExecutionsInput{FunctionName: "done", ReverseOrder: true, MaxItems: 2}), "run-0", "run-1", "+")
	check(list(ListExecutionsInput{FunctionName: "done", DurableExecutionName: "run-2"}), "run-2")
	start := v.clk.Now().Add(-5 * time.Second)
	check(list(ListExecutionsInput{FunctionName: "done", StartedAfter: start.Add(2 * time.Second), StartedBefore: start.Add(4 * time.Second)}), "run-3")
	check(list(ListExecutionsInput{FunctionName: "done", Statuses: []ExecutionStatus{ExecutionRunning}}))
	check(list(ListExecutionsInput{FunctionName: "arn:aws:lambda:us-east-1:123456789012:function:done:$LATEST", MaxItems: 1}), "run-4", "+")
	check(list(ListExecutionsInput{FunctionName: "done", Qualifier: "v2"}))
	v.idle()
	out, _ := v.svc.ListExecutions(v.ctx(), &ListExecutionsInput{FunctionName: "cb"})
	if len(out.DurableExecutions) != 1 || out.DurableExecutions[0].DurableExecutionArn != running ||
		out.DurableExecutions[0].Status != ExecutionRunning || out.DurableExecutions[0].FunctionArn != "arn:aws:lambda:us-east-1:123456789012:function:cb:$LATEST" {
		t.Fatalf("cb list = %+v", out)
	}
	// Paging through with markers.
	first, _ := v.svc.ListExecutions(v.ctx(), &ListExecutionsInput{FunctionName: "done", MaxItems: 3})
	rest, _ := v.svc.ListExecutions(v.ctx(), &ListExecutionsInput{FunctionName: "done", MaxItems: 3, Marker: first.NextMarker})
	if len(first.DurableExecutions) != 3 || len(rest.DurableExecutions) != 2 || rest.NextMarker != "" {
		t.Fatalf("pages %d + %d", len(first.DurableExecutions), len(rest.DurableExecutions))
	}
	_, err := v.svc.ListExecutions(v.ctx(), &ListExecutionsInput{FunctionName: "ghost"})
	wantCode(t, err, CodeResourceNotFound, "ghost")
	_, err = v.svc.ListExecutions(v.ctx(), &ListExecutionsInput{FunctionName: "done", Statuses: []ExecutionStatus{"DANCING"}})
	wantCode(t, err, CodeInvalidParameterValue, "DANCING")
	_, err = v.svc.StartExecution(v.ctx(), StartInput{FunctionName: "done", ExecutionName: "run-1"})
	wantCode(t, err, CodeResourceConflict, "already exists")
	_, err = v.svc.StartExecution(v.ctx(), StartInput{FunctionName: "done", ExecutionName: "bad name"})
	wantCode(t, err, CodeInvalidParameterValue, "DurableExecutionName")
	_, err = v.svc.StartExecution(v.ctx(), StartInput{FunctionName: "done", Input: []byte("{not json")})
	wantCode(t, err, CodeInvalidParameterValue, "not valid JSON")
	_, err = v.svc.StartExecution(v.ctx(), StartInput{FunctionName: "ghost"})
	wantCode(t, err, CodeResourceNotFound, "Function not found")
	if len(arns) != 5 {
		t.Fatal(arns)
	}
}
