package handlers

import "github.com/lambda-durable/durable"

type namedPayload struct {
	Name    string `json:"name"`
	Payload string `json:"payload"`
}

// invoke5_2: a named invoke of the echo function.
func invoke5_2(ctx durable.Context, in namedPayload) (string, error) {
	return durable.Invoke[string](ctx, in.Name, echoFunction, in.Payload)
}
