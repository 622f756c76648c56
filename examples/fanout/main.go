// Command fanout is a map fan-out workflow: it renders thumbnails for a list
// of images concurrently with durable.Map (at most Job.Parallel at a time),
// tolerating up to a quarter of failed renders, retrying busy renderers
// durably, then publishes the gallery.
//
// Deployed as a Lambda durable function, main hands the workflow to
// durable.Start. Run anywhere else it renders a sample job on the
// in-process local service, where retry delays take no real time:
//
//	go run ./examples/fanout
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/durabletest"
)

func main() {
	if os.Getenv("AWS_LAMBDA_RUNTIME_API") != "" {
		durable.Start(Workflow)
		return
	}
	if err := runLocal(context.Background(), os.Stdout, sampleJob); err != nil {
		fmt.Fprintln(os.Stderr, "fanout:", err)
		os.Exit(1)
	}
}

// sampleJob has a flaky image (retried) and a corrupt one (tolerated).
var sampleJob = Job{Images: []string{"cat.png", "dog-flaky.png", "bird.png", "fish-corrupt.png", "owl.png"}, Parallel: 2}

// runLocal runs job on the in-process local service and prints the report.
func runLocal(ctx context.Context, w io.Writer, job Job) error {
	r := durabletest.New(durable.NewHandler(Workflow, durable.WithLogHandler(slog.DiscardHandler)))
	defer r.Close()
	start := r.Now()
	res, err := r.Run(ctx, job)
	if err != nil {
		return err
	}
	if !res.Done() {
		return fmt.Errorf("the execution did not finish: %s", res.Status)
	}
	if res.Error != nil {
		return fmt.Errorf("the execution %s: %s: %s", res.Status, res.Error.ErrorType, res.Error.ErrorMessage)
	}
	var rep Report
	if err := res.Decode(&rep); err != nil {
		return err
	}
	out, _ := json.MarshalIndent(rep, "", "  ")
	fmt.Fprintf(w, "%s\n%d operations, virtual time %v\n", out, len(r.Operations()), r.Now().Sub(start))
	return nil
}
