package handlers

import (
	"time"

	"github.com/lambda-durable/durable"
)

// wait2_2: a single named wait.
func wait2_2(ctx durable.Context, _ any) (any, error) {
	return nil, durable.Wait(ctx, "custom_wait_name", 2*time.Second)
}
