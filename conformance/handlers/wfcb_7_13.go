package handlers

import (
	"time"

	"github.com/lambda-durable/durable"
)

// waitForCallback7_13: a 10 s heartbeat timeout, kept by a heartbeat until
// the answer arrives.
func waitForCallback7_13(ctx durable.Context, name string) (string, error) {
	return durable.WaitForCallback[string](ctx, name, submitNothing, durable.WithHeartbeatTimeout(10*time.Second))
}
