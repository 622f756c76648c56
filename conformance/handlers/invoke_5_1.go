package handlers

import "github.com/lambda-durable/durable"

// invoke5_1: invoke the echo function with the input and return its result.
func invoke5_1(ctx durable.Context, input string) (string, error) {
	return durable.Invoke[string](ctx, "", echoFunction, input)
}
