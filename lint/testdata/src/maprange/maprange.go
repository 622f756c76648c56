package maprange

import (
	"maps"
	"slices"

	"github.com/lambda-durable/durable"
)

func workflow(ctx durable.Context, cart map[string]int) error {
	for sku := range cart { // want `range over a map starts durable operations \(durable.Step, line 12\) in workflow code: Go randomises map order, so the operations get different ids on each replay; range over sorted keys`
		if _, err := durable.Step(ctx, "reserve-"+sku, reserve); err != nil {
			return err
		}
	}
	for k := range maps.Keys(cart) { // want `range over maps.Keys\(...\) starts durable operations`
		_ = durable.Wait(ctx, k, 0)
	}
	var branches []func(durable.Context) (int, error)
	for sku := range cart { // want `range over a map starts durable operations \(durable.Step`
		branches = append(branches, func(c durable.Context) (int, error) { return durable.Step(c, sku, reserve) })
	}
	for sku, qty := range cart { // want `range over a map starts durable operations \(reserveAll`
		reserveAll(ctx, sku, qty)
	}
	return nil
}

func reserve(durable.StepContext) (int, error) { return 0, nil }

func reserveAll(ctx durable.Context, sku string, qty int) {}

// Negative cases.

func sorted(ctx durable.Context, cart map[string]int) error {
	for _, sku := range slices.Sorted(maps.Keys(cart)) {
		if _, err := durable.Step(ctx, "reserve-"+sku, reserve); err != nil {
			return err
		}
	}
	total := 0
	for _, qty := range cart { // no durable operation in the body
		total += qty
	}
	for sku := range cart { // logging and the recorded start time start no operation
		ctx.Logger().Info("item", "sku", sku)
		_ = durable.ExecutionStartTime(ctx)
	}
	_, err := durable.Step(ctx, "sum", func(sc durable.StepContext) (int, error) {
		for range cart { // inside a step body: not workflow code
			_ = sc
		}
		return total, nil
	})
	return err
}
