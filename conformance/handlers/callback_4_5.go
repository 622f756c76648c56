package handlers

import (
	"time"

	"github.com/lambda-durable/durable"
)

// callback4_5: a callback with a 10 s heartbeat timeout, kept alive by a
// heartbeat and then completed.
func callback4_5(ctx durable.Context, name string) (string, error) {
	cb, err := durable.CreateCallback[string](ctx, name, durable.WithHeartbeatTimeout(10*time.Second))
	if err != nil {
		return "", err
	}
	return cb.Get()
}
