package local

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/lambda-durable/durable/checkpoint"
)

// fakeInv is one invocation of a scripted fake "SDK": it decodes the real
// event bytes, pages the state and checkpoints through the client found in
// the context, the way the durable SDK does.
type fakeInv struct {
	ctx       context.Context
	client    checkpoint.Client
	arn       string
	token     string
	ops       map[string]checkpoint.Operation
	order     []string
	updated   []string
	input     string
	requestId string
	n         int // invocation number, from 1
}

// cp checkpoints updates, keeping the token and the known operations current.
func (f *fakeInv) cp(updates ...checkpoint.OperationUpdate) (*checkpoint.CheckpointOutput, error) {
	out, err := f.client.Checkpoint(f.ctx, &checkpoint.CheckpointInput{
		DurableExecutionArn: f.arn, CheckpointToken: f.token, ClientToken: newUUID(), Updates: updates})
	if err != nil {
		return nil, err
	}
	f.token = out.CheckpointToken
	if out.NewExecutionState != nil {
		for _, o := range out.NewExecutionState.Operations {
			f.put(o)
		}
	}
	return out, nil
}

// must checkpoints and panics on error (the invocation then records a crash).
func (f *fakeInv) must(updates ...checkpoint.OperationUpdate) {
	if _, err := f.cp(updates...); err != nil {
		panic(err)
	}
}

func (f *fakeInv) put(o checkpoint.Operation) {
	if _, ok := f.ops[o.Id]; !ok {
		f.order = append(f.order, o.Id)
	}
	f.ops[o.Id] = o
}

// op returns a known operation.
func (f *fakeInv) op(id string) (checkpoint.Operation, bool) {
	o, ok := f.ops[id]
	return o, ok
}

// status returns the status of a known operation, "" if absent.
func (f *fakeInv) status(id string) checkpoint.Status { return f.ops[id].Status }

type script func(f *fakeInv) (checkpoint.InvocationResponse, error)

// fakeFn is a Function running script once per invocation.
type fakeFn struct {
	mu     sync.Mutex
	script script
	calls  int
	events []checkpoint.InvocationEvent
}

func newFake(s script) *fakeFn { return &fakeFn{script: s} }

func (ff *fakeFn) invocations() int {
	ff.mu.Lock()
	defer ff.mu.Unlock()
	return ff.calls
}

func (ff *fakeFn) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	var ev checkpoint.InvocationEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, fmt.Errorf("fake: event: %w", err)
	}
	client, ok := checkpoint.ClientFromContext(ctx)
	if !ok {
		return nil, errors.New("fake: no client in context")
	}
	lc, ok := lambdacontext.FromContext(ctx)
	if !ok || lc.AwsRequestID == "" {
		return nil, errors.New("fake: no lambda context")
	}
	ff.mu.Lock()
	ff.calls++
	n := ff.calls
	ff.events = append(ff.events, ev)
	ff.mu.Unlock()
	f := &fakeInv{ctx: ctx, client: client, arn: ev.DurableExecutionArn, token: ev.CheckpointToken,
		ops: map[string]checkpoint.Operation{}, updated: ev.UpdatedOperationIds, requestId: lc.AwsRequestID, n: n}
	st := ev.InitialExecutionState
	for st != nil {
		for _, o := range st.Operations {
			f.put(o)
		}
		if st.NextMarker == "" {
			break
		}
		var err error
		st, err = client.GetExecutionState(ctx, &checkpoint.StateInput{DurableExecutionArn: f.arn,
			CheckpointToken: f.token, Marker: st.NextMarker, MaxItems: 1000})
		if err != nil {
			return nil, err
		}
	}
	if len(f.order) > 0 && f.ops[f.order[0]].ExecutionDetails != nil {
		f.input = f.ops[f.order[0]].ExecutionDetails.InputPayload
	}
	resp, err := ff.script(f)
	if err != nil {
		return nil, err
	}
	return json.Marshal(resp)
}

func succeeded(result string) (checkpoint.InvocationResponse, error) {
	return checkpoint.InvocationResponse{Status: checkpoint.InvocationSucceeded, Result: result}, nil
}

func failed(typ, msg string) (checkpoint.InvocationResponse, error) {
	return checkpoint.InvocationResponse{Status: checkpoint.InvocationFailed,
		Error: &checkpoint.ErrorObject{ErrorType: typ, ErrorMessage: msg}}, nil
}

func pending() (checkpoint.InvocationResponse, error) {
	return checkpoint.InvocationResponse{Status: checkpoint.InvocationPending}, nil
}

// update builders.
func stepStart(id, name string) checkpoint.OperationUpdate {
	return checkpoint.OperationUpdate{Id: id, Name: name, Type: checkpoint.TypeStep, SubType: "Step", Action: checkpoint.ActionStart}
}

func stepSucceed(id, payload string) checkpoint.OperationUpdate {
	return checkpoint.OperationUpdate{Id: id, Type: checkpoint.TypeStep, SubType: "Step", Action: checkpoint.ActionSucceed, Payload: payload}
}

func stepFail(id, typ string) checkpoint.OperationUpdate {
	return checkpoint.OperationUpdate{Id: id, Type: checkpoint.TypeStep, SubType: "Step", Action: checkpoint.ActionFail,
		Error: &checkpoint.ErrorObject{ErrorType: typ, ErrorMessage: "boom"}}
}

func stepRetry(id string, delay int32) checkpoint.OperationUpdate {
	return checkpoint.OperationUpdate{Id: id, Type: checkpoint.TypeStep, SubType: "Step", Action: checkpoint.ActionRetry,
		Error: &checkpoint.ErrorObject{ErrorType: "Flaky", ErrorMessage: "try again"}, StepOptions: &checkpoint.StepOptions{NextAttemptDelaySeconds: delay}}
}

func waitStart(id string, secs int32) checkpoint.OperationUpdate {
	return checkpoint.OperationUpdate{Id: id, Type: checkpoint.TypeWait, SubType: "Wait", Action: checkpoint.ActionStart,
		WaitOptions: &checkpoint.WaitOptions{WaitSeconds: secs}}
}

func callbackStart(id, name string, timeout, heartbeat int32) checkpoint.OperationUpdate {
	return checkpoint.OperationUpdate{Id: id, Name: name, Type: checkpoint.TypeCallback, SubType: "Callback", Action: checkpoint.ActionStart,
		CallbackOptions: &checkpoint.CallbackOptions{TimeoutSeconds: timeout, HeartbeatTimeoutSeconds: heartbeat}}
}

func contextStart(id, parent string) checkpoint.OperationUpdate {
	return checkpoint.OperationUpdate{Id: id, ParentId: parent, Type: checkpoint.TypeContext, SubType: "RunInChildContext", Action: checkpoint.ActionStart}
}

func contextSucceed(id, payload string, replay bool) checkpoint.OperationUpdate {
	u := checkpoint.OperationUpdate{Id: id, Type: checkpoint.TypeContext, SubType: "RunInChildContext", Action: checkpoint.ActionSucceed, Payload: payload}
	if replay {
		u.ContextOptions = &checkpoint.ContextOptions{ReplayChildren: true}
	}
	return u
}

func invokeStart(id, fn, payload string) checkpoint.OperationUpdate {
	return checkpoint.OperationUpdate{Id: id, Type: checkpoint.TypeChainedInvoke, Action: checkpoint.ActionStart, Payload: payload,
		ChainedInvokeOptions: &checkpoint.ChainedInvokeOptions{FunctionName: fn}}
}

// env is a service on a virtual clock that skips time when idle.
type env struct {
	t   testing.TB
	svc *Service
	clk *VirtualClock
}

func newEnv(t testing.TB, opts ...Option) *env {
	t.Helper()
	clk := NewVirtualClock(time.Time{})
	all := append([]Option{WithClock(clk), WithTimeSkipping(SkipWhenIdle)}, opts...)
	svc := New(all...)
	t.Cleanup(func() { _ = svc.Close() })
	return &env{t: t, svc: svc, clk: clk}
}

func (v *env) register(name string, fn Function, opts ...FunctionOption) {
	v.t.Helper()
	if err := v.svc.RegisterFunction(name, fn, opts...); err != nil {
		v.t.Fatal(err)
	}
}

// ctx bounds a test's waits (a guard against deadlocks, not a timing assertion).
func (v *env) ctx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	v.t.Cleanup(cancel)
	return ctx
}

// start starts an execution asynchronously.
func (v *env) start(fn, input string) string {
	v.t.Helper()
	arn, err := v.svc.StartExecution(v.ctx(), StartInput{FunctionName: fn, Input: []byte(input), Async: true})
	if err != nil {
		v.t.Fatal(err)
	}
	return arn
}

// run starts an execution and waits until it ends.
func (v *env) run(fn, input string) (string, *GetExecutionOutput) {
	v.t.Helper()
	arn := v.start(fn, input)
	out, err := v.svc.WaitForCompletion(v.ctx(), arn)
	if err != nil {
		v.t.Fatal(err)
	}
	return arn, out
}

// idle waits until nothing runs.
func (v *env) idle() {
	v.t.Helper()
	if err := v.svc.WaitIdle(v.ctx()); err != nil {
		v.t.Fatal(err)
	}
}

// history returns every event of an execution.
func (v *env) history(arn string) []Event {
	v.t.Helper()
	out, err := v.svc.GetHistory(v.ctx(), &GetHistoryInput{DurableExecutionArn: arn, MaxItems: 1000})
	if err != nil {
		v.t.Fatal(err)
	}
	return out.Events
}

// types lists the event types of an execution's history.
func (v *env) types(arn string) []EventType {
	var out []EventType
	for _, ev := range v.history(arn) {
		out = append(out, ev.EventType)
	}
	return out
}

func wantTypes(t testing.TB, got []EventType, want ...EventType) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("history:\n got  %v\n want %v", got, want)
	}
}

// wantCode checks that err is an *APIError with the code and a message
// containing substr.
func wantCode(t testing.TB, err error, code, substr string) {
	t.Helper()
	var ae *APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want an *APIError %s", err, code)
	}
	if ae.Code != code {
		t.Fatalf("code = %s (%s), want %s", ae.Code, ae.Message, code)
	}
	if substr != "" && !strings.Contains(ae.Message, substr) {
		t.Fatalf("message %q does not contain %q", ae.Message, substr)
	}
}
