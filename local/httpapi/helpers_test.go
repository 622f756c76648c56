package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/local/httpapi"
)

// env is a local service behind the HTTP front, and a real aws-sdk-go-v2
// Lambda client pointed at it.
type env struct {
	svc    *local.Service
	srv    *httpapi.Server
	client *lambda.Client
	// cp is the SDK's checkpoint adapter over client: what a durable
	// function uses in HTTP mode.
	cp checkpoint.Client
}

func newEnv(t testing.TB, svcOpts []local.Option, hOpts ...httpapi.Option) *env {
	t.Helper()
	svc := local.New(svcOpts...)
	srv, err := httpapi.Listen("", httpapi.NewHandler(svc, hOpts...))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = srv.Close()
		_ = svc.Close()
	})
	client := httpapi.LambdaClient(srv.URL(), func(o *lambda.Options) { o.RetryMaxAttempts = 1 })
	return &env{svc: svc, srv: srv, client: client, cp: checkpoint.NewLambdaClient(client)}
}

// register registers a wire-level durable function that checkpoints over
// HTTP through the real client.
func (e *env) register(t testing.TB, name string, body func(ctx context.Context, inv *invocation) checkpoint.InvocationResponse) {
	t.Helper()
	fn := local.FunctionFunc(func(ctx context.Context, payload []byte) ([]byte, error) {
		var ev checkpoint.InvocationEvent
		if err := json.Unmarshal(payload, &ev); err != nil {
			return nil, fmt.Errorf("decoding the invocation event: %w", err)
		}
		inv := &invocation{cp: e.cp, arn: ev.DurableExecutionArn, token: ev.CheckpointToken, ops: map[string]checkpoint.Operation{}}
		if ev.InitialExecutionState != nil {
			for _, op := range ev.InitialExecutionState.Operations {
				inv.ops[op.Id] = op
				if op.Type == checkpoint.TypeExecution && op.ExecutionDetails != nil {
					inv.input = op.ExecutionDetails.InputPayload
				}
			}
		}
		return json.Marshal(body(ctx, inv))
	})
	if err := e.svc.RegisterFunction(name, fn, local.WithoutContextClient()); err != nil {
		t.Fatal(err)
	}
}

// invocation is the state a hand-written durable function keeps during one
// invocation: a tiny stand-in for the SDK.
type invocation struct {
	cp    checkpoint.Client
	arn   string
	token string
	input string
	ops   map[string]checkpoint.Operation
}

// checkpoint sends updates and folds the answer into the invocation state.
func (inv *invocation) checkpoint(ctx context.Context, updates ...checkpoint.OperationUpdate) error {
	out, err := inv.cp.Checkpoint(ctx, &checkpoint.CheckpointInput{
		DurableExecutionArn: inv.arn,
		CheckpointToken:     inv.token,
		Updates:             updates,
	})
	if err != nil {
		return err
	}
	inv.token = out.CheckpointToken
	if out.NewExecutionState != nil {
		for _, op := range out.NewExecutionState.Operations {
			inv.ops[op.Id] = op
		}
	}
	return nil
}

func succeed(result string) checkpoint.InvocationResponse {
	return checkpoint.InvocationResponse{Status: checkpoint.InvocationSucceeded, Result: result}
}

func fail(err error) checkpoint.InvocationResponse {
	return checkpoint.InvocationResponse{Status: checkpoint.InvocationFailed,
		Error: &checkpoint.ErrorObject{ErrorType: "TestFailure", ErrorMessage: err.Error()}}
}

func pending() checkpoint.InvocationResponse {
	return checkpoint.InvocationResponse{Status: checkpoint.InvocationPending}
}

// recorder collects values from inside function invocations.
type recorder[T any] struct {
	mu   sync.Mutex
	vals []T
}

func (r *recorder[T]) add(v T) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.vals = append(r.vals, v)
}

func (r *recorder[T]) all() []T {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]T(nil), r.vals...)
}
