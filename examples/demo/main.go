// Command demo runs the order workflow end to end on an embedded local
// durable execution service, with no AWS account, and prints its result and
// timeline:
//
//	go run ./examples/demo
//
// The workflow has steps, a step that fails once and is retried, a child
// context, an hour-long wait (skipped on the service's virtual clock) and a
// callback that the demo answers itself, playing the warehouse.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/lambda-durable/durable/examples/order"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

// run runs the demo, giving up after a minute.
func run(ctx context.Context, w io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	_, err := order.RunDemo(ctx, w, order.DemoOptions{})
	return err
}
