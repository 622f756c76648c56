package handlers

import (
	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/serdes"
)

type approval struct {
	Status string `json:"status"`
}

// waitForCallback7_11: the answer is decoded as a JSON object and the handler
// returns its status.
func waitForCallback7_11(ctx durable.Context, name string) (string, error) {
	a, err := durable.WaitForCallback[approval](ctx, name, submitNothing, durable.WithResultSerdes(serdes.JSON{}))
	if err != nil {
		return "", err
	}
	return a.Status, nil
}
