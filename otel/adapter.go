package otel

import (
	"context"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/plugin"
)

// This file is the only one that reads what the SDK reports: it turns the
// plugin package's hook infos into the plain values the views use, and
// wires the views to the hooks. When the SDK's pipeline changes, adapt here.

// invocation is what the tracer needs of one Lambda invocation.
type invocation struct {
	arn            string
	first          bool
	start          time.Time
	executionStart time.Time
}

// invocationEnd is an invocation's outcome.
type invocationEnd struct {
	// status is SUCCEEDED, FAILED, PENDING or RETRYING (Lambda retries it).
	status string
	// err describes a FAILED execution (nil otherwise).
	err *failure
}

// terminal reports whether the execution ended with the invocation.
func (e invocationEnd) terminal() bool {
	return e.status == statusSucceeded || e.status == statusFailed
}

// failure is an error as the service records it.
type failure struct {
	errorType, message string
	err                error // the Go error, when the code got one
}

// operation is one durable operation at its start or end.
type operation struct {
	id, parentID, name string
	opType, subType    string
	// status is the recorded status at the start (empty for a new
	// operation), the terminal one at the end.
	status string
	// start and end are the recorded times (end zero until it ends).
	start, end time.Time
	// attempts is a step's attempt count (0 for other types).
	attempts int
	// replay is true when an earlier invocation recorded the operation.
	replay bool
	// err is the recorded error of a failed operation (nil otherwise).
	err *failure
}

// isStep reports whether the operation has attempts (steps and
// wait-for-condition).
func (o operation) isStep() bool { return o.opType == string(checkpoint.TypeStep) }

// attempt is one run of user code: a step attempt, or a child context's
// function (op.opType CONTEXT, number 0).
type attempt struct {
	op     operation
	number int
	// outcome is SUCCEEDED or FAILED at the end.
	outcome string
	err     *failure
}

func fromInvocation(i plugin.InvocationInfo) invocation {
	return invocation{arn: i.ExecutionARN, first: i.IsFirstInvocation, start: i.StartTime, executionStart: i.ExecutionStartTime}
}

func fromInvocationEnd(i plugin.InvocationInfo) invocationEnd {
	end := invocationEnd{status: string(i.Status)}
	if i.Status == "" {
		end.status = statusRetrying
	}
	if i.Error != nil {
		end.err = &failure{errorType: i.Error.ErrorType, message: i.Error.ErrorMessage}
	}
	return end
}

func fromOperation(o plugin.OperationInfo) operation {
	op := operation{
		id: o.ID, parentID: o.ParentID, name: o.Name, opType: string(o.Type), subType: o.SubType,
		status: string(o.Status), start: o.StartTime, end: o.EndTime, attempts: o.Attempt, replay: o.IsReplay,
	}
	if o.Error != nil {
		op.err = &failure{errorType: o.Error.ErrorType, message: o.Error.ErrorMessage, err: o.Err}
	}
	return op
}

func fromAttempt(a plugin.AttemptInfo) attempt {
	at := attempt{op: fromOperation(a.OperationInfo), number: a.Attempt, outcome: string(a.Status)}
	at.err, at.op.err = at.op.err, nil
	return at
}

// hooks wires a tracer to the SDK's lifecycle hooks.
func (t *tracer) hooks(name string) plugin.Plugin {
	return plugin.Plugin{
		Name: name,
		InvocationStart: func(context.Context, plugin.InvocationInfo) error {
			return t.setupErr
		},
		InvocationContext: func(ctx context.Context, i plugin.InvocationInfo) context.Context {
			return t.invocationStarted(ctx, fromInvocation(i))
		},
		InvocationEnd: func(ctx context.Context, i plugin.InvocationInfo) error {
			t.invocationEnded(ctx, fromInvocationEnd(i))
			return nil
		},
		OperationStart: func(ctx context.Context, o plugin.OperationInfo) error {
			if r := runOf(ctx, t); r != nil {
				t.view.operationStarted(r, fromOperation(o))
			}
			return nil
		},
		OperationEnd: func(ctx context.Context, o plugin.OperationInfo) error {
			if r := runOf(ctx, t); r != nil {
				t.view.operationEnded(r, fromOperation(o))
			}
			return nil
		},
		AttemptStart: func(ctx context.Context, a plugin.AttemptInfo) error {
			if r := runOf(ctx, t); r != nil && a.Type != checkpoint.TypeContext {
				r.attemptStarted(fromAttempt(a))
			}
			return nil
		},
		AttemptContext: func(ctx context.Context, a plugin.AttemptInfo) context.Context {
			if r := runOf(ctx, t); r != nil {
				return r.scope(ctx, a.ID, a.Type == checkpoint.TypeContext)
			}
			return ctx
		},
		AttemptEnd: func(ctx context.Context, a plugin.AttemptInfo) error {
			if r := runOf(ctx, t); r != nil && a.Type != checkpoint.TypeContext {
				r.attemptEnded(fromAttempt(a))
			}
			return nil
		},
	}
}
