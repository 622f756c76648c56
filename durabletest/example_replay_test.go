package durabletest_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/durabletest"
)

// Replay checks recorded executions against changed code without calling
// any service. Here a finished execution of the order example is replayed
// against the same code, then against code that renamed a step.
func ExampleReplay() {
	ctx := context.Background()
	r := durabletest.New(durable.NewHandler(order, quiet))
	defer r.Close()
	if _, err := r.Run(ctx, "book"); err != nil {
		fmt.Println(err)
		return
	}
	rec, err := r.Recording() // or durabletest.ReadRecording("testdata/order.golden")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("same code:", durabletest.Replay(ctx, durable.NewHandler(order, quiet), rec))

	renamed := func(ctx durable.Context, item string) (string, error) {
		return durable.Step(ctx, "charge-card", func(durable.StepContext) (string, error) { return "", nil })
	}
	err = durabletest.Replay(ctx, durable.NewHandler(renamed, quiet), rec)
	var nd *durable.NonDeterministicExecutionError
	if errors.As(err, &nd) {
		fmt.Printf("renamed: operation %s recorded %q, code asked for %q at %s\n",
			nd.OperationID, nd.Recorded.Name, nd.Requested.Name, filepath.Base(nd.Source))
	}
	// Output:
	// same code: <nil>
	// renamed: operation 1 recorded "charge", code asked for "charge-card" at example_replay_test.go:32
}
