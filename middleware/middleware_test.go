package middleware

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/internal/descriptor"
)

func tag(name string, trace *[]string) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, op *Operation) error {
			*trace = append(*trace, name+">")
			err := next(ctx, op)
			*trace = append(*trace, "<"+name)
			return err
		}
	}
}

func TestChainOrder(t *testing.T) {
	var trace []string
	h := Chain(tag("a", &trace), nil, tag("b", &trace))(func(ctx context.Context, op *Operation) error {
		trace = append(trace, "core")
		return errors.New("x")
	})
	err := h(context.Background(), &Operation{})
	if err == nil || strings.Join(trace, " ") != "a> b> core <b <a" {
		t.Fatalf("%v %v", err, trace)
	}
}

func TestChainSnapshotsItsArguments(t *testing.T) {
	var trace []string
	mws := []Middleware{tag("a", &trace)}
	chain := Chain(mws...)
	mws[0] = tag("z", &trace)
	_ = chain(func(context.Context, *Operation) error { return nil })(context.Background(), &Operation{})
	if trace[0] != "a>" {
		t.Fatal(trace)
	}
}

func TestComposedChainAllocatesNothing(t *testing.T) {
	var m Metrics
	pass := func(next Handler) Handler {
		return func(ctx context.Context, op *Operation) error { return next(ctx, op) }
	}
	h := Chain(pass, m.Operation(), pass, m.Attempt(), pass, pass, pass, pass, pass, pass, pass, pass)(
		func(ctx context.Context, op *Operation) error { op.d.Status = checkpoint.StatusSucceeded; return nil })
	op := testOp(descriptor.Op{ID: "1"})
	ctx := context.Background()
	if n := testing.AllocsPerRun(1000, func() { _ = h(ctx, op) }); n != 0 {
		t.Fatalf("%v allocations per call", n)
	}
}

func BenchmarkChain12(b *testing.B) {
	pass := func(next Handler) Handler {
		return func(ctx context.Context, op *Operation) error { return next(ctx, op) }
	}
	mws := make([]Middleware, 12)
	for i := range mws {
		mws[i] = pass
	}
	h := Chain(mws...)(func(context.Context, *Operation) error { return nil })
	op := &Operation{}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		_ = h(ctx, op)
	}
}

// testOp returns a descriptor of d.
func testOp(d descriptor.Op) *Operation { return &Operation{d: &d} }

type okClient struct{}

func (okClient) Checkpoint(context.Context, *checkpoint.CheckpointInput) (*checkpoint.CheckpointOutput, error) {
	return &checkpoint.CheckpointOutput{CheckpointToken: "t"}, nil
}

func (okClient) GetExecutionState(context.Context, *checkpoint.StateInput) (*checkpoint.ExecutionState, error) {
	return nil, errors.New("down")
}

func TestMetrics(t *testing.T) {
	var m Metrics
	op := m.Operation()(func(ctx context.Context, op *Operation) error {
		if op.Spec().ID == "bad" {
			return errors.New("x")
		}
		return nil
	})
	_ = op(context.Background(), testOp(descriptor.Op{ID: "1"}))
	_ = op(context.Background(), testOp(descriptor.Op{ID: "2", Replaying: true}))
	_ = op(context.Background(), testOp(descriptor.Op{ID: "bad"}))
	_ = op(context.Background(), testOp(descriptor.Op{ID: "3", Err: ErrSuspended}))
	att := m.Attempt()(func(context.Context, *Operation) error { return errors.New("y") })
	_ = att(context.Background(), &Operation{})
	c := ChainCheckpoint(m.Checkpoint())(okClient{})
	_, _ = c.Checkpoint(context.Background(), &checkpoint.CheckpointInput{Updates: []checkpoint.OperationUpdate{
		{Payload: "12345"}, {Error: &checkpoint.ErrorObject{ErrorType: "T", ErrorMessage: "msg", StackTrace: []string{"ab"}}},
	}})
	_, _ = c.GetExecutionState(context.Background(), &checkpoint.StateInput{})
	want := MetricsSnapshot{Operations: 4, Replays: 1, Failures: 1, Suspensions: 1, Attempts: 1, AttemptFailures: 1,
		CheckpointCalls: 1, CheckpointErrors: 1, StateCalls: 1, Updates: 2, Bytes: 11}
	if got := m.Snapshot(); got != want {
		t.Fatalf("%+v\nwant %+v", got, want)
	}
}

func TestClientFuncs(t *testing.T) {
	var c ClientFuncs
	if _, err := c.Checkpoint(context.Background(), nil); err == nil {
		t.Fatal("nil CheckpointFunc accepted")
	}
	if _, err := c.GetExecutionState(context.Background(), nil); err == nil {
		t.Fatal("nil GetExecutionStateFunc accepted")
	}
}

func TestChainInvocation(t *testing.T) {
	var trace []string
	mw := func(name string) InvocationMiddleware {
		return func(next InvocationHandler) InvocationHandler {
			return func(ctx context.Context, inv *Invocation) error {
				trace = append(trace, name)
				return next(ctx, inv)
			}
		}
	}
	h := ChainInvocation(mw("a"), mw("b"))(func(ctx context.Context, inv *Invocation) error {
		inv.Status = checkpoint.InvocationSucceeded
		return nil
	})
	inv := &Invocation{}
	if err := h(context.Background(), inv); err != nil || inv.Status != checkpoint.InvocationSucceeded || strings.Join(trace, "") != "ab" {
		t.Fatal(trace)
	}
}
