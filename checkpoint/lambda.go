package checkpoint

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
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
}

// NewLambdaClient returns a Client that calls the durable execution API
// through c. The client's own retryer and idempotency-token provider apply
// as configured: the SDK fills ClientToken when the input has none and keeps
// it across its retries. Errors are returned as *Error, classified as the
// service contract prescribes; a canceled context is returned as is (wrapped),
// not as a service error.
func NewLambdaClient(c *lambda.Client) Client {
	return &lambdaClient{c: c}
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
	out, err := l.c.CheckpointDurableExecution(ctx, toCheckpointRequest(in))
	if err != nil {
		return nil, classifyLambdaError(OpCheckpoint, err)
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
	out, err := l.c.GetDurableExecutionState(ctx, toStateRequest(in))
	if err != nil {
		return nil, classifyLambdaError(OpGetExecutionState, err)
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
