package local

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/lambda-durable/durable/checkpoint"
)

func TestKillableReportsARuntimeExit(t *testing.T) {
	var inv context.Context
	fn := Killable(FunctionFunc(func(ctx context.Context, _ []byte) ([]byte, error) {
		inv = ctx
		if Killed(ctx) || !Kill(ctx) || !Killed(ctx) {
			t.Error("Kill inside a Killable invocation: not killed")
		}
		if !errors.Is(context.Cause(ctx), ErrKilled) {
			t.Errorf("context cause %v, want ErrKilled", context.Cause(ctx))
		}
		select {
		case <-InvocationReturned(ctx):
			t.Error("InvocationReturned closed before the function returned")
		default:
		}
		return []byte(`{"Status":"SUCCEEDED"}`), nil // dropped: the process is dead
	}))
	out, err := fn.Invoke(context.Background(), nil)
	if out != nil || !errors.Is(err, ErrRuntimeExit) || !errors.Is(err, ErrKilled) {
		t.Fatalf("killed invocation returned %q, %v; want a runtime exit", out, err)
	}
	if e := functionError(err); e.ErrorType != "Runtime.ExitError" {
		t.Errorf("recorded as %+v, want Runtime.ExitError", e)
	}
	<-InvocationReturned(inv) // closed, or the test hangs
}

func TestKillOutsideAKillableInvocation(t *testing.T) {
	ctx := context.Background()
	if Kill(ctx) || Killed(ctx) || InvocationReturned(ctx) != nil {
		t.Error("Kill, Killed or InvocationReturned acted without a Killable invocation")
	}
	out, err := Killable(FunctionFunc(func(context.Context, []byte) ([]byte, error) { return []byte("ok"), nil })).Invoke(ctx, nil)
	if string(out) != "ok" || err != nil {
		t.Errorf("an invocation not killed returned %q, %v", out, err)
	}
}

type reported struct{ eo checkpoint.ErrorObject }

func (r *reported) Error() string                       { return r.eo.ErrorMessage }
func (r *reported) ErrorObject() checkpoint.ErrorObject { return r.eo }

func TestFunctionErrorKeepsTheReportedErrorObject(t *testing.T) {
	eo := checkpoint.ErrorObject{ErrorType: "errorString", ErrorMessage: "card declined", StackTrace: []string{"main.go:12"}}
	got := functionError(fmt.Errorf("invoke: %w", &reported{eo: eo}))
	if got.ErrorType != eo.ErrorType || got.ErrorMessage != eo.ErrorMessage || len(got.StackTrace) != 1 {
		t.Errorf("recorded %+v, want the runtime's report %+v", got, eo)
	}
}
