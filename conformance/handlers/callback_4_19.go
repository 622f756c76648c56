package handlers

import (
	"fmt"

	"github.com/lambda-durable/durable"
)

// callback4_19: callbacks A and B, then B's result, then A's.
func callback4_19(ctx durable.Context, names []string) ([]string, error) {
	if len(names) != 2 {
		return nil, fmt.Errorf("want two callback names, got %d", len(names))
	}
	a, err := durable.CreateCallback[string](ctx, names[0])
	if err != nil {
		return nil, err
	}
	b, err := durable.CreateCallback[string](ctx, names[1])
	if err != nil {
		return nil, err
	}
	rb, err := b.Get()
	if err != nil {
		return nil, err
	}
	ra, err := a.Get()
	if err != nil {
		return nil, err
	}
	return []string{ra, rb}, nil
}
