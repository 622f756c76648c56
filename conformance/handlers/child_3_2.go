package handlers

import "github.com/lambda-durable/durable"

type namedValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// child3_2: a child context named after the input runs one step that
// returns the input's value.
func child3_2(ctx durable.Context, in namedValue) (string, error) {
	return durable.RunInChildContext(ctx, in.Name, func(ctx durable.Context) (string, error) {
		return durable.Step(ctx, "", func(durable.StepContext) (string, error) {
			return in.Value, nil
		})
	})
}
