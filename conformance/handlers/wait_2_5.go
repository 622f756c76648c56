package handlers

import "github.com/lambda-durable/durable"

// wait2_5: a wait of one hour, recorded as 3600 seconds.
func wait2_5(ctx durable.Context, _ any) (any, error) {
	return nil, durable.Wait(ctx, "", durable.Hours(1))
}
