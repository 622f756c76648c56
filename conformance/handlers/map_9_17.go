package handlers

import (
	"time"

	"github.com/lambda-durable/durable"
)

// map9_17: a map, then a 1 s wait; the replay skips the completed map.
func map9_17(ctx durable.Context, _ any) ([]string, error) {
	r, err := durable.Map(ctx, "", []string{"a", "b"}, upper, durable.WithMaxConcurrency(1))
	if err != nil {
		return nil, err
	}
	return r.Results(), durable.Wait(ctx, "", time.Second)
}
