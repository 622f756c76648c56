package checkpoint

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

// The API operation names reported in Error.Operation.
const (
	OpCheckpoint        = "CheckpointDurableExecution"
	OpGetExecutionState = "GetDurableExecutionState"
)

// ErrInvalidInput is wrapped by the terminal *Error that an adapter call
// returns, without contacting the service, when its input is nil or lacks the
// ARN or the checkpoint token, or when the Lambda client is nil.
var ErrInvalidInput = errors.New("invalid input")

// lambdaClient adapts an aws-sdk-go-v2 Lambda client to Client.
type lambdaClient struct {
	c *lambda.Client
	// now and sleep are time.Now and a context-aware sleep (tests inject
	// fakes).
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
}

// NewLambdaClient returns a Client that calls the durable execution API
// through c. The client's own retryer and idempotency-token provider apply
// as configured: the SDK fills ClientToken when the input has none and keeps
// it across its retries. Errors are returned as *Error, classified as the
// service contract prescribes; a canceled context is returned as is (wrapped),
// not as a service error.
//
// A throttling answer (429) with a Retry-After header is waited out and the
// call made again, at most MaxRetryAfterWaits times per call, when the
// context has a deadline (an invocation's always has) that leaves the wait
// plus RetryAfterReserve; otherwise the throttling error is returned.
func NewLambdaClient(c *lambda.Client) Client {
	return &lambdaClient{c: c, now: time.Now, sleep: sleepCtx}
}

// Bounds of the Retry-After waits of the Lambda client.
const (
	// MaxRetryAfterWaits is the most Retry-After waits of one call.
	MaxRetryAfterWaits = 3
	// RetryAfterReserve is the time a wait must leave before the
	// context's deadline.
	RetryAfterReserve = time.Second
)

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// call runs f, waiting out throttling answers' Retry-After within ctx's
// deadline, and classifies its final error.
func call[T any](l *lambdaClient, ctx context.Context, op string, f func() (T, error)) (T, error) {
	for waits := 0; ; waits++ {
		out, err := f()
		if err == nil {
			return out, nil
		}
		if d, ok := l.retryAfter(ctx, err, waits); ok && l.sleep(ctx, d) == nil {
			continue
		}
		var zero T
		return zero, classifyLambdaError(op, err)
	}
}

// retryAfter returns the wait a throttling error asks for, if it may be
// honoured.
func (l *lambdaClient) retryAfter(ctx context.Context, err error, waits int) (time.Duration, bool) {
	deadline, ok := ctx.Deadline()
	if !ok || waits >= MaxRetryAfterWaits {
		return 0, false
	}
	var re *awshttp.ResponseError
	if !errors.As(err, &re) || re.HTTPStatusCode() != http.StatusTooManyRequests || re.Response == nil {
		return 0, false
	}
	now := l.now()
	d, ok := parseRetryAfter(re.Response.Header.Get("Retry-After"), now)
	if !ok || now.Add(d+RetryAfterReserve).After(deadline) {
		return 0, false
	}
	return d, true
}

// parseRetryAfter reads a Retry-After value: seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(v); err == nil {
		return time.Duration(max(n, 0)) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// NewDefaultClient loads the standard AWS configuration (environment, shared
// files, the Lambda execution role) and returns NewLambdaClient over a
// Lambda client built from it.
func NewDefaultClient(ctx context.Context, optFns ...func(*config.LoadOptions) error) (Client, error) {
	cfg, err := config.LoadDefaultConfig(ctx, optFns...)
	if err != nil {
		return nil, err
	}
	return NewLambdaClient(lambda.NewFromConfig(cfg)), nil
}

// Checkpoint calls CheckpointDurableExecution.
func (l *lambdaClient) Checkpoint(ctx context.Context, in *CheckpointInput) (*CheckpointOutput, error) {
	if in == nil {
		return nil, invalidInput(OpCheckpoint, "nil input")
	}
	if err := l.check(OpCheckpoint, in.DurableExecutionArn, in.CheckpointToken); err != nil {
		return nil, err
	}
	req := toCheckpointRequest(in)
	out, err := call(l, ctx, OpCheckpoint, func() (*lambda.CheckpointDurableExecutionOutput, error) {
		return l.c.CheckpointDurableExecution(ctx, req)
	})
	if err != nil {
		return nil, err
	}
	res := &CheckpointOutput{CheckpointToken: aws.ToString(out.CheckpointToken)}
	if s := out.NewExecutionState; s != nil {
		res.NewExecutionState = &ExecutionState{
			Operations: fromOperations(s.Operations),
			NextMarker: aws.ToString(s.NextMarker),
		}
	}
	return res, nil
}

// GetExecutionState calls GetDurableExecutionState.
func (l *lambdaClient) GetExecutionState(ctx context.Context, in *StateInput) (*ExecutionState, error) {
	if in == nil {
		return nil, invalidInput(OpGetExecutionState, "nil input")
	}
	if err := l.check(OpGetExecutionState, in.DurableExecutionArn, in.CheckpointToken); err != nil {
		return nil, err
	}
	req := toStateRequest(in)
	out, err := call(l, ctx, OpGetExecutionState, func() (*lambda.GetDurableExecutionStateOutput, error) {
		return l.c.GetDurableExecutionState(ctx, req)
	})
	if err != nil {
		return nil, err
	}
	return &ExecutionState{
		Operations: fromOperations(out.Operations),
		NextMarker: aws.ToString(out.NextMarker),
	}, nil
}

// check rejects a call that cannot be sent.
func (l *lambdaClient) check(op, arn, token string) error {
	switch {
	case l.c == nil:
		return invalidInput(op, "nil *lambda.Client")
	case arn == "":
		return invalidInput(op, "empty DurableExecutionArn")
	case token == "":
		return invalidInput(op, "empty CheckpointToken")
	}
	return nil
}

func invalidInput(op, msg string) error {
	return &Error{Operation: op, Message: msg, Err: ErrInvalidInput}
}
