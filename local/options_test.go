package local

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
)

func TestFunctionAndServiceOptions(t *testing.T) {
	v := newEnv(t, WithAccount("eu-west-1", "111122223333"), WithInvokeRetryBudget(0))
	v.register("v2fn", echoFn(), WithQualifier("v2"))
	arn, out := v.run("v2fn", `"x"`)
	if !strings.HasPrefix(arn, "arn:aws:lambda:eu-west-1:111122223333:function:v2fn:v2/durable-execution/") ||
		out.Version != "v2" || out.FunctionArn != "arn:aws:lambda:eu-west-1:111122223333:function:v2fn:v2" {
		t.Fatalf("arn %s, execution %+v", arn, out)
	}
	if v.svc.Clock() != Clock(v.clk) || v.svc.Limits().MaxOperations != 3000 {
		t.Fatal("Clock or Limits accessor")
	}

	// The function timeout puts a deadline on the invocation context.
	v.register("slow", FunctionFunc(func(ctx context.Context, _ []byte) ([]byte, error) {
		if _, ok := ctx.Deadline(); !ok {
			return []byte(`{"Status":"FAILED","Error":{"ErrorType":"NoDeadline"}}`), nil
		}
		<-ctx.Done()
		return nil, ctx.Err()
	}), WithFunctionTimeout(time.Millisecond))
	_, out = v.run("slow", "")
	if out.Status != ExecutionFailed || out.Error.ErrorType != "Sandbox.Timedout" {
		t.Fatalf("slow = %+v", out)
	}

	// WithoutContextClient: the function must bring its own client.
	v.register("remote", FunctionFunc(func(ctx context.Context, _ []byte) ([]byte, error) {
		if _, ok := checkpoint.ClientFromContext(ctx); ok {
			return []byte(`{"Status":"FAILED","Error":{"ErrorType":"GotClient"}}`), nil
		}
		return []byte(`{"Status":"SUCCEEDED","Result":"1"}`), nil
	}), WithoutContextClient())
	if _, out = v.run("remote", ""); out.Status != ExecutionSucceeded {
		t.Fatalf("remote = %+v", out)
	}
}

func TestMemoryStoreDelete(t *testing.T) {
	s := NewMemoryStore()
	ctx := context.Background()
	_ = s.Save(ctx, "a", &Change{Header: []byte("1")})
	_ = s.Save(ctx, "b", &Change{Header: []byte("2"), Events: []Entry{{Seq: 0, Data: []byte("e")}}})
	if err := s.Delete(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, "missing"); err != nil {
		t.Fatal(err)
	}
	all, _ := s.LoadAll(ctx)
	if len(all) != 1 || all["b"] == nil || string(all["b"].Header) != "2" {
		t.Fatalf("LoadAll = %v", all)
	}
	_ = s.Save(ctx, "b", &Change{Header: []byte("3"), Events: []Entry{{Seq: 1, Data: []byte("f")}}})
	if len(all["b"].Events) != 1 || string(all["b"].Header) != "2" {
		t.Fatal("a later save shows through an earlier LoadAll answer")
	}
}

func TestStoreReloadPlainChainedCall(t *testing.T) {
	store := NewMemoryStore()
	clk := NewVirtualClock(time.Time{})
	ctx := context.Background()
	s1 := New(WithClock(clk), WithStore(store))
	entered := make(chan struct{})
	_ = s1.RegisterFunction("plain", FunctionFunc(func(ctx context.Context, in []byte) ([]byte, error) {
		close(entered)
		<-ctx.Done()
		return nil, ctx.Err()
	}), NonDurable())
	_ = s1.RegisterFunction("caller", invokerFn("plain", `"p"`))
	arn, _ := s1.StartExecution(ctx, StartInput{FunctionName: "caller", Async: true})
	<-entered
	_ = s1.Close()

	s2 := New(WithClock(clk), WithStore(store))
	defer s2.Close()
	_ = s2.RegisterFunction("caller", invokerFn("plain", `"p"`))
	_ = s2.RegisterFunction("plain", FunctionFunc(func(_ context.Context, in []byte) ([]byte, error) { return in, nil }), NonDurable())
	out, err := s2.WaitForCompletion(ctx, arn)
	if err != nil || out.Status != ExecutionSucceeded || *out.Result != `"p"` {
		t.Fatalf("execution = %+v, %v", out, err)
	}
}
