package durabletest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/local"
)

func init() { durabletest.RegisterUpdateFlag() }

// wire is a hand-written durable function speaking the invocation event
// and response JSON directly: body gets the known operations and a
// checkpoint function, and returns the response.
func wire(body func(ops map[string]checkpoint.Operation, input string, cp func(...checkpoint.OperationUpdate) error) checkpoint.InvocationResponse) local.Function {
	return local.FunctionFunc(func(ctx context.Context, payload []byte) ([]byte, error) {
		var ev checkpoint.InvocationEvent
		if err := json.Unmarshal(payload, &ev); err != nil {
			return nil, err
		}
		client, ok := checkpoint.ClientFromContext(ctx)
		if !ok {
			return nil, errors.New("no client")
		}
		ops := map[string]checkpoint.Operation{}
		input := ""
		for i, o := range ev.InitialExecutionState.Operations {
			if i == 0 {
				input = o.ExecutionDetails.InputPayload
			}
			ops[o.Id] = o
		}
		tok := ev.CheckpointToken
		cp := func(ups ...checkpoint.OperationUpdate) error {
			out, err := client.Checkpoint(ctx, &checkpoint.CheckpointInput{DurableExecutionArn: ev.DurableExecutionArn,
				CheckpointToken: tok, Updates: ups})
			if err != nil {
				return err
			}
			tok = out.CheckpointToken
			for _, o := range out.NewExecutionState.Operations {
				ops[o.Id] = o
			}
			return nil
		}
		return json.Marshal(body(ops, input, cp))
	})
}

var pendingResp = checkpoint.InvocationResponse{Status: checkpoint.InvocationPending}

func ok(result string) checkpoint.InvocationResponse {
	return checkpoint.InvocationResponse{Status: checkpoint.InvocationSucceeded, Result: result}
}

func fail(e *checkpoint.ErrorObject) checkpoint.InvocationResponse {
	return checkpoint.InvocationResponse{Status: checkpoint.InvocationFailed, Error: e}
}

// approval opens a callback named "approve" (with a heartbeat timeout) and
// returns its answer.
func approval() local.Function {
	return wire(func(ops map[string]checkpoint.Operation, _ string, cp func(...checkpoint.OperationUpdate) error) checkpoint.InvocationResponse {
		o, started := ops["cb"]
		if !started {
			if err := cp(checkpoint.OperationUpdate{Id: "cb", Name: "approve", Type: checkpoint.TypeCallback, SubType: "Callback",
				Action: checkpoint.ActionStart, CallbackOptions: &checkpoint.CallbackOptions{HeartbeatTimeoutSeconds: 60}}); err != nil {
				return fail(&checkpoint.ErrorObject{ErrorMessage: err.Error()})
			}
			return pendingResp
		}
		switch o.Status {
		case checkpoint.StatusStarted:
			return pendingResp
		case checkpoint.StatusSucceeded:
			return ok(o.CallbackDetails.Result)
		}
		return fail(o.CallbackDetails.Error)
	})
}

func TestCallbackSuccessFlow(t *testing.T) {
	r := durabletest.New(approval())
	defer r.Close()
	ctx := context.Background()
	res, err := r.Run(ctx, nil)
	if err != nil || res.Status != local.ExecutionRunning {
		t.Fatalf("Run = %+v, %v", res, err)
	}
	cbs := r.OpenCallbacks()
	if len(cbs) != 1 || cbs[0].Name != "approve" {
		t.Fatalf("open callbacks = %+v", cbs)
	}
	cb, err := r.Callback("approve")
	if err != nil || cb.CallbackId != cbs[0].CallbackId {
		t.Fatal(cb, err)
	}
	if _, err := r.Callback("nope"); err == nil {
		t.Fatal("found a callback that does not exist")
	}
	// Heartbeats keep it alive past its 60s heartbeat timeout.
	for range 3 {
		r.Advance(50 * time.Second)
		if err := r.SendCallbackHeartbeat(ctx, cb.CallbackId); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.SendCallbackSuccess(ctx, cb.CallbackId, []byte(`{"ok":true}`)); err != nil {
		t.Fatal(err)
	}
	res, err = r.Resume(ctx)
	if err != nil || res.Status != local.ExecutionSucceeded || res.Result != `{"ok":true}` {
		t.Fatalf("Resume = %+v, %v", res, err)
	}
	var v struct{ OK bool }
	if err := res.Decode(&v); err != nil || !v.OK {
		t.Fatal(v, err)
	}
	if len(r.OpenCallbacks()) != 0 {
		t.Fatal("callback still open")
	}
}

func TestCallbackFailureAndTimeout(t *testing.T) {
	ctx := context.Background()
	r := durabletest.New(approval())
	defer r.Close()
	_, _ = r.Run(ctx, nil)
	cb, _ := r.Callback("approve")
	if err := r.SendCallbackFailure(ctx, cb.CallbackId, checkpoint.ErrorObject{ErrorType: "Denied"}); err != nil {
		t.Fatal(err)
	}
	res, _ := r.Resume(ctx)
	if res.Status != local.ExecutionFailed || res.Error.ErrorType != "Denied" {
		t.Fatalf("result = %+v", res)
	}
	if err := res.Decode(new(any)); err == nil {
		t.Fatal("decoded a failed result")
	}

	r2 := durabletest.New(approval())
	defer r2.Close()
	_, _ = r2.Run(ctx, nil)
	r2.Advance(time.Minute) // the heartbeat timeout passes
	res, _ = r2.Resume(ctx)
	if res.Status != local.ExecutionFailed || res.Error.ErrorType != "Callback.Heartbeat" {
		t.Fatalf("result = %+v", res)
	}
}

func TestInvokeTargets(t *testing.T) {
	caller := func(target string) local.Function {
		return wire(func(ops map[string]checkpoint.Operation, input string, cp func(...checkpoint.OperationUpdate) error) checkpoint.InvocationResponse {
			o, started := ops["inv"]
			if !started {
				if err := cp(checkpoint.OperationUpdate{Id: "inv", Type: checkpoint.TypeChainedInvoke, Action: checkpoint.ActionStart,
					Payload: input, ChainedInvokeOptions: &checkpoint.ChainedInvokeOptions{FunctionName: target}}); err != nil {
					return fail(&checkpoint.ErrorObject{ErrorMessage: err.Error()})
				}
				return pendingResp
			}
			if o.Status == checkpoint.StatusStarted {
				return pendingResp
			}
			if o.Status != checkpoint.StatusSucceeded {
				return fail(o.ChainedInvokeDetails.Error)
			}
			return ok(o.ChainedInvokeDetails.Result)
		})
	}
	double := wire(func(ops map[string]checkpoint.Operation, input string, cp func(...checkpoint.OperationUpdate) error) checkpoint.InvocationResponse {
		var n int
		_ = json.Unmarshal([]byte(input), &n)
		return ok(fmt.Sprint(2 * n))
	})
	shout := local.FunctionFunc(func(_ context.Context, in []byte) ([]byte, error) {
		return []byte(strings.ToUpper(string(in))), nil
	})
	ctx := context.Background()

	r := durabletest.New(caller("double"), durabletest.WithFunction("double", double))
	defer r.Close()
	res, err := r.Run(ctx, 21)
	if err != nil || res.Result != "42" {
		t.Fatalf("durable target: %+v, %v", res, err)
	}

	r2 := durabletest.New(caller("shout"))
	defer r2.Close()
	if err := r2.RegisterPlain("shout", shout); err != nil {
		t.Fatal(err)
	}
	res, err = r2.Run(ctx, json.RawMessage(`"hey"`))
	if err != nil || res.Result != `"HEY"` {
		t.Fatalf("plain target: %+v, %v", res, err)
	}

	r3 := durabletest.New(caller("double"), durabletest.WithFunctionName("caller"))
	defer r3.Close()
	if err := r3.Register("double", double); err != nil {
		t.Fatal(err)
	}
	if err := r3.Start(ctx, 5); err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for {
		inv, err := r3.RunInvocation(ctx)
		if errors.Is(err, durabletest.ErrNothingToRun) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		kinds = append(kinds, fmt.Sprint(inv.DurableExecutionArn == r3.ExecutionARN(), " ", inv.Status))
	}
	if fmt.Sprint(kinds) != "[true PENDING false SUCCEEDED true SUCCEEDED]" || r3.Result().Result != "10" {
		t.Fatalf("invocations %v, result %+v", kinds, r3.Result())
	}
	if !strings.Contains(r3.ExecutionARN(), ":function:caller:") {
		t.Fatalf("arn %s", r3.ExecutionARN())
	}
}

func TestStopAndInspection(t *testing.T) {
	ctx := context.Background()
	r := durabletest.New(approval(), durabletest.WithStartTime(time.Date(2030, 5, 1, 0, 0, 0, 0, time.UTC)))
	defer r.Close()
	if _, err := r.Resume(ctx); !errors.Is(err, durabletest.ErrNotStarted) {
		t.Fatalf("Resume before Start: %v", err)
	}
	if _, err := r.RunInvocation(ctx); !errors.Is(err, durabletest.ErrNotStarted) {
		t.Fatalf("RunInvocation before Start: %v", err)
	}
	if err := r.Stop(ctx, checkpoint.ErrorObject{}); !errors.Is(err, durabletest.ErrNotStarted) {
		t.Fatalf("Stop before Start: %v", err)
	}
	_, _ = r.Run(ctx, map[string]int{"a": 1})
	if op, found := r.Operation("approve"); !found || op.Type != checkpoint.TypeCallback {
		t.Fatalf("operation = %+v", op)
	}
	if ops := r.Operations(); len(ops) != 2 || ops[0].ExecutionDetails.InputPayload != `{"a":1}` {
		t.Fatalf("operations = %+v", ops)
	}
	if err := r.Stop(ctx, checkpoint.ErrorObject{ErrorType: "Enough"}); err != nil {
		t.Fatal(err)
	}
	res := r.Result()
	if res.Status != local.ExecutionStopped || res.Error.ErrorType != "Enough" || !res.Done() {
		t.Fatalf("result = %+v", res)
	}
	if h := r.History(); h[0].EventTimestamp.Year() != 2030 || h[len(h)-1].EventType != local.EventExecutionStopped {
		t.Fatalf("history = %+v", h)
	}
	if _, err := r.RunInvocation(ctx); !errors.Is(err, durabletest.ErrNothingToRun) {
		t.Fatalf("RunInvocation after the end: %v", err)
	}
}

func TestStartErrors(t *testing.T) {
	r := durabletest.New(approval(), durabletest.WithFunctionName("bad name"))
	defer r.Close()
	if _, err := r.Run(context.Background(), nil); err == nil {
		t.Fatal("no error for an invalid function name")
	}
	r2 := durabletest.New(approval())
	defer r2.Close()
	if _, err := r2.Run(context.Background(), func() {}); err == nil {
		t.Fatal("no error for an unencodable input")
	}
	r3 := durabletest.New(approval(), durabletest.WithServiceOptions(local.WithLimits(local.Limits{MaxInputPayload: 3})))
	defer r3.Close()
	if _, err := r3.Run(context.Background(), "long input"); !errors.Is(err, local.ErrRequestTooLarge) {
		t.Fatalf("oversized input: %v", err)
	}
}

// recorder is a TB for the assertion tests (and for plain main).
type recorder struct{ errs []string }

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func TestAssertHistoryGolden(t *testing.T) {
	ctx := context.Background()
	run := func() *durabletest.Runner {
		r := durabletest.New(approval())
		t.Cleanup(func() { _ = r.Close() })
		_, _ = r.Run(ctx, "x")
		cb, _ := r.Callback("approve")
		_ = r.SendCallbackSuccess(ctx, cb.CallbackId, []byte("yes"))
		_, _ = r.Resume(ctx)
		return r
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "approval.golden")
	t.Setenv(durabletest.UpdateEnv, "1")
	run().AssertHistory(t, path)
	t.Setenv(durabletest.UpdateEnv, "")
	golden, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, placeholder := range []string{"<execution-id>", "<request-1>", "<request-2>", "<callback-1>"} {
		if !strings.Contains(string(golden), placeholder) {
			t.Errorf("golden lacks %s:\n%s", placeholder, golden)
		}
	}
	// A second run with other random ids matches.
	run().AssertHistory(t, path)

	// A different history does not.
	rec := &recorder{}
	r := durabletest.New(approval())
	defer r.Close()
	_, _ = r.Run(ctx, "x")
	r.AssertHistory(rec, path)
	if len(rec.errs) != 1 || !strings.Contains(rec.errs[0], "line 4") {
		t.Fatalf("errors = %q", rec.errs)
	}
	if err := r.CheckHistory(filepath.Join(dir, "missing.golden")); err == nil || !strings.Contains(err.Error(), durabletest.UpdateEnv) {
		t.Fatalf("missing golden: %v", err)
	}
	if err := r.CheckHistory(path); !errors.Is(err, durabletest.ErrGoldenMismatch) {
		t.Fatalf("mismatch: %v", err)
	}
}
