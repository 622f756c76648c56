package handlers

import "github.com/lambda-durable/durable"

// invoke5_13: an invoke inside a child context, whose result the child
// context returns.
func invoke5_13(ctx durable.Context, _ any) (string, error) {
	return durable.RunInChildContext(ctx, "child", func(ctx durable.Context) (string, error) {
		return durable.Invoke[string](ctx, "", echoFunction, "from the child")
	})
}
