// Command durable runs AWS Lambda durable functions locally: a local durable
// execution service that speaks the Lambda API (durable serve), client
// commands that drive it with the aws-sdk-go-v2 Lambda client (start, list,
// show, callback, stop), and a demo workflow (durable demo).
//
// Run 'durable help' for the commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/lambda-durable/durable/cmd/durable/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := (&cli.App{Stdout: os.Stdout, Stderr: os.Stderr}).Run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}
