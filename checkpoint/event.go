package checkpoint

// InvocationEvent is the payload Lambda sends to a durable function.
type InvocationEvent struct {
	DurableExecutionArn   string          `json:"DurableExecutionArn"`
	CheckpointToken       string          `json:"CheckpointToken"`
	InitialExecutionState *ExecutionState `json:"InitialExecutionState,omitempty"`
	UpdatedOperationIds   []string        `json:"UpdatedOperationIds,omitempty"`
}

// InvocationStatus is the outcome a durable function reports for one invocation.
type InvocationStatus string

// The statuses an invocation can report.
const (
	InvocationSucceeded InvocationStatus = "SUCCEEDED"
	InvocationFailed    InvocationStatus = "FAILED"
	InvocationPending   InvocationStatus = "PENDING"
)

// InvocationResponse is what a durable function returns to Lambda.
type InvocationResponse struct {
	Status InvocationStatus `json:"Status"`
	Result string           `json:"Result,omitempty"`
	Error  *ErrorObject     `json:"Error,omitempty"`
}
