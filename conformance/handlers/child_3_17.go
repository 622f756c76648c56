package handlers

import (
	"time"

	"github.com/lambda-durable/durable"
)

// child3_17: a child context only logs the input and returns it, then a
// wait; on replay the completed child context is not run again (the handler
// shows replay logs, so a second run would log twice).
func child3_17(ctx durable.Context, input string) (string, error) {
	v, err := durable.RunInChildContext(ctx, "log", func(ctx durable.Context) (string, error) {
		ctx.Logger().Info("child context got " + input)
		return input, nil
	})
	if err != nil {
		return "", err
	}
	return v, durable.Wait(ctx, "", time.Second)
}
