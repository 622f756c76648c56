package httpapi_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/local"
)

// awaitCallback starts a callback and returns its outcome once it has one.
func awaitCallback(ctx context.Context, inv *invocation) checkpoint.InvocationResponse {
	if _, ok := inv.ops["cb"]; !ok {
		err := inv.checkpoint(ctx, checkpoint.OperationUpdate{
			Id: "cb", Name: "approval", Type: checkpoint.TypeCallback, SubType: "Callback", Action: checkpoint.ActionStart,
			CallbackOptions: &checkpoint.CallbackOptions{TimeoutSeconds: 3600},
		})
		if err != nil {
			return fail(err)
		}
	}
	op := inv.ops["cb"]
	switch op.Status {
	case checkpoint.StatusSucceeded:
		return succeed(op.CallbackDetails.Result)
	case checkpoint.StatusFailed, checkpoint.StatusTimedOut:
		return checkpoint.InvocationResponse{Status: checkpoint.InvocationFailed, Error: op.CallbackDetails.Error}
	}
	return pending()
}

// startAndGetCallback starts an execution asynchronously and returns its ARN
// and the id of the callback it opens.
func startAndGetCallback(t *testing.T, e *env, fn string) (arn, callbackID string) {
	t.Helper()
	ctx := t.Context()
	out, err := e.client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(fn), InvocationType: types.InvocationTypeEvent})
	if err != nil {
		t.Fatal(err)
	}
	arn = aws.ToString(out.DurableExecutionArn)
	if err := e.svc.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
	open, err := e.svc.OpenCallbacks(arn)
	if err != nil || len(open) != 1 {
		t.Fatalf("open callbacks = %+v, %v", open, err)
	}
	return arn, open[0].CallbackId
}

func TestCallbackSuccessHeartbeatAndClosed(t *testing.T) {
	e := newEnv(t, nil)
	e.register(t, "approver", awaitCallback)
	ctx := t.Context()
	arn, id := startAndGetCallback(t, e, "approver")
	if !strings.ContainsAny(id, "+/=$:") {
		t.Logf("callback id %q has no characters that need escaping", id)
	}

	if _, err := e.client.SendDurableExecutionCallbackHeartbeat(ctx, &lambda.SendDurableExecutionCallbackHeartbeatInput{CallbackId: &id}); err != nil {
		t.Fatalf("heartbeat: %v", err)
	}
	// The raw body becomes the result text, byte for byte.
	if _, err := e.client.SendDurableExecutionCallbackSuccess(ctx, &lambda.SendDurableExecutionCallbackSuccessInput{
		CallbackId: &id, Result: []byte(`{"status": "approved"}`),
	}); err != nil {
		t.Fatalf("success: %v", err)
	}
	res, err := e.svc.WaitForCompletion(ctx, arn)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != local.ExecutionSucceeded || aws.ToString(res.Result) != `{"status": "approved"}` {
		t.Fatalf("execution = %s %s", res.Status, aws.ToString(res.Result))
	}

	// The callback is closed now.
	_, err = e.client.SendDurableExecutionCallbackSuccess(ctx, &lambda.SendDurableExecutionCallbackSuccessInput{CallbackId: &id})
	wantAPIError(t, err, "CallbackTimeoutException", 400)
	var cte *types.CallbackTimeoutException
	if !errors.As(err, &cte) {
		t.Errorf("want a *types.CallbackTimeoutException, got %T", err)
	}
	_, err = e.client.SendDurableExecutionCallbackHeartbeat(ctx, &lambda.SendDurableExecutionCallbackHeartbeatInput{CallbackId: &id})
	wantAPIError(t, err, "CallbackTimeoutException", 400)
	_, err = e.client.SendDurableExecutionCallbackFailure(ctx, &lambda.SendDurableExecutionCallbackFailureInput{CallbackId: aws.String("no-such-callback")})
	wantAPIError(t, err, "CallbackTimeoutException", 400)
}

func TestCallbackFailure(t *testing.T) {
	e := newEnv(t, nil)
	e.register(t, "approver", awaitCallback)
	ctx := t.Context()
	arn, id := startAndGetCallback(t, e, "approver")
	_, err := e.client.SendDurableExecutionCallbackFailure(ctx, &lambda.SendDurableExecutionCallbackFailureInput{
		CallbackId: &id,
		Error:      &types.ErrorObject{ErrorType: aws.String("Rejected"), ErrorMessage: aws.String("no budget"), StackTrace: []string{"x"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.svc.WaitForCompletion(ctx, arn)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != local.ExecutionFailed || res.Error == nil || res.Error.ErrorType != "Rejected" || res.Error.ErrorMessage != "no budget" {
		t.Fatalf("execution = %s %+v", res.Status, res.Error)
	}
	got, err := e.client.GetDurableExecution(ctx, &lambda.GetDurableExecutionInput{DurableExecutionArn: &arn})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != types.ExecutionStatusFailed || got.Error == nil || aws.ToString(got.Error.ErrorType) != "Rejected" {
		t.Errorf("GetDurableExecution = %s %+v", got.Status, got.Error)
	}
}

func TestCallbackPayloadTooLarge(t *testing.T) {
	e := newEnv(t, nil)
	e.register(t, "approver", awaitCallback)
	_, id := startAndGetCallback(t, e, "approver")
	big := []byte(`"` + strings.Repeat("x", 300<<10) + `"`)
	_, err := e.client.SendDurableExecutionCallbackSuccess(t.Context(), &lambda.SendDurableExecutionCallbackSuccessInput{CallbackId: &id, Result: big})
	wantAPIError(t, err, "RequestTooLargeException", 413)
	var rtl *types.RequestTooLargeException
	if !errors.As(err, &rtl) {
		t.Errorf("want a *types.RequestTooLargeException, got %T", err)
	}
}

func TestStopExecution(t *testing.T) {
	e := newEnv(t, nil)
	e.register(t, "approver", awaitCallback)
	ctx := t.Context()
	arn, id := startAndGetCallback(t, e, "approver")
	out, err := e.client.StopDurableExecution(ctx, &lambda.StopDurableExecutionInput{
		DurableExecutionArn: &arn,
		Error:               &types.ErrorObject{ErrorType: aws.String("Cancelled"), ErrorMessage: aws.String("by the operator")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if out.StopTimestamp == nil || out.StopTimestamp.IsZero() {
		t.Errorf("StopTimestamp = %v", out.StopTimestamp)
	}
	got, err := e.client.GetDurableExecution(ctx, &lambda.GetDurableExecutionInput{DurableExecutionArn: &arn})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != types.ExecutionStatusStopped {
		t.Errorf("status after stop = %s", got.Status)
	}
	_, err = e.client.SendDurableExecutionCallbackSuccess(ctx, &lambda.SendDurableExecutionCallbackSuccessInput{CallbackId: &id})
	wantAPIError(t, err, "CallbackTimeoutException", 400)
	// Stopping without an error object is allowed too (already stopped here).
	_, err = e.client.StopDurableExecution(ctx, &lambda.StopDurableExecutionInput{DurableExecutionArn: aws.String(arn + "x")})
	wantAPIError(t, err, "ResourceNotFoundException", 404)
}
