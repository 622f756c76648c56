package handlers

import "github.com/lambda-durable/durable"

// invoke5_14: two invokes, one after the other.
func invoke5_14(ctx durable.Context, _ any) ([]string, error) {
	first, err := durable.Invoke[string](ctx, "", "first", "one")
	if err != nil {
		return nil, err
	}
	second, err := durable.Invoke[string](ctx, "", "second", "two")
	if err != nil {
		return nil, err
	}
	return []string{first, second}, nil
}
