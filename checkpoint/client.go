package checkpoint

import "context"

// Client is how the SDK talks to the durable execution service. The adapter
// over the aws-sdk-go-v2 Lambda client (NewLambdaClient) is the production
// implementation; the local service offers an in-process one for tests.
//
// Implementations return errors that wrap *Error so callers can classify
// them with IsRetryable. What a call returns belongs to the caller: an
// implementation must not reuse or modify it afterwards (the engine keeps
// pointers into returned operations). What a call receives belongs to the
// caller too: an implementation must not keep the input, its Updates or
// pointers into them after it returns (the Checkpointer reuses them). A
// call must return when its context ends.
type Client interface {
	// Checkpoint records updates (CheckpointDurableExecution). An empty
	// Updates list is a poll: it rotates the token and returns what changed.
	Checkpoint(ctx context.Context, in *CheckpointInput) (*CheckpointOutput, error)
	// GetExecutionState reads one page of the execution's operations
	// (GetDurableExecutionState).
	GetExecutionState(ctx context.Context, in *StateInput) (*ExecutionState, error)
}

// CheckpointInput is one CheckpointDurableExecution request.
type CheckpointInput struct {
	DurableExecutionArn string
	CheckpointToken     string
	// ClientToken makes retries of the same call idempotent; empty lets the
	// client choose one.
	ClientToken string
	Updates     []OperationUpdate
}

// CheckpointOutput is the answer to a CheckpointDurableExecution request.
type CheckpointOutput struct {
	// CheckpointToken is the token for the next call. Empty means this
	// invocation may record nothing more.
	CheckpointToken string
	// NewExecutionState is a delta: the operations this request touched plus
	// those that changed asynchronously since the previous response.
	NewExecutionState *ExecutionState
}

// StateInput is one GetDurableExecutionState request.
type StateInput struct {
	DurableExecutionArn string
	CheckpointToken     string
	Marker              string
	// MaxItems is the page size (0 means the service default of 100; at most 1000).
	MaxItems int
}

type clientKey struct{}

// ContextWithClient returns a context that makes durable handlers invoked with
// it checkpoint through c instead of their configured client. The local
// service uses it to run a handler in-process.
func ContextWithClient(ctx context.Context, c Client) context.Context {
	return context.WithValue(ctx, clientKey{}, c)
}

// ClientFromContext returns the client placed by ContextWithClient, if any.
func ClientFromContext(ctx context.Context) (Client, bool) {
	c, ok := ctx.Value(clientKey{}).(Client)
	return c, ok
}
