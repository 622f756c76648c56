// Package checkpoint holds the wire model of the Lambda durable execution
// service (operations, updates, errors, the invocation event and response),
// the Client interface through which the SDK checkpoints, and the machinery
// that batches updates according to a checkpoint mode.
//
// The field names and JSON keys follow the service's API exactly, so the same
// types decode the invocation event that Lambda sends and are what the local
// service stores.
package checkpoint

// OperationType is the kind of a durable operation.
type OperationType string

// The operation types the service knows.
const (
	TypeExecution     OperationType = "EXECUTION"
	TypeContext       OperationType = "CONTEXT"
	TypeStep          OperationType = "STEP"
	TypeWait          OperationType = "WAIT"
	TypeCallback      OperationType = "CALLBACK"
	TypeChainedInvoke OperationType = "CHAINED_INVOKE"
)

// Valid reports whether t is one of the known operation types.
func (t OperationType) Valid() bool {
	switch t {
	case TypeExecution, TypeContext, TypeStep, TypeWait, TypeCallback, TypeChainedInvoke:
		return true
	}
	return false
}

// Action is what an OperationUpdate asks the service to do.
type Action string

// The actions an update can carry.
const (
	ActionStart   Action = "START"
	ActionSucceed Action = "SUCCEED"
	ActionFail    Action = "FAIL"
	ActionRetry   Action = "RETRY"
	ActionCancel  Action = "CANCEL"
)

// Valid reports whether a is one of the known actions.
func (a Action) Valid() bool {
	switch a {
	case ActionStart, ActionSucceed, ActionFail, ActionRetry, ActionCancel:
		return true
	}
	return false
}

// Status is the state of an operation as the service records it.
type Status string

// The operation statuses.
const (
	StatusStarted   Status = "STARTED"
	StatusPending   Status = "PENDING"
	StatusReady     Status = "READY"
	StatusSucceeded Status = "SUCCEEDED"
	StatusFailed    Status = "FAILED"
	StatusCancelled Status = "CANCELLED"
	StatusTimedOut  Status = "TIMED_OUT"
	StatusStopped   Status = "STOPPED"
)

// Valid reports whether s is one of the known statuses.
func (s Status) Valid() bool {
	switch s {
	case StatusStarted, StatusPending, StatusReady, StatusSucceeded, StatusFailed,
		StatusCancelled, StatusTimedOut, StatusStopped:
		return true
	}
	return false
}

// Terminal reports whether s is a final status (the operation will not change again).
func (s Status) Terminal() bool {
	switch s {
	case StatusSucceeded, StatusFailed, StatusCancelled, StatusTimedOut, StatusStopped:
		return true
	}
	return false
}

// SubType names the SDK-level kind of an operation (a finer grain than OperationType).
type SubType = string

// The subtypes written by the SDK.
const (
	SubTypeStep              SubType = "Step"
	SubTypeWait              SubType = "Wait"
	SubTypeCallback          SubType = "Callback"
	SubTypeChainedInvoke     SubType = "ChainedInvoke"
	SubTypeRunInChildContext SubType = "RunInChildContext"
	SubTypeMap               SubType = "Map"
	SubTypeMapIteration      SubType = "MapIteration"
	SubTypeParallel          SubType = "Parallel"
	SubTypeParallelBranch    SubType = "ParallelBranch"
	SubTypeWaitForCallback   SubType = "WaitForCallback"
	SubTypeWaitForCondition  SubType = "WaitForCondition"
)

// ErrorObject is the service's representation of an error.
type ErrorObject struct {
	ErrorType    string   `json:"ErrorType,omitempty"`
	ErrorMessage string   `json:"ErrorMessage,omitempty"`
	ErrorData    string   `json:"ErrorData,omitempty"`
	StackTrace   []string `json:"StackTrace,omitempty"`
}

// Operation is one durable operation as the service records it.
type Operation struct {
	Id             string        `json:"Id"`
	ParentId       string        `json:"ParentId,omitempty"`
	Name           string        `json:"Name,omitempty"`
	Type           OperationType `json:"Type"`
	SubType        SubType       `json:"SubType,omitempty"`
	Status         Status        `json:"Status"`
	StartTimestamp Timestamp     `json:"StartTimestamp,omitzero"`
	EndTimestamp   Timestamp     `json:"EndTimestamp,omitzero"`

	ExecutionDetails     *ExecutionDetails     `json:"ExecutionDetails,omitempty"`
	ContextDetails       *ContextDetails       `json:"ContextDetails,omitempty"`
	StepDetails          *StepDetails          `json:"StepDetails,omitempty"`
	WaitDetails          *WaitDetails          `json:"WaitDetails,omitempty"`
	CallbackDetails      *CallbackDetails      `json:"CallbackDetails,omitempty"`
	ChainedInvokeDetails *ChainedInvokeDetails `json:"ChainedInvokeDetails,omitempty"`
}

// ExecutionDetails carries the input of the EXECUTION operation.
type ExecutionDetails struct {
	InputPayload string `json:"InputPayload,omitempty"`
}

// ContextDetails carries the outcome of a CONTEXT operation.
type ContextDetails struct {
	ReplayChildren bool         `json:"ReplayChildren,omitempty"`
	Result         string       `json:"Result,omitempty"`
	Error          *ErrorObject `json:"Error,omitempty"`
}

// StepDetails carries the attempt count and outcome of a STEP operation.
type StepDetails struct {
	Attempt              int          `json:"Attempt,omitempty"`
	NextAttemptTimestamp Timestamp    `json:"NextAttemptTimestamp,omitzero"`
	Result               string       `json:"Result,omitempty"`
	Error                *ErrorObject `json:"Error,omitempty"`
}

// WaitDetails carries when a WAIT operation is due.
type WaitDetails struct {
	ScheduledEndTimestamp Timestamp `json:"ScheduledEndTimestamp,omitzero"`
}

// CallbackDetails carries a CALLBACK's id and outcome.
type CallbackDetails struct {
	CallbackId string       `json:"CallbackId,omitempty"`
	Result     string       `json:"Result,omitempty"`
	Error      *ErrorObject `json:"Error,omitempty"`
}

// ChainedInvokeDetails carries the outcome of a CHAINED_INVOKE.
type ChainedInvokeDetails struct {
	Result string       `json:"Result,omitempty"`
	Error  *ErrorObject `json:"Error,omitempty"`
}

// OperationUpdate is one change the SDK asks the service to record.
type OperationUpdate struct {
	Id       string        `json:"Id"`
	ParentId string        `json:"ParentId,omitempty"`
	Name     string        `json:"Name,omitempty"`
	Type     OperationType `json:"Type"`
	SubType  SubType       `json:"SubType,omitempty"`
	Action   Action        `json:"Action"`
	Payload  string        `json:"Payload,omitempty"`
	Error    *ErrorObject  `json:"Error,omitempty"`

	ContextOptions       *ContextOptions       `json:"ContextOptions,omitempty"`
	StepOptions          *StepOptions          `json:"StepOptions,omitempty"`
	WaitOptions          *WaitOptions          `json:"WaitOptions,omitempty"`
	CallbackOptions      *CallbackOptions      `json:"CallbackOptions,omitempty"`
	ChainedInvokeOptions *ChainedInvokeOptions `json:"ChainedInvokeOptions,omitempty"`
}

// ContextOptions configures a CONTEXT update.
type ContextOptions struct {
	ReplayChildren bool `json:"ReplayChildren,omitempty"`
}

// StepOptions configures a STEP RETRY update.
type StepOptions struct {
	NextAttemptDelaySeconds int32 `json:"NextAttemptDelaySeconds"`
}

// WaitOptions configures a WAIT START update.
type WaitOptions struct {
	WaitSeconds int32 `json:"WaitSeconds"`
}

// CallbackOptions configures a CALLBACK START update (0 means no timeout).
type CallbackOptions struct {
	TimeoutSeconds          int32 `json:"TimeoutSeconds,omitempty"`
	HeartbeatTimeoutSeconds int32 `json:"HeartbeatTimeoutSeconds,omitempty"`
}

// ChainedInvokeOptions configures a CHAINED_INVOKE START update.
type ChainedInvokeOptions struct {
	FunctionName string `json:"FunctionName"`
	TenantId     string `json:"TenantId,omitempty"`
}

// ExecutionState is a set of operations, possibly one page of a longer list.
type ExecutionState struct {
	Operations []Operation `json:"Operations"`
	NextMarker string      `json:"NextMarker,omitempty"`
}

// HidesChildren reports whether op is a context whose children are neither
// in the execution's state nor visited on replay: a closed CONTEXT that was
// not checkpointed with ReplayChildren.
func (op *Operation) HidesChildren() bool {
	return op.Type == TypeContext && op.Status.Terminal() &&
		(op.ContextDetails == nil || !op.ContextDetails.ReplayChildren)
}

// InState reports whether op belongs in an execution's state, given its
// operations by id: every enclosing context is known and none hides its
// children (HidesChildren). The engine replays exactly these operations.
func InState(op *Operation, byID map[string]*Operation) bool {
	for p := op.ParentId; p != ""; {
		parent := byID[p]
		if parent == nil || parent.HidesChildren() {
			return false
		}
		p = parent.ParentId
	}
	return true
}
