package handlers

import (
	"time"

	"github.com/lambda-durable/durable"
)

// map9_20: the map result stored with a custom serdes is read back through
// it after a 1 s wait.
func map9_20(ctx durable.Context, _ any) ([]string, error) {
	r, err := durable.Map(ctx, "", []string{"x", "y"}, upper,
		durable.WithMaxConcurrency(1), durable.WithSerdes(joinedSerdes()))
	if err != nil {
		return nil, err
	}
	return r.Results(), durable.Wait(ctx, "", time.Second)
}
