package cli

import (
	"context"
	"time"

	"github.com/lambda-durable/durable/examples/order"
)

// demoTimeout bounds the demo, which normally takes well under a second.
const demoTimeout = time.Minute

// demo runs the order workflow on an embedded service (as go run
// ./examples/demo does).
func (a *App) demo(ctx context.Context, args []string) error {
	if len(args) > 0 {
		if args[0] == "-h" || args[0] == "-help" || args[0] == "--help" {
			return errHelp
		}
		return &usageError{msg: "demo takes no arguments"}
	}
	ctx, cancel := context.WithTimeout(ctx, demoTimeout)
	defer cancel()
	_, err := order.RunDemo(ctx, a.Stdout, order.DemoOptions{})
	return err
}
