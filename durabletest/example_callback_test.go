package durabletest_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/local"
)

// approve waits for a human decision delivered through a callback.
func approve(ctx durable.Context, doc string) (string, error) {
	cb, err := durable.CreateCallback[string](ctx, "approval", durable.WithHeartbeatTimeout(time.Hour))
	if err != nil {
		return "", err
	}
	decision, err := cb.Get()
	if err != nil {
		return "", err
	}
	return doc + ": " + decision, nil
}

// Run stops when the execution waits for a callback; the test plays the
// external system and answers it, then resumes.
func ExampleRunner_SendCallbackSuccess() {
	r := durabletest.New(durable.NewHandler(approve, quiet))
	defer r.Close()
	ctx := context.Background()
	res, _ := r.Run(ctx, "contract")
	fmt.Println(res.Status)

	for _, cb := range r.OpenCallbacks() {
		fmt.Println("open callback:", cb.Name)
		_ = r.SendCallbackHeartbeat(ctx, cb.CallbackId)
		_ = r.SendCallbackSuccess(ctx, cb.CallbackId, []byte("approved"))
	}
	res, _ = r.Resume(ctx)
	fmt.Println(res.Status, res.Result)
	// Output:
	// RUNNING
	// open callback: approval
	// SUCCEEDED "contract: approved"
}

// A callback failure reaches the workflow as an error.
func ExampleRunner_SendCallbackFailure() {
	r := durabletest.New(durable.NewHandler(approve, quiet))
	defer r.Close()
	ctx := context.Background()
	_, _ = r.Run(ctx, "contract")
	cb, _ := r.Callback("approval")
	_ = r.SendCallbackFailure(ctx, cb.CallbackId, checkpoint.ErrorObject{ErrorType: "Rejected", ErrorMessage: "not signed"})
	res, _ := r.Resume(ctx)
	fmt.Println(res.Status, res.Error.ErrorMessage != "")
	// Output: FAILED true
}

// Advancing past the heartbeat timeout times the callback out.
func ExampleRunner_Advance_callbackTimeout() {
	r := durabletest.New(durable.NewHandler(approve, quiet))
	defer r.Close()
	ctx := context.Background()
	_, _ = r.Run(ctx, "contract")
	r.Advance(time.Hour)
	res, _ := r.Resume(ctx)
	fmt.Println(res.Status)
	for _, ev := range r.History() {
		if ev.EventType == local.EventCallbackTimedOut {
			fmt.Println(ev.CallbackTimedOutDetails.Error.Payload.ErrorType)
		}
	}
	// Output:
	// FAILED
	// Callback.Heartbeat
}

// Chained invokes run registered functions: durable ones as executions of
// their own, plain ones as a single call.
func ExampleWithFunction() {
	caller := func(ctx durable.Context, name string) (string, error) {
		greeting, err := durable.Invoke[string](ctx, "greet", "greeter", name)
		if err != nil {
			return "", err
		}
		return durable.Invoke[string](ctx, "shout", "shouter", greeting)
	}
	greeter := func(ctx durable.Context, name string) (string, error) {
		return durable.Step(ctx, "compose", func(durable.StepContext) (string, error) {
			return "hello " + name, nil
		})
	}
	shouter := local.FunctionFunc(func(_ context.Context, in []byte) ([]byte, error) {
		return []byte(strings.ToUpper(string(in))), nil
	})
	r := durabletest.New(durable.NewHandler(caller, quiet),
		durabletest.WithFunction("greeter", durable.NewHandler(greeter, quiet)),
		durabletest.WithPlainFunction("shouter", shouter))
	defer r.Close()
	res, err := r.Run(context.Background(), "ada")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Status, res.Result)
	// Output: SUCCEEDED "HELLO ADA"
}
