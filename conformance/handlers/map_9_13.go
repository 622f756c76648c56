package handlers

import (
	"fmt"

	"github.com/lambda-durable/durable"
)

// map9_13: each iteration is named after its item.
func map9_13(ctx durable.Context, numbers []int) ([]int, error) {
	r, err := durable.Map(ctx, "named-items", numbers,
		func(_ durable.Context, _ int, n int) (int, error) { return 10 * n, nil },
		durable.WithMaxConcurrency(1),
		durable.WithItemNamer(func(i int) string { return fmt.Sprintf("item-%d", numbers[i]) }))
	if err != nil {
		return nil, err
	}
	return r.Results(), nil
}
