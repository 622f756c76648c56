package local

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/lambda-durable/durable/checkpoint"
)

// captured runs one invocation that records its first token and the tokens
// of later calls, then blocks until released, so that tests can call the
// service with the invocation's tokens.
type captured struct {
	arn     string
	first   string
	release chan struct{}
	f       *fakeInv
}

func capture(t *testing.T, v *env) *captured {
	t.Helper()
	c := &captured{release: make(chan struct{})}
	ready := make(chan struct{})
	v.register("cap", newFake(func(f *fakeInv) (checkpoint.InvocationResponse, error) {
		if f.n > 1 {
			return succeeded("")
		}
		c.f, c.first = f, f.token
		close(ready)
		<-c.release
		return succeeded("")
	}))
	c.arn = v.start("cap", "")
	<-ready
	t.Cleanup(func() {
		select {
		case <-c.release:
		default:
			close(c.release)
		}
	})
	return c
}

func (c *captured) call(v *env, tok, client string, ups ...checkpoint.OperationUpdate) (*checkpoint.CheckpointOutput, error) {
	return v.svc.Checkpoint(context.Background(), &checkpoint.CheckpointInput{DurableExecutionArn: c.arn,
		CheckpointToken: tok, ClientToken: client, Updates: ups})
}

func TestTokensRotateAndStaleOnesAreRejected(t *testing.T) {
	v := newEnv(t)
	c := capture(t, v)
	out1, err := c.call(v, c.first, "a", stepStart("s1", ""))
	if err != nil {
		t.Fatal(err)
	}
	if out1.CheckpointToken == "" || out1.CheckpointToken == c.first {
		t.Fatalf("token did not rotate: %q", out1.CheckpointToken)
	}
	// The first token is now stale.
	_, err = c.call(v, c.first, "b", stepSucceed("s1", "1"))
	wantCode(t, err, CodeInvalidParameterValue, checkpoint.InvalidTokenPrefix)
	var ae *APIError
	_ = asAPI(err, &ae)
	if !strings.HasPrefix(ae.Message, "Invalid Checkpoint Token") {
		t.Fatalf("message %q", ae.Message)
	}
	// A made-up token and an empty one too.
	_, err = c.call(v, "bogus", "c")
	wantCode(t, err, CodeInvalidParameterValue, checkpoint.InvalidTokenPrefix)
	_, err = c.call(v, "", "c")
	wantCode(t, err, CodeInvalidParameterValue, checkpoint.InvalidTokenPrefix)
	// An empty update list is a poll: it rotates the token.
	out2, err := c.call(v, out1.CheckpointToken, "d")
	if err != nil || out2.CheckpointToken == out1.CheckpointToken || len(out2.NewExecutionState.Operations) != 0 {
		t.Fatalf("poll = %+v, %v", out2, err)
	}
	// GetState accepts any token of the current invocation.
	if _, err := v.svc.GetState(context.Background(), &checkpoint.StateInput{DurableExecutionArn: c.arn, CheckpointToken: c.first}); err != nil {
		t.Fatal(err)
	}
	// The in-process client classifies a stale token as retryable.
	_, err = v.svc.Client().Checkpoint(context.Background(), &checkpoint.CheckpointInput{DurableExecutionArn: c.arn, CheckpointToken: c.first})
	if !checkpoint.IsRetryable(err) {
		t.Fatalf("stale token via client: %v", err)
	}
	close(c.release)
	v.idle()
	// Once the invocation has ended, its latest token is dead too.
	_, err = c.call(v, out2.CheckpointToken, "e")
	wantCode(t, err, CodeInvalidParameterValue, checkpoint.InvalidTokenPrefix)
	_, err = v.svc.GetState(context.Background(), &checkpoint.StateInput{DurableExecutionArn: c.arn, CheckpointToken: out2.CheckpointToken})
	wantCode(t, err, CodeInvalidParameterValue, checkpoint.InvalidTokenPrefix)
}

func TestForeignTokenRejected(t *testing.T) {
	v := newEnv(t)
	c := capture(t, v)
	other := newEnv(t)
	d := capture(t, other)
	// A token of another service's invocation.
	_, err := c.call(v, d.first, "x")
	wantCode(t, err, CodeInvalidParameterValue, checkpoint.InvalidTokenPrefix)
	_, err = v.svc.Checkpoint(context.Background(), &checkpoint.CheckpointInput{DurableExecutionArn: "arn:nope", CheckpointToken: c.first})
	wantCode(t, err, CodeResourceNotFound, "")
}

func TestTokenOfAnotherExecution(t *testing.T) {
	v := newEnv(t)
	release := make(chan struct{})
	toks := make(chan [2]string, 2)
	v.register("hold", newFake(func(f *fakeInv) (checkpoint.InvocationResponse, error) {
		toks <- [2]string{f.arn, f.token}
		<-release
		return succeeded("")
	}))
	v.start("hold", "")
	v.start("hold", "")
	a, b := <-toks, <-toks
	defer close(release)
	_, err := v.svc.Checkpoint(context.Background(), &checkpoint.CheckpointInput{DurableExecutionArn: a[0], CheckpointToken: b[1]})
	wantCode(t, err, CodeInvalidParameterValue, checkpoint.InvalidTokenPrefix)
}

func TestIdempotentReplay(t *testing.T) {
	v := newEnv(t)
	c := capture(t, v)
	out1, err := c.call(v, c.first, "client-1", stepStart("s1", "x"), stepSucceed("s1", "42"))
	if err != nil {
		t.Fatal(err)
	}
	// The same (ClientToken, token) pair replays the answer and records nothing.
	again, err := c.call(v, c.first, "client-1", stepStart("s1", "x"), stepSucceed("s1", "42"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(out1, again) {
		t.Fatalf("replay differs:\n%+v\n%+v", out1, again)
	}
	if n := len(v.history(c.arn)); n != 3 {
		t.Fatalf("history has %d events, want 3: %v", n, v.types(c.arn))
	}
	// A different ClientToken with the old token is a stale call.
	_, err = c.call(v, c.first, "client-2", stepStart("s2", ""))
	wantCode(t, err, CodeInvalidParameterValue, checkpoint.InvalidTokenPrefix)
	// The rotated token still works.
	if _, err := c.call(v, out1.CheckpointToken, "client-3"); err != nil {
		t.Fatal(err)
	}
}

func TestRejectedBatchKeepsToken(t *testing.T) {
	v := newEnv(t)
	c := capture(t, v)
	_, err := c.call(v, c.first, "a", stepStart("s1", ""), waitStart("w1", 0))
	wantCode(t, err, CodeInvalidParameterValue, "WaitSeconds")
	if ops, _ := v.svc.Operations(c.arn); len(ops) != 1 {
		t.Fatalf("a rejected batch recorded operations: %+v", ops)
	}
	if n := len(v.history(c.arn)); n != 1 {
		t.Fatalf("a rejected batch recorded events: %v", v.types(c.arn))
	}
	if _, err := c.call(v, c.first, "b", stepStart("s1", "")); err != nil {
		t.Fatalf("token after a rejected batch: %v", err)
	}
}

func TestDeltaCarriesAsyncChanges(t *testing.T) {
	v := newEnv(t, WithTimeSkipping(SkipNever))
	c := capture(t, v)
	out, err := c.call(v, c.first, "a", callbackStart("cb1", "", 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	cbId := out.NewExecutionState.Operations[0].CallbackDetails.CallbackId
	if err := v.svc.SendCallbackSuccess(context.Background(), &SendCallbackSuccessInput{CallbackId: cbId, Result: []byte("yes")}); err != nil {
		t.Fatal(err)
	}
	out, err = c.call(v, out.CheckpointToken, "b", stepStart("s1", ""))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range out.NewExecutionState.Operations {
		got = append(got, fmt.Sprintf("%s=%s", o.Id, o.Status))
	}
	if fmt.Sprint(got) != "[s1=STARTED cb1=SUCCEEDED]" {
		t.Fatalf("delta = %v", got)
	}
	// Reported once only.
	out, _ = c.call(v, out.CheckpointToken, "c")
	if len(out.NewExecutionState.Operations) != 0 {
		t.Fatalf("second delta = %+v", out.NewExecutionState.Operations)
	}
}

func asAPI(err error, target **APIError) bool {
	ae, ok := err.(*APIError)
	*target = ae
	return ok
}
