package handlers

import (
	"errors"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/retry"
)

// TransientError is the error the step of requirement step/1-16 fails with.
type TransientError struct{ Reason string }

// Error implements error.
func (e *TransientError) Error() string { return "transient: " + e.Reason }

// step1_16: the step's retry strategy does not retry a TransientError, so the
// step fails for good on its first attempt.
func step1_16(ctx durable.Context, _ any) (string, error) {
	noRetryOnTransient, err := retry.New(retry.Config{
		MaxAttempts:  3,
		InitialDelay: time.Second,
		MaxDelay:     time.Second,
		Backoff:      1,
		RetryIf: func(err error) bool {
			var te *TransientError
			return !errors.As(err, &te)
		},
	})
	if err != nil {
		return "", err
	}
	return durable.Step(ctx, "", func(durable.StepContext) (string, error) {
		return "", &TransientError{Reason: "backend unavailable"}
	}, durable.WithRetry(noRetryOnTransient))
}
