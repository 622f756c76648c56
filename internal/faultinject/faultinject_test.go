package faultinject_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/internal/faultinject"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/middleware"
)

// stub is a service that answers every call with a new token and counts
// the calls that reach it.
type stub struct{ checkpoints, reads int }

func (s *stub) client() checkpoint.Client {
	return middleware.ClientFuncs{
		CheckpointFunc: func(_ context.Context, in *checkpoint.CheckpointInput) (*checkpoint.CheckpointOutput, error) {
			s.checkpoints++
			return &checkpoint.CheckpointOutput{CheckpointToken: "tok-" + string(rune('a'+s.checkpoints))}, nil
		},
		GetExecutionStateFunc: func(context.Context, *checkpoint.StateInput) (*checkpoint.ExecutionState, error) {
			s.reads++
			return &checkpoint.ExecutionState{}, nil
		},
	}
}

func cpIn(id string, a checkpoint.Action) *checkpoint.CheckpointInput {
	return &checkpoint.CheckpointInput{DurableExecutionArn: "arn", CheckpointToken: "t",
		Updates: []checkpoint.OperationUpdate{{Id: id, Type: checkpoint.TypeStep, Action: a}}}
}

func TestKindClasses(t *testing.T) {
	for _, k := range faultinject.AllKinds() {
		if k.String() == "unknown-fault" {
			t.Errorf("kind %d has no name", int(k))
		}
		if k.Retryable() && k.Terminal() {
			t.Errorf("%s is both retryable and terminal", k)
		}
		if ae := k.APIError(); ae != nil && k.Applies() {
			t.Errorf("%s is a service error and yet applied", k)
		}
	}
	if faultinject.Kind(0).String() != "unknown-fault" || !faultinject.Throttle.Retryable() || !faultinject.KMS.Terminal() {
		t.Fatal("classes")
	}
	if ae := faultinject.KMS.APIError(); ae.HTTPStatus != 502 || !strings.HasPrefix(ae.Code, "KMS") {
		t.Fatalf("KMS error %+v", ae)
	}
	if ae := faultinject.StaleToken.APIError(); !strings.HasPrefix(ae.Message, checkpoint.InvalidTokenPrefix) {
		t.Fatalf("stale token error %+v", ae)
	}
}

// TestRulesCountMatchingCalls checks At, Times, Op and Match.
func TestRulesCountMatchingCalls(t *testing.T) {
	var s stub
	inj := faultinject.New(
		faultinject.Rule{Op: faultinject.OpGetState, At: 2, Kind: faultinject.NetworkReset},
		faultinject.Rule{Op: faultinject.OpCheckpoint, Match: faultinject.Carries("2", checkpoint.ActionSucceed), At: 2, Times: 2, Kind: faultinject.Timeout},
	)
	c := inj.Client(s.client())
	ctx := context.Background()
	var got []bool
	for _, in := range []*checkpoint.CheckpointInput{cpIn("1", checkpoint.ActionSucceed), cpIn("2", checkpoint.ActionSucceed),
		cpIn("2", checkpoint.ActionStart), cpIn("2", checkpoint.ActionSucceed), cpIn("2", checkpoint.ActionSucceed), cpIn("2", checkpoint.ActionSucceed)} {
		_, err := c.Checkpoint(ctx, in)
		got = append(got, err != nil)
		if err != nil && (!checkpoint.IsRetryable(err) || !errors.Is(err, faultinject.ErrInjected) || !errors.Is(err, context.DeadlineExceeded)) {
			t.Fatalf("timeout error %v", err)
		}
	}
	if want := []bool{false, false, false, true, true, false}; !equal(got, want) {
		t.Fatalf("checkpoint failures %v, want %v", got, want)
	}
	for i := 1; i <= 3; i++ {
		_, err := c.GetExecutionState(ctx, &checkpoint.StateInput{})
		if (err != nil) != (i == 2) {
			t.Fatalf("read %d: %v", i, err)
		}
	}
	if inj.Calls("") != 9 || inj.Calls(faultinject.OpCheckpoint) != 6 || inj.Injected() != 3 ||
		inj.InjectedKind(faultinject.Timeout) != 2 || s.checkpoints != 4 || s.reads != 2 || len(inj.Updates()) != 6 {
		t.Fatalf("calls %d/%d injected %d, stub saw %d/%d", inj.Calls(""), inj.Calls(faultinject.OpCheckpoint), inj.Injected(), s.checkpoints, s.reads)
	}
	if err := inj.Err(); err != nil {
		t.Fatal(err)
	}
}

func equal(a, b []bool) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestServiceFaultNeedsTheHook(t *testing.T) {
	var s stub
	inj := faultinject.New(faultinject.Rule{At: 1, Kind: faultinject.Throttle})
	_, err := inj.Client(s.client()).Checkpoint(context.Background(), cpIn("1", checkpoint.ActionStart))
	if !errors.Is(err, faultinject.ErrNotDelivered) || !errors.Is(inj.Err(), faultinject.ErrNotDelivered) {
		t.Fatalf("err %v, problems %v", err, inj.Err())
	}
}

func TestTransportFaultsAndMissingToken(t *testing.T) {
	var s stub
	inj := faultinject.New(
		faultinject.Rule{At: 1, Kind: faultinject.NetworkReset},
		faultinject.Rule{At: 2, Kind: faultinject.LostResponse},
		faultinject.Rule{At: 3, Kind: faultinject.NoToken},
		faultinject.Rule{At: 4, Kind: faultinject.Crash},
	)
	c := inj.Client(s.client())
	ctx := context.Background()
	if _, err := c.Checkpoint(ctx, cpIn("1", checkpoint.ActionStart)); !checkpoint.IsRetryable(err) || s.checkpoints != 0 {
		t.Fatalf("reset: %v, %d calls reached the service", err, s.checkpoints)
	}
	if _, err := c.Checkpoint(ctx, cpIn("1", checkpoint.ActionStart)); !checkpoint.IsRetryable(err) || s.checkpoints != 1 {
		t.Fatalf("lost response: %v, %d calls reached the service", err, s.checkpoints)
	}
	out, err := c.Checkpoint(ctx, cpIn("1", checkpoint.ActionSucceed))
	if err != nil || out.CheckpointToken != "" || s.checkpoints != 2 {
		t.Fatalf("no token: %+v %v", out, err)
	}
	if _, err := c.Checkpoint(ctx, cpIn("2", checkpoint.ActionStart)); err == nil || !errors.Is(inj.Err(), faultinject.ErrNoKillSwitch) {
		t.Fatalf("crash without a kill switch: %v, problems %v", err, inj.Err())
	}
}

// TestLostResponseRetriedAgainstTheService checks the local service
// answers a repeated call idempotently, and that a service that does not is
// caught.
func TestLostResponseRetriedAgainstTheService(t *testing.T) {
	svc := local.New(local.WithManualInvocations())
	defer svc.Close()
	inj := faultinject.New(faultinject.Rule{At: 1, Kind: faultinject.LostResponseRetried})
	var seen string
	fn := local.FunctionFunc(func(ctx context.Context, payload []byte) ([]byte, error) {
		var ev checkpoint.InvocationEvent
		if err := json.Unmarshal(payload, &ev); err != nil {
			return nil, err
		}
		c, _ := checkpoint.ClientFromContext(ctx)
		out, err := inj.Client(c).Checkpoint(ctx, &checkpoint.CheckpointInput{DurableExecutionArn: ev.DurableExecutionArn,
			CheckpointToken: ev.CheckpointToken, Updates: []checkpoint.OperationUpdate{
				{Id: "1", Type: checkpoint.TypeStep, SubType: "Step", Action: checkpoint.ActionSucceed, Payload: "1"}}})
		if err != nil {
			return nil, err
		}
		seen = out.CheckpointToken
		return []byte(`{"Status":"SUCCEEDED","Result":"1"}`), nil
	})
	if err := svc.RegisterFunction("fn", fn); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.StartExecution(context.Background(), local.StartInput{FunctionName: "fn", Async: true}); err != nil {
		t.Fatal(err)
	}
	res, _, err := svc.RunNextInvocation(context.Background())
	if err != nil || res.Status != checkpoint.InvocationSucceeded || seen == "" || inj.Err() != nil {
		t.Fatalf("%+v %v token %q problems %v", res, err, seen, inj.Err())
	}

	var s stub // answers each call with a new token: not idempotent
	inj = faultinject.New(faultinject.Rule{At: 1, Kind: faultinject.LostResponseRetried})
	if _, err := inj.Client(s.client()).Checkpoint(context.Background(), cpIn("1", checkpoint.ActionStart)); err != nil || inj.Err() == nil {
		t.Fatalf("a non-idempotent answer went unnoticed: %v", err)
	}
}

// TestFunctionKill checks that a killed invocation reports a runtime exit,
// makes no further call and signals its return.
func TestFunctionKill(t *testing.T) {
	var s stub
	inj := faultinject.New(faultinject.Rule{At: 2, Kind: faultinject.CrashAfterApply})
	var after error
	var returned <-chan struct{}
	fn := inj.Function(local.FunctionFunc(func(ctx context.Context, payload []byte) ([]byte, error) {
		c := inj.Client(s.client())
		returned = faultinject.Returned(ctx)
		if _, err := c.Checkpoint(ctx, cpIn("1", checkpoint.ActionStart)); err != nil {
			return nil, err
		}
		_, err := c.Checkpoint(ctx, cpIn("1", checkpoint.ActionSucceed))
		if !faultinject.Killed(ctx) || ctx.Err() == nil || !errors.Is(err, faultinject.ErrKilled) {
			t.Errorf("after the crash: killed %v, ctx %v, err %v", faultinject.Killed(ctx), ctx.Err(), err)
		}
		_, after = c.Checkpoint(ctx, cpIn("2", checkpoint.ActionStart))
		if faultinject.HasReturned(ctx) {
			t.Error("returned before returning")
		}
		return []byte(`{"Status":"SUCCEEDED"}`), nil
	}))
	out, err := fn.Invoke(context.Background(), nil)
	if out != nil || !errors.Is(err, local.ErrRuntimeExit) || !errors.Is(err, faultinject.ErrKilled) {
		t.Fatalf("killed invocation returned %s, %v", out, err)
	}
	if !errors.Is(after, faultinject.ErrKilled) || s.checkpoints != 2 || inj.Crashes() != 1 {
		t.Fatalf("call after the kill: %v; %d calls reached the service", after, s.checkpoints)
	}
	<-returned
	if faultinject.Kill(context.Background()) || faultinject.Killed(context.Background()) ||
		faultinject.Returned(context.Background()) != nil || faultinject.HasReturned(context.Background()) {
		t.Fatal("a context outside Function has a kill switch")
	}
}

// TestHTTPFaults drives the wire faults with a plain HTTP client.
func TestHTTPFaults(t *testing.T) {
	var served atomic.Int32
	backend := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"CheckpointToken":"next","NewExecutionState":{"Operations":[]}}`)
	})
	inj := faultinject.New(
		faultinject.Rule{Op: faultinject.OpCheckpoint, At: 1, Kind: faultinject.Throttle},
		faultinject.Rule{Op: faultinject.OpCheckpoint, At: 2, Kind: faultinject.NetworkReset},
		faultinject.Rule{Op: faultinject.OpCheckpoint, At: 3, Kind: faultinject.LostResponse},
		faultinject.Rule{Op: faultinject.OpCheckpoint, At: 4, Kind: faultinject.NoToken},
		faultinject.Rule{Op: faultinject.OpGetState, At: 1, Kind: faultinject.Timeout},
	)
	srv := httptest.NewServer(inj.HTTP(backend))
	defer srv.Close()
	post := func() (*http.Response, string, error) {
		res, err := http.Post(srv.URL+"/2025-12-01/durable-executions/arn%3Ax/checkpoint", "application/json",
			strings.NewReader(`{"CheckpointToken":"t","ClientToken":"c","Updates":[{"Id":"1","Type":"STEP","Action":"START"}]}`))
		if err != nil {
			return nil, "", err
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b), nil
	}
	res, body, err := post()
	if err != nil || res.StatusCode != 429 || res.Header.Get("X-Amzn-ErrorType") != local.CodeTooManyRequests ||
		res.Header.Get("Retry-After") != "1" || !strings.Contains(body, `"message"`) || served.Load() != 0 {
		t.Fatalf("throttle: %v %+v %s", err, res, body)
	}
	if _, _, err := post(); err == nil || served.Load() != 0 {
		t.Fatalf("reset: %v, served %d", err, served.Load())
	}
	if _, _, err := post(); err == nil || served.Load() != 1 {
		t.Fatalf("lost response: %v, served %d", err, served.Load())
	}
	if res, body, err = post(); err != nil || res.StatusCode != 200 || strings.Contains(body, "CheckpointToken") || !strings.Contains(body, "NewExecutionState") {
		t.Fatalf("no token: %v %s", err, body)
	}
	if _, body, err = post(); err != nil || !strings.Contains(body, `"next"`) {
		t.Fatalf("pass-through: %v %s", err, body)
	}
	res, err = http.Get(srv.URL + "/2025-12-01/durable-executions/arn%3Ax/state?CheckpointToken=t")
	if err != nil || res.StatusCode != 500 || inj.Err() == nil {
		t.Fatalf("unsupported fault: %v %+v problems %v", err, res, inj.Err())
	}
	res.Body.Close()
	other, err := http.Get(srv.URL + "/2015-03-31/functions/fn/invocations")
	if err != nil || other.StatusCode != 200 {
		t.Fatalf("other operations pass through: %v", err)
	}
	other.Body.Close()
	traffic := inj.Traffic()
	if len(traffic) != 5 || traffic[0].Fault != faultinject.Throttle || traffic[2].Fault != faultinject.LostResponse ||
		traffic[2].Status != 200 || traffic[2].ClientToken != "c" || traffic[2].CheckpointToken != "t" || traffic[4].Fault != 0 {
		t.Fatalf("traffic %+v", traffic)
	}
}
