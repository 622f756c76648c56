package handlers

import "github.com/lambda-durable/durable"

// wait2_4: a wait of one minute, recorded as 60 seconds.
func wait2_4(ctx durable.Context, _ any) (any, error) {
	return nil, durable.Wait(ctx, "", durable.Minutes(1))
}
