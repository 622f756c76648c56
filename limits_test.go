package durable_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/retry"
)

// A step whose result is over the payload limit fails with
// PayloadTooLargeError without being retried, and the workflow can handle it.
func TestStepResultOverPayloadLimitFailsTheStep(t *testing.T) {
	attempts := 0
	wf := func(ctx durable.Context, size int) (string, error) {
		_, err := durable.Step(ctx, "big", func(durable.StepContext) (string, error) {
			attempts++
			return strings.Repeat("x", size), nil
		}, durable.WithRetry(retry.Fixed(3, 1)))
		// Like every step failure, it reaches the workflow as a *StepError
		// (equal live and on replay) carrying the recorded ErrorType.
		var se *durable.StepError
		if !errors.As(err, &se) || se.ErrorType() != "PayloadTooLargeError" {
			return "", err
		}
		return "caught", nil
	}
	r := durabletest.New(durable.NewHandler(wf, durable.WithLogHandler(slog.DiscardHandler), durable.WithMaxPayloadBytes(1024)))
	defer r.Close()
	res, err := r.Run(context.Background(), 2000)
	if err != nil {
		t.Fatal(err)
	}
	var out string
	if err := res.Decode(&out); err != nil || out != "caught" {
		t.Fatalf("result %q (%v), status %s (%+v), want caught", out, err, res.Status, res.Error)
	}
	if attempts != 1 {
		t.Errorf("the step ran %d times, want 1 (a too-large result is not retried)", attempts)
	}
	op, ok := r.Operation("big")
	if !ok || op.Status != checkpoint.StatusFailed || op.StepDetails == nil || op.StepDetails.Error == nil ||
		op.StepDetails.Error.ErrorType != "PayloadTooLargeError" {
		t.Fatalf("recorded step = %+v, want FAILED with ErrorType PayloadTooLargeError", op)
	}
}
