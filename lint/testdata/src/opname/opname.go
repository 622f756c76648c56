package opname

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/lambda-durable/durable"
)

type item struct{ id int }

func workflow(ctx durable.Context, items map[string]int, in *int) error {
	//durablelint:ignore wallclock the test is about the name
	stamp := time.Now().Format(time.RFC3339)
	_ = durable.Wait(ctx, "wait-"+stamp, 0) // want `operation name of durable.Wait built from time.Now in workflow code: it differs on each replay.*; build names from the input, constants`
	//durablelint:ignore random the test is about the name
	_, _ = durable.Step(ctx, strconv.Itoa(rand.IntN(9)), step) // want `operation name of durable.Step built from rand.IntN`
	_ = durable.Wait(ctx, fmt.Sprintf("at-%p", &items), 0)     // want `built from a pointer address formatted by fmt.Sprintf`
	_ = durable.Wait(ctx, fmt.Sprint(in), 0)                   // want `built from a pointer address formatted by fmt.Sprint`
	first := ""
	for k := range items {
		first = k
		break
	}
	_ = durable.Wait(ctx, "first-"+first, 0) // want `built from map iteration order \(k comes from a range over a map\)`
	return nil
}

func step(durable.StepContext) (int, error) { return 0, nil }

// Negative cases.

func good(ctx durable.Context, items map[string]int, order []string, it *item) error {
	for i, sku := range order {
		if _, err := durable.Step(ctx, fmt.Sprintf("reserve-%d-%s", i, sku), step); err != nil {
			return err
		}
	}
	id := durable.UUID(ctx)
	_ = durable.Wait(ctx, "wait-"+id, 0)
	now, _ := durable.Now(ctx)
	_ = durable.Wait(ctx, "at-"+now.Format(time.DateOnly), 0)
	_ = durable.Wait(ctx, fmt.Sprint(it), 0) // a pointer to a struct prints as &{...}
	var keys []string
	for k := range items {
		keys = append(keys, k)
	}
	// keys is sorted before use: collecting map keys into a slice is not
	// reported.
	sortStrings(keys)
	_ = durable.Wait(ctx, "first-"+keys[0], 0)
	_, err := durable.Invoke[int](ctx, "call", fmt.Sprint(time.Second), 1) // the function name is not an operation name
	return err
}

func sortStrings([]string) {}
