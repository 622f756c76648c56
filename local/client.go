package local

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/lambda-durable/durable/checkpoint"
)

// Client returns an in-process checkpoint.Client for this service (it routes
// by ARN, so one client serves every execution). Its errors are
// *checkpoint.Error classified as the Lambda adapter classifies them, and
// wrap the *APIError.
func (s *Service) Client() checkpoint.Client { return inProcessClient{s} }

type inProcessClient struct{ s *Service }

// Checkpoint fills an empty ClientToken with a fresh one, as the AWS client does.
func (c inProcessClient) Checkpoint(ctx context.Context, in *checkpoint.CheckpointInput) (*checkpoint.CheckpointOutput, error) {
	if in != nil && in.ClientToken == "" {
		cp := *in
		cp.ClientToken = newUUID()
		in = &cp
	}
	out, err := c.s.Checkpoint(ctx, in)
	if err != nil {
		return nil, classify("CheckpointDurableExecution", err)
	}
	return out, nil
}

// GetExecutionState pages the state.
func (c inProcessClient) GetExecutionState(ctx context.Context, in *checkpoint.StateInput) (*checkpoint.ExecutionState, error) {
	out, err := c.s.GetState(ctx, in)
	if err != nil {
		return nil, classify("GetDurableExecutionState", err)
	}
	return out, nil
}

// classify turns a service error into a *checkpoint.Error per the contract:
// a stale token, throttling and server faults are retryable; other API
// errors are terminal. Context errors are returned wrapped.
func classify(op string, err error) error {
	var ae *APIError
	if !errors.As(err, &ae) {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("checkpoint: %s: %w", op, err)
		}
		return &checkpoint.Error{Operation: op, Message: err.Error(), Retryable: true, Err: err}
	}
	return &checkpoint.Error{
		Operation:  op,
		Code:       ae.Code,
		StatusCode: ae.HTTPStatus,
		Message:    ae.Message,
		Retryable: strings.HasPrefix(ae.Message, checkpoint.InvalidTokenPrefix) ||
			ae.HTTPStatus == http.StatusTooManyRequests || (ae.HTTPStatus >= 500 && !strings.HasPrefix(ae.Code, "KMS")),
		Err: ae,
	}
}
