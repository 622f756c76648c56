package plugin

import (
	"time"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/internal/engine"
	"github.com/lambda-durable/durable/middleware"
)

// InvocationInfo describes one invocation of a durable function. The end
// fields (EndTime, Status, Error, Err) are zero in InvocationStart.
type InvocationInfo struct {
	// ExecutionARN is the durable execution's ARN.
	ExecutionARN string
	// RequestID is the Lambda request id (empty outside Lambda).
	RequestID string
	// IsFirstInvocation is true for the execution's first invocation.
	IsFirstInvocation bool
	// StartTime is when this invocation began.
	StartTime time.Time
	// ExecutionStartTime is when the execution started (recorded, so equal
	// in every invocation). Zero when the engine does not report it.
	ExecutionStartTime time.Time
	// UpdatedOperations are the operations the service changed while the
	// execution was suspended (a wait that elapsed, a callback answered, a
	// step whose retry is due), in the order the service listed them.
	UpdatedOperations []OperationInfo

	// EndTime is when the invocation ended.
	EndTime time.Time
	// Status is the invocation's outcome: SUCCEEDED or FAILED (the
	// execution ended), PENDING (it suspended); empty when the invocation
	// ended with an error Lambda retries (Err set).
	Status checkpoint.InvocationStatus
	// Error is the execution's error when Status is FAILED.
	Error *checkpoint.ErrorObject
	// Err is the error returned to Lambda when the invocation is retried.
	Err error

	// state is the invocation's, for Operations.
	state *invocation
}

// Operations returns the execution's operations, by id, as this invocation
// knows them when it is called: in InvocationStart and InvocationContext,
// the recorded state the invocation began with; in InvocationEnd, that
// state plus every checkpoint response. The EXECUTION operation is left out.
// The map is built on each call (a hook that does not call it pays
// nothing) and is the caller's. Call it from the hook that received the
// info: later it reports the state of that later moment.
func (i InvocationInfo) Operations() map[string]OperationInfo {
	if i.state == nil {
		return nil
	}
	return i.state.snapshot()
}

// Terminal reports whether the execution ended with this invocation
// (Status SUCCEEDED or FAILED).
func (i InvocationInfo) Terminal() bool {
	return i.Status == checkpoint.InvocationSucceeded || i.Status == checkpoint.InvocationFailed
}

// OperationInfo describes one durable operation.
type OperationInfo struct {
	// ID is the operation's id; ParentID the enclosing context's ("" at top
	// level).
	ID       string
	ParentID string
	// Name is the user-supplied name ("" when unnamed).
	Name string
	// Type is the service's operation type (STEP, WAIT, CONTEXT, CALLBACK,
	// CHAINED_INVOKE).
	Type checkpoint.OperationType
	// SubType is the SDK-level kind (Step, Wait, RunInChildContext, Map,
	// MapIteration, Parallel, ParallelBranch, WaitForCallback, ...).
	SubType string
	// ExecutionARN is the durable execution's ARN.
	ExecutionARN string
	// Status is the operation's status: the recorded one (empty for a new
	// operation) in OperationStart, the terminal one in OperationEnd.
	Status checkpoint.Status
	// StartTime and EndTime bound the operation (EndTime zero until it
	// ends).
	StartTime time.Time
	EndTime   time.Time
	// Attempt is a step's attempt number (0 for other operations).
	Attempt int
	// IsReplay is true when the operation was recorded by an earlier
	// invocation.
	IsReplay bool
	// Result is the operation's serialized result, as checkpointed (empty
	// when it has none or failed).
	Result string
	// Error is the operation's error in the service's form: as
	// checkpointed for a failure (nil on success).
	Error *checkpoint.ErrorObject
	// Err is the error the workflow code gets from the operation (nil on
	// success, and in OperationChange).
	Err error
}

// AttemptInfo describes one live run of user code of an operation: a step
// attempt or a child context's function. Status, Result, Error and Err
// describe the run's outcome in AttemptEnd. For a step attempt, StartTime
// and EndTime are the attempt's own (EndTime zero in AttemptStart); for a
// child context's function, the operation's start and the end of the run.
type AttemptInfo struct {
	OperationInfo
	// IsReplayingChildren is true when a child context's function runs
	// again over children recorded by an earlier invocation (always false
	// for steps).
	IsReplayingChildren bool
}

// ChangeInfo describes one checkpoint response.
type ChangeInfo struct {
	// ExecutionARN is the durable execution's ARN.
	ExecutionARN string
	// Updated are the operations the response reported as changed, in the
	// service's order, with their new state.
	Updated []OperationInfo
	// Operations are all the execution's operations this invocation knows,
	// by id, after the change (every Updated one included). The EXECUTION
	// operation is left out. Treat it as read-only.
	Operations map[string]OperationInfo
}

// operationInfo copies the descriptor's fields; the outcome fields are set
// when the operation has ended.
func operationInfo(op *middleware.Operation, isReplay bool) OperationInfo {
	spec := op.Spec()
	return OperationInfo{
		ID: spec.ID, ParentID: spec.ParentID, Name: spec.Name, Type: spec.Type, SubType: spec.SubType,
		ExecutionARN: spec.ExecutionARN, Status: op.Status(), StartTime: spec.StartTime, EndTime: op.EndTime(),
		Attempt: spec.Attempt, IsReplay: isReplay,
	}
}

// withOutcome sets the outcome fields from err and the payload.
func (info OperationInfo) withOutcome(payload string, err error) OperationInfo {
	if err != nil {
		obj := engine.ErrorObjectOf(err)
		info.Error, info.Err = &obj, err
		return info
	}
	info.Result = payload
	return info
}

// recordInfo converts a recorded operation.
func recordInfo(arn string, rec *checkpoint.Operation, isReplay bool) OperationInfo {
	info := OperationInfo{
		ID: rec.Id, ParentID: rec.ParentId, Name: rec.Name, Type: rec.Type, SubType: rec.SubType,
		ExecutionARN: arn, Status: rec.Status, StartTime: rec.StartTimestamp.Time, EndTime: rec.EndTimestamp.Time,
		IsReplay: isReplay,
	}
	var result string
	var obj *checkpoint.ErrorObject
	switch {
	case rec.StepDetails != nil:
		info.Attempt = rec.StepDetails.Attempt
		result, obj = rec.StepDetails.Result, rec.StepDetails.Error
	case rec.ContextDetails != nil:
		result, obj = rec.ContextDetails.Result, rec.ContextDetails.Error
	case rec.CallbackDetails != nil:
		result, obj = rec.CallbackDetails.Result, rec.CallbackDetails.Error
	case rec.ChainedInvokeDetails != nil:
		result, obj = rec.ChainedInvokeDetails.Result, rec.ChainedInvokeDetails.Error
	}
	if obj != nil {
		o := *obj
		info.Error = &o
	} else if rec.Status != checkpoint.StatusFailed {
		info.Result = result
	}
	return info
}
