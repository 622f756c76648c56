package handlers

import "github.com/lambda-durable/durable"

// invoke5_4: invoke the echo function with null and return its null result.
func invoke5_4(ctx durable.Context, _ any) (any, error) {
	return durable.Invoke[any](ctx, "", echoFunction, any(nil))
}
