package faultinject_test

import (
	"context"
	"fmt"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/internal/faultinject"
	"github.com/lambda-durable/durable/middleware"
)

// An Injector wrapped around a client fails the calls its rules select.
// In the TestFault tests the client is the SDK's (through
// durable.WithCheckpointMiddleware(inj.Middleware())) and service errors
// come from the local service (local.WithAPIHook(inj.Hook())).
func ExampleInjector_Client() {
	service := middleware.ClientFuncs{
		CheckpointFunc: func(context.Context, *checkpoint.CheckpointInput) (*checkpoint.CheckpointOutput, error) {
			return &checkpoint.CheckpointOutput{CheckpointToken: "next"}, nil
		},
	}
	inj := faultinject.New(faultinject.Rule{Op: faultinject.OpCheckpoint, At: 2, Kind: faultinject.NetworkReset})
	c := inj.Client(service)
	for i := 1; i <= 3; i++ {
		_, err := c.Checkpoint(context.Background(), &checkpoint.CheckpointInput{DurableExecutionArn: "arn", CheckpointToken: "t"})
		fmt.Printf("call %d: failed %v, retryable %v\n", i, err != nil, checkpoint.IsRetryable(err))
	}
	fmt.Println("faults injected:", inj.Injected())
	// Output:
	// call 1: failed false, retryable false
	// call 2: failed true, retryable true
	// call 3: failed false, retryable false
	// faults injected: 1
}
