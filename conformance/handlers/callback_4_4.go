package handlers

import (
	"time"

	"github.com/lambda-durable/durable"
)

// callback4_4: a callback with a 5 s heartbeat timeout that gets no
// heartbeat: it times out and the execution fails.
func callback4_4(ctx durable.Context, name string) (string, error) {
	cb, err := durable.CreateCallback[string](ctx, name, durable.WithHeartbeatTimeout(5*time.Second))
	if err != nil {
		return "", err
	}
	return cb.Get()
}
