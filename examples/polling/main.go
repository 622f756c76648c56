// Command polling is an export workflow built on durable.WaitForCondition:
// it starts an export job and polls it, with growing delays, until it is
// done.
//
// Deployed on Lambda (AWS_LAMBDA_RUNTIME_API set) it serves the workflow
// with an exporter that must be wired to a real service. Run locally,
//
//	go run ./examples/polling
//
// it drives the workflow on an in-process durable execution service with a
// virtual clock, against a simulated export service that progresses 25% per
// check, and prints each check and the result.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/durabletest"
)

func main() {
	if os.Getenv("AWS_LAMBDA_RUNTIME_API") != "" {
		durable.Start(Workflow(unconfigured{}))
		return
	}
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "polling:", err)
		os.Exit(1)
	}
}

// unconfigured stands for the real export service client.
type unconfigured struct{}

var errUnconfigured = errors.New("wire a real export service here")

func (unconfigured) Start(context.Context, string) (string, error) { return "", errUnconfigured }
func (unconfigured) Status(context.Context, string) (Job, error)   { return Job{}, errUnconfigured }

// simulated is an export service whose jobs progress by step percent per
// status call and fail at failAt percent (0: never).
type simulated struct {
	step, failAt int
	log          io.Writer

	mu       sync.Mutex
	progress int
	checks   int
}

func (s *simulated) Start(_ context.Context, dataset string) (string, error) {
	return "job-" + dataset, nil
}

func (s *simulated) Status(_ context.Context, id string) (Job, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.checks++
	s.progress = min(s.progress+s.step, 100)
	j := Job{ID: id, State: "RUNNING", Progress: s.progress}
	switch {
	case s.failAt > 0 && s.progress >= s.failAt:
		j.State, j.Error = "FAILED", "disk full"
	case s.progress == 100:
		j.State, j.URL = "DONE", "https://exports.example.com/"+id+".csv"
	}
	if s.log != nil {
		fmt.Fprintf(s.log, "check %d: %s %d%%\n", s.checks, j.State, j.Progress)
	}
	return j, nil
}

// run drives one export on the simulated service and prints what happens.
func run(ctx context.Context, w io.Writer) error {
	sim := &simulated{step: 25, log: w}
	r := durabletest.New(durable.NewHandler(Workflow(sim), durable.WithLogHandler(slog.DiscardHandler)))
	defer r.Close()
	start := r.Now()
	res, err := r.Run(ctx, Request{Dataset: "orders-2025"})
	if err != nil {
		return err
	}
	var url string
	if err := res.Decode(&url); err != nil {
		return fmt.Errorf("%w (%+v)", err, res.Error)
	}
	invocations := 0
	for _, ev := range r.History() {
		if ev.EventType == "InvocationCompleted" {
			invocations++
		}
	}
	fmt.Fprintf(w, "ready: %s\n", url)
	fmt.Fprintf(w, "%d invocations; the checks were spread over %s of (virtual) time\n",
		invocations, r.Now().Sub(start).Round(time.Second))
	return nil
}
