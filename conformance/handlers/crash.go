package handlers

import (
	"context"
	"fmt"
	"sync"

	"github.com/lambda-durable/durable/conformance/harness"
	"github.com/lambda-durable/durable/local"
)

// crashKey is the context key of the function that crashes the runtime.
type crashKey struct{}

// crashable lets workflow code crash the Lambda runtime the way a process
// exit does (process.exit in the requirements' prose): exitRuntime ends the
// invocation at once, recorded by the service as Runtime.ExitError, and the
// code that called it never resumes.
type crashable struct{ fn harness.Function }

// Invoke implements harness.Function.
func (c crashable) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	crashed := make(chan struct{})
	var once sync.Once
	ctx = context.WithValue(ctx, crashKey{}, func() { once.Do(func() { close(crashed) }) })
	type result struct {
		out []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		out, err := c.fn.Invoke(ctx, payload)
		done <- result{out, err}
	}()
	select {
	case r := <-done:
		return r.out, r.err
	case <-crashed:
		return nil, fmt.Errorf("the workflow exited the process: %w", local.ErrRuntimeExit)
	}
}

// exitRuntime crashes the runtime of a crashable function: the invocation
// ends and the calling goroutine blocks for good, as if its process was gone.
// Outside a crashable function it panics.
func exitRuntime(ctx context.Context) {
	crash, ok := ctx.Value(crashKey{}).(func())
	if !ok {
		panic("exitRuntime called outside a crashable function")
	}
	crash()
	select {}
}
