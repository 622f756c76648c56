package checkpoint

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// This file converts between the wire model of this package and the
// aws-sdk-go-v2 Lambda types: requests one way, operations the other.

func toCheckpointRequest(in *CheckpointInput) *lambda.CheckpointDurableExecutionInput {
	req := &lambda.CheckpointDurableExecutionInput{
		DurableExecutionArn: &in.DurableExecutionArn,
		CheckpointToken:     &in.CheckpointToken,
		ClientToken:         optString(in.ClientToken),
	}
	if len(in.Updates) > 0 {
		req.Updates = make([]types.OperationUpdate, len(in.Updates))
		for i := range in.Updates {
			req.Updates[i] = toUpdate(&in.Updates[i])
		}
	}
	return req
}

func toStateRequest(in *StateInput) *lambda.GetDurableExecutionStateInput {
	return &lambda.GetDurableExecutionStateInput{
		DurableExecutionArn: &in.DurableExecutionArn,
		CheckpointToken:     &in.CheckpointToken,
		Marker:              optString(in.Marker),
		MaxItems:            int32(min(max(in.MaxItems, 0), 1<<31-1)),
	}
}

func toUpdate(u *OperationUpdate) types.OperationUpdate {
	out := types.OperationUpdate{
		Id:       aws.String(u.Id),
		ParentId: optString(u.ParentId),
		Name:     optString(u.Name),
		Type:     types.OperationType(u.Type),
		SubType:  optString(u.SubType),
		Action:   types.OperationAction(u.Action),
		Payload:  optString(u.Payload),
		Error:    toErrorObject(u.Error),
	}
	if o := u.ContextOptions; o != nil {
		out.ContextOptions = &types.ContextOptions{}
		if o.ReplayChildren {
			out.ContextOptions.ReplayChildren = aws.Bool(true)
		}
	}
	if o := u.StepOptions; o != nil {
		out.StepOptions = &types.StepOptions{NextAttemptDelaySeconds: aws.Int32(o.NextAttemptDelaySeconds)}
	}
	if o := u.WaitOptions; o != nil {
		out.WaitOptions = &types.WaitOptions{WaitSeconds: aws.Int32(o.WaitSeconds)}
	}
	if o := u.CallbackOptions; o != nil {
		out.CallbackOptions = &types.CallbackOptions{
			TimeoutSeconds:          o.TimeoutSeconds,
			HeartbeatTimeoutSeconds: o.HeartbeatTimeoutSeconds,
		}
	}
	if o := u.ChainedInvokeOptions; o != nil {
		out.ChainedInvokeOptions = &types.ChainedInvokeOptions{
			FunctionName: aws.String(o.FunctionName),
			TenantId:     optString(o.TenantId),
		}
	}
	return out
}

func toErrorObject(e *ErrorObject) *types.ErrorObject {
	if e == nil {
		return nil
	}
	return &types.ErrorObject{
		ErrorType:    optString(e.ErrorType),
		ErrorMessage: optString(e.ErrorMessage),
		ErrorData:    optString(e.ErrorData),
		StackTrace:   e.StackTrace,
	}
}

func fromOperations(ops []types.Operation) []Operation {
	if ops == nil {
		return nil
	}
	out := make([]Operation, len(ops))
	for i := range ops {
		out[i] = fromOperation(&ops[i])
	}
	return out
}

func fromOperation(o *types.Operation) Operation {
	out := Operation{
		Id:             aws.ToString(o.Id),
		ParentId:       aws.ToString(o.ParentId),
		Name:           aws.ToString(o.Name),
		Type:           OperationType(o.Type),
		SubType:        aws.ToString(o.SubType),
		Status:         Status(o.Status),
		StartTimestamp: fromTime(o.StartTimestamp),
		EndTimestamp:   fromTime(o.EndTimestamp),
	}
	if d := o.ExecutionDetails; d != nil {
		out.ExecutionDetails = &ExecutionDetails{InputPayload: aws.ToString(d.InputPayload)}
	}
	if d := o.ContextDetails; d != nil {
		out.ContextDetails = &ContextDetails{
			ReplayChildren: aws.ToBool(d.ReplayChildren),
			Result:         aws.ToString(d.Result),
			Error:          fromErrorObject(d.Error),
		}
	}
	if d := o.StepDetails; d != nil {
		out.StepDetails = &StepDetails{
			Attempt:              int(d.Attempt),
			NextAttemptTimestamp: fromTime(d.NextAttemptTimestamp),
			Result:               aws.ToString(d.Result),
			Error:                fromErrorObject(d.Error),
		}
	}
	if d := o.WaitDetails; d != nil {
		out.WaitDetails = &WaitDetails{ScheduledEndTimestamp: fromTime(d.ScheduledEndTimestamp)}
	}
	if d := o.CallbackDetails; d != nil {
		out.CallbackDetails = &CallbackDetails{
			CallbackId: aws.ToString(d.CallbackId),
			Result:     aws.ToString(d.Result),
			Error:      fromErrorObject(d.Error),
		}
	}
	if d := o.ChainedInvokeDetails; d != nil {
		out.ChainedInvokeDetails = &ChainedInvokeDetails{
			Result: aws.ToString(d.Result),
			Error:  fromErrorObject(d.Error),
		}
	}
	return out
}

func fromErrorObject(e *types.ErrorObject) *ErrorObject {
	if e == nil {
		return nil
	}
	return &ErrorObject{
		ErrorType:    aws.ToString(e.ErrorType),
		ErrorMessage: aws.ToString(e.ErrorMessage),
		ErrorData:    aws.ToString(e.ErrorData),
		StackTrace:   e.StackTrace,
	}
}

func fromTime(t *time.Time) Timestamp {
	if t == nil {
		return Timestamp{}
	}
	return Timestamp{*t}
}

// optString returns nil for "", so optional members stay off the wire.
func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
