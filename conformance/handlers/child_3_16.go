package handlers

import "github.com/lambda-durable/durable"

// child3_16: a child context returns null without any durable operation.
func child3_16(ctx durable.Context, _ any) (any, error) {
	return durable.RunInChildContext(ctx, "nothing", func(durable.Context) (any, error) {
		return nil, nil
	})
}
