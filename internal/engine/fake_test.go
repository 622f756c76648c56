package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/serdes"
)

const testARN = "arn:aws:lambda:us-east-1:123456789012:function:fn:$LATEST/durable-execution/exec/exec-1"

// fakeService is a tiny in-memory durable execution service: enough of the
// contract to drive the engine through several invocations.
type fakeService struct {
	t  testing.TB
	mu sync.Mutex

	ops      []*checkpoint.Operation
	index    map[string]*checkpoint.Operation
	tokenSeq int
	now      time.Time
	pageSize int // >0: the event carries one page, the rest via GetExecutionState

	calls      []checkpoint.CheckpointInput
	stateCalls int
	execResult *checkpoint.OperationUpdate

	// failCall, when set, is asked before each checkpoint call (1-based).
	failCall func(n int, in *checkpoint.CheckpointInput) error
	noToken  bool
	// afterCall, when set, runs after each checkpoint call's updates are
	// applied (with f.mu held); the operations it returns join the delta,
	// like asynchronous changes (a timer firing) reported by the service.
	afterCall func() []*checkpoint.Operation
}

func newFake(t testing.TB, input string) *fakeService {
	f := &fakeService{t: t, index: map[string]*checkpoint.Operation{}, now: time.Unix(1_700_000_000, 0)}
	f.add(&checkpoint.Operation{
		Id: "exec-1", Name: "exec", Type: checkpoint.TypeExecution, Status: checkpoint.StatusStarted,
		StartTimestamp:   checkpoint.At(f.now),
		ExecutionDetails: &checkpoint.ExecutionDetails{InputPayload: input},
	})
	return f
}

func (f *fakeService) add(op *checkpoint.Operation) {
	f.ops = append(f.ops, op)
	f.index[op.Id] = op
}

func (f *fakeService) token() string { return "tok-" + strconv.Itoa(f.tokenSeq) }

// visible reports whether op belongs in the state: children of a closed
// context are left out unless it was recorded with ReplayChildren.
func (f *fakeService) visible(op *checkpoint.Operation) bool { return checkpoint.InState(op, f.index) }

func (f *fakeService) state() []checkpoint.Operation {
	var out []checkpoint.Operation
	for _, op := range f.ops {
		if f.visible(op) {
			out = append(out, *op)
		}
	}
	return out
}

// event builds the next invocation's payload and rotates the token.
func (f *fakeService) event() []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tokenSeq++
	ops := f.state()
	st := &checkpoint.ExecutionState{Operations: ops}
	if f.pageSize > 0 && len(ops) > f.pageSize {
		st = &checkpoint.ExecutionState{Operations: ops[:f.pageSize], NextMarker: strconv.Itoa(f.pageSize)}
	}
	b, err := json.Marshal(checkpoint.InvocationEvent{
		DurableExecutionArn: testARN, CheckpointToken: f.token(), InitialExecutionState: st,
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return b
}

func (f *fakeService) GetExecutionState(_ context.Context, in *checkpoint.StateInput) (*checkpoint.ExecutionState, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.stateCalls++
	if in.CheckpointToken != f.token() {
		return nil, &checkpoint.Error{Operation: "GetDurableExecutionState", Code: "InvalidParameterValueException",
			StatusCode: 400, Message: checkpoint.InvalidTokenPrefix, Retryable: true}
	}
	ops := f.state()
	start, _ := strconv.Atoi(in.Marker)
	size := f.pageSize
	if size <= 0 {
		size = len(ops)
	}
	end := min(start+size, len(ops))
	st := &checkpoint.ExecutionState{Operations: ops[start:end]}
	if end < len(ops) {
		st.NextMarker = strconv.Itoa(end)
	}
	return st, nil
}

func (f *fakeService) Checkpoint(_ context.Context, in *checkpoint.CheckpointInput) (*checkpoint.CheckpointOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	cp := *in
	cp.Updates = append([]checkpoint.OperationUpdate(nil), in.Updates...)
	f.calls = append(f.calls, cp)
	if f.failCall != nil {
		if err := f.failCall(len(f.calls), in); err != nil {
			return nil, err
		}
	}
	if in.CheckpointToken != f.token() {
		return nil, &checkpoint.Error{Operation: "CheckpointDurableExecution", Code: "InvalidParameterValueException",
			StatusCode: 400, Message: checkpoint.InvalidTokenPrefix + ": stale", Retryable: true}
	}
	var touched []checkpoint.Operation
	for i := range in.Updates {
		op, err := f.apply(&in.Updates[i])
		if err != nil {
			return nil, &checkpoint.Error{Operation: "CheckpointDurableExecution", Code: "InvalidParameterValueException",
				StatusCode: 400, Message: err.Error()}
		}
		if op != nil {
			touched = append(touched, *op)
		}
	}
	if f.afterCall != nil {
		for _, op := range f.afterCall() {
			touched = append(touched, *op)
		}
	}
	f.tokenSeq++
	out := &checkpoint.CheckpointOutput{CheckpointToken: f.token(), NewExecutionState: &checkpoint.ExecutionState{Operations: touched}}
	if f.noToken {
		out.CheckpointToken = ""
	}
	return out, nil
}

func (f *fakeService) apply(u *checkpoint.OperationUpdate) (*checkpoint.Operation, error) {
	if u.ParentId != "" {
		p := f.index[u.ParentId]
		if p == nil || p.Type != checkpoint.TypeContext || p.Status != checkpoint.StatusStarted {
			return nil, fmt.Errorf("update %s %s: parent %s is not a started CONTEXT", u.Id, u.Action, u.ParentId)
		}
	}
	if u.Type == checkpoint.TypeExecution {
		if f.execResult != nil {
			return nil, fmt.Errorf("execution already completed")
		}
		kept := *u // the request's updates belong to the caller
		f.execResult = &kept
		return nil, nil
	}
	op := f.index[u.Id]
	if op == nil {
		if u.Action != checkpoint.ActionStart && u.Type != checkpoint.TypeStep && u.Type != checkpoint.TypeContext {
			return nil, fmt.Errorf("update %s %s on an absent operation", u.Id, u.Action)
		}
		op = &checkpoint.Operation{Id: u.Id, ParentId: u.ParentId, Name: u.Name, Type: u.Type, SubType: u.SubType,
			StartTimestamp: checkpoint.At(f.now)}
		f.add(op)
	} else {
		cp := *op
		if cp.StepDetails != nil {
			sd := *cp.StepDetails
			cp.StepDetails = &sd
		}
		*op = cp
	}
	switch u.Type {
	case checkpoint.TypeStep:
		if op.StepDetails == nil {
			op.StepDetails = &checkpoint.StepDetails{}
		}
		sd := op.StepDetails
		switch u.Action {
		case checkpoint.ActionStart:
			if op.Status != "" && op.Status != checkpoint.StatusReady {
				return nil, fmt.Errorf("STEP START on %s in status %s", u.Id, op.Status)
			}
			op.Status = checkpoint.StatusStarted
		case checkpoint.ActionSucceed:
			op.Status, sd.Result, sd.Attempt = checkpoint.StatusSucceeded, u.Payload, sd.Attempt+1
		case checkpoint.ActionFail:
			op.Status, sd.Error, sd.Attempt = checkpoint.StatusFailed, u.Error, sd.Attempt+1
		case checkpoint.ActionRetry:
			if u.StepOptions == nil {
				return nil, fmt.Errorf("RETRY without StepOptions")
			}
			op.Status, sd.Error, sd.Attempt = checkpoint.StatusPending, u.Error, sd.Attempt+1
			sd.NextAttemptTimestamp = checkpoint.At(f.now.Add(time.Duration(u.StepOptions.NextAttemptDelaySeconds) * time.Second))
		}
	case checkpoint.TypeWait:
		if u.Action != checkpoint.ActionStart || op.Status != "" {
			return nil, fmt.Errorf("WAIT %s on %s in status %s", u.Action, u.Id, op.Status)
		}
		op.Status = checkpoint.StatusStarted
		op.WaitDetails = &checkpoint.WaitDetails{ScheduledEndTimestamp: checkpoint.At(f.now.Add(time.Duration(u.WaitOptions.WaitSeconds) * time.Second))}
	case checkpoint.TypeContext:
		switch u.Action {
		case checkpoint.ActionStart:
			if op.Status != "" {
				return nil, fmt.Errorf("CONTEXT START on %s in status %s", u.Id, op.Status)
			}
			op.Status = checkpoint.StatusStarted
		case checkpoint.ActionSucceed, checkpoint.ActionFail:
			cd := &checkpoint.ContextDetails{Result: u.Payload, Error: u.Error}
			if u.ContextOptions != nil {
				cd.ReplayChildren = u.ContextOptions.ReplayChildren
			}
			op.ContextDetails = cd
			op.Status = checkpoint.StatusSucceeded
			if u.Action == checkpoint.ActionFail {
				op.Status = checkpoint.StatusFailed
			}
		}
	}
	if op.Status.Terminal() {
		op.EndTimestamp = checkpoint.At(f.now)
	}
	return op, nil
}

// advance lets time pass: pending retries become READY, waits succeed.
func (f *fakeService) advance() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(time.Hour)
	for _, op := range f.ops {
		switch {
		case op.Type == checkpoint.TypeStep && op.Status == checkpoint.StatusPending:
			cp := *op
			sd := *cp.StepDetails
			cp.StepDetails, cp.Status = &sd, checkpoint.StatusReady
			*op = cp
		case op.Type == checkpoint.TypeWait && op.Status == checkpoint.StatusStarted:
			cp := *op
			cp.Status, cp.EndTimestamp = checkpoint.StatusSucceeded, checkpoint.At(f.now)
			*op = cp
		}
	}
}

// updates returns every update sent, flattened.
func (f *fakeService) updates() []checkpoint.OperationUpdate {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []checkpoint.OperationUpdate
	for _, c := range f.calls {
		out = append(out, c.Updates...)
	}
	return out
}

func (f *fakeService) callCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

// invoke runs one invocation and decodes the response.
func invoke(t testing.TB, en *Engine, f *fakeService) (*checkpoint.InvocationResponse, error) {
	t.Helper()
	ctx := checkpoint.ContextWithClient(context.Background(), f)
	out, err := en.Invoke(ctx, f.event())
	if err != nil {
		return nil, err
	}
	var resp checkpoint.InvocationResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatalf("response %s: %v", out, err)
	}
	return &resp, nil
}

// runToEnd invokes until the execution completes, advancing time between
// invocations, and returns the final response and the number of invocations.
func runToEnd(t testing.TB, en *Engine, f *fakeService) (*checkpoint.InvocationResponse, int) {
	t.Helper()
	for n := 1; n <= 20; n++ {
		resp, err := invoke(t, en, f)
		if err != nil {
			t.Fatalf("invocation %d: %v", n, err)
		}
		if resp.Status != checkpoint.InvocationPending {
			return resp, n
		}
		f.advance()
	}
	t.Fatal("execution did not complete in 20 invocations")
	return nil, 0
}

// quiet is a log handler that drops everything.
type quiet struct{}

func (quiet) Enabled(context.Context, slog.Level) bool  { return false }
func (quiet) Handle(context.Context, slog.Record) error { return nil }
func (q quiet) WithAttrs([]slog.Attr) slog.Handler      { return q }
func (q quiet) WithGroup(string) slog.Handler           { return q }

func newEngine(t testing.TB, wf func(c *Context) (any, error), mod ...func(*Config)) *Engine {
	t.Helper()
	cfg := Config{Workflow: wf, LogHandler: quiet{}}
	for _, m := range mod {
		m(&cfg)
	}
	en, err := NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return en
}

func serdesCtx(c *Context) serdes.Context { return serdes.Context{ExecutionARN: c.ExecutionARN()} }
