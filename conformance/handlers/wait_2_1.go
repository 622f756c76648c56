package handlers

import (
	"time"

	"github.com/lambda-durable/durable"
)

// wait2_1: a single wait of two seconds.
func wait2_1(ctx durable.Context, _ any) (any, error) {
	return nil, durable.Wait(ctx, "", 2*time.Second)
}
