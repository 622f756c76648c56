package httpapi_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/local"
)

// TestCheckpointErrorsAndState drives the checkpoint and state calls from
// inside an invocation with the raw client: a stale token, an invalid
// transition, a repeated client token, paging of the state.
func TestCheckpointErrorsAndState(t *testing.T) {
	e := newEnv(t, nil)
	errs := &recorder[string]{}
	check := func(what string, err error, code, prefix string) {
		var ae interface {
			ErrorCode() string
			ErrorMessage() string
		}
		switch {
		case err == nil:
			errs.add(what + ": no error")
		case !errors.As(err, &ae):
			errs.add(fmt.Sprintf("%s: %T %v", what, err, err))
		case ae.ErrorCode() != code || !strings.HasPrefix(ae.ErrorMessage(), prefix):
			errs.add(fmt.Sprintf("%s: %s %q, want %s %q...", what, ae.ErrorCode(), ae.ErrorMessage(), code, prefix))
		}
	}
	e.register(t, "fn", func(ctx context.Context, inv *invocation) checkpoint.InvocationResponse {
		c := e.client
		first := inv.token
		start := func(id string) types.OperationUpdate {
			return types.OperationUpdate{Id: aws.String(id), Type: types.OperationTypeWait, SubType: aws.String("Wait"),
				Action: types.OperationActionStart, WaitOptions: &types.WaitOptions{WaitSeconds: aws.Int32(3600)}}
		}
		out, err := c.CheckpointDurableExecution(ctx, &lambda.CheckpointDurableExecutionInput{
			DurableExecutionArn: &inv.arn, CheckpointToken: &first, ClientToken: aws.String("ct-1"),
			Updates: []types.OperationUpdate{start("w1"), start("w2"), start("w3")},
		})
		if err != nil {
			errs.add("first checkpoint: " + err.Error())
			return fail(err)
		}
		if len(out.NewExecutionState.Operations) < 3 {
			errs.add(fmt.Sprintf("first checkpoint returned %d operations", len(out.NewExecutionState.Operations)))
		}
		for _, op := range out.NewExecutionState.Operations {
			if aws.ToString(op.Id) == "w1" {
				if op.WaitDetails == nil || op.WaitDetails.ScheduledEndTimestamp == nil ||
					op.WaitDetails.ScheduledEndTimestamp.Sub(*op.StartTimestamp).Round(time.Second) != time.Hour {
					errs.add(fmt.Sprintf("w1 wait details %+v, start %v", op.WaitDetails, op.StartTimestamp))
				}
			}
		}
		second := aws.ToString(out.CheckpointToken)

		// The same (ClientToken, token) pair replays the same answer.
		again, err := c.CheckpointDurableExecution(ctx, &lambda.CheckpointDurableExecutionInput{
			DurableExecutionArn: &inv.arn, CheckpointToken: &first, ClientToken: aws.String("ct-1"),
			Updates: []types.OperationUpdate{start("w1"), start("w2"), start("w3")},
		})
		if err != nil || aws.ToString(again.CheckpointToken) != second {
			errs.add(fmt.Sprintf("idempotent replay: %v, token %q vs %q", err, aws.ToString(again.CheckpointToken), second))
		}

		// A stale token.
		_, err = c.CheckpointDurableExecution(ctx, &lambda.CheckpointDurableExecutionInput{
			DurableExecutionArn: &inv.arn, CheckpointToken: &first, ClientToken: aws.String("ct-2"),
		})
		check("stale checkpoint", err, "InvalidParameterValueException", checkpoint.InvalidTokenPrefix)
		_, err = c.GetDurableExecutionState(ctx, &lambda.GetDurableExecutionStateInput{DurableExecutionArn: &inv.arn, CheckpointToken: aws.String("forged")})
		check("forged state token", err, "InvalidParameterValueException", checkpoint.InvalidTokenPrefix)

		// An invalid transition: a WAIT starts only once.
		_, err = c.CheckpointDurableExecution(ctx, &lambda.CheckpointDurableExecutionInput{
			DurableExecutionArn: &inv.arn, CheckpointToken: &second,
			Updates: []types.OperationUpdate{start("w1")},
		})
		check("second WAIT START", err, "InvalidParameterValueException", "")

		// The state, one operation per page (EXECUTION + 3 waits).
		var ids []string
		var marker *string
		for range 10 {
			page, err := c.GetDurableExecutionState(ctx, &lambda.GetDurableExecutionStateInput{
				DurableExecutionArn: &inv.arn, CheckpointToken: &second, MaxItems: 1, Marker: marker,
			})
			if err != nil {
				errs.add("state page: " + err.Error())
				break
			}
			for _, op := range page.Operations {
				ids = append(ids, aws.ToString(op.Id))
			}
			if marker = page.NextMarker; marker == nil || *marker == "" {
				break
			}
		}
		if len(ids) != 4 || ids[1] != "w1" || ids[3] != "w3" {
			errs.add(fmt.Sprintf("paged state ids = %v", ids))
		}
		_, err = c.GetDurableExecutionState(ctx, &lambda.GetDurableExecutionStateInput{
			DurableExecutionArn: &inv.arn, CheckpointToken: &second, MaxItems: 5000,
		})
		check("MaxItems over 1000", err, "InvalidParameterValueException", "")
		return pending()
	})
	out, err := e.client.Invoke(t.Context(), &lambda.InvokeInput{FunctionName: aws.String("fn"), InvocationType: types.InvocationTypeEvent})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.WaitIdle(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, msg := range errs.all() {
		t.Error(msg)
	}
	got, err := e.client.GetDurableExecution(t.Context(), &lambda.GetDurableExecutionInput{DurableExecutionArn: out.DurableExecutionArn})
	if err != nil || got.Status != types.ExecutionStatusRunning {
		t.Errorf("execution: %v %v", got, err)
	}
}

func TestUnknownExecution(t *testing.T) {
	e := newEnv(t, nil)
	ctx := t.Context()
	arn := aws.String("arn:aws:lambda:us-east-1:123456789012:function:nope:$LATEST/durable-execution/x/y")
	_, err := e.client.GetDurableExecution(ctx, &lambda.GetDurableExecutionInput{DurableExecutionArn: arn})
	wantAPIError(t, err, "ResourceNotFoundException", 404)
	var rnf *types.ResourceNotFoundException
	if !errors.As(err, &rnf) {
		t.Errorf("want a *types.ResourceNotFoundException, got %T", err)
	}
	_, err = e.client.GetDurableExecutionHistory(ctx, &lambda.GetDurableExecutionHistoryInput{DurableExecutionArn: arn})
	wantAPIError(t, err, "ResourceNotFoundException", 404)
	_, err = e.client.CheckpointDurableExecution(ctx, &lambda.CheckpointDurableExecutionInput{DurableExecutionArn: arn, CheckpointToken: aws.String("t")})
	if err == nil {
		t.Error("checkpoint on an unknown execution succeeded")
	}
	_, err = e.client.ListDurableExecutionsByFunction(ctx, &lambda.ListDurableExecutionsByFunctionInput{FunctionName: aws.String("nope")})
	wantAPIError(t, err, "ResourceNotFoundException", 404)
}

// TestThrottling injects a 429 through the service's API hook and checks
// that the client sees TooManyRequestsException with its Retry-After, and
// that the SDK's checkpoint adapter classifies it as retryable.
func TestThrottling(t *testing.T) {
	var throttled recorder[string]
	hook := func(_ context.Context, op, _ string) error {
		if op == "GetDurableExecution" || op == "CheckpointDurableExecution" {
			throttled.add(op)
			return &local.APIError{Code: local.CodeTooManyRequests, HTTPStatus: 429, Message: "slow down", RetryAfter: 3 * time.Second}
		}
		return nil
	}
	e := newEnv(t, []local.Option{local.WithAPIHook(hook)})
	_, err := e.client.GetDurableExecution(t.Context(), &lambda.GetDurableExecutionInput{DurableExecutionArn: aws.String("arn:x")})
	wantAPIError(t, err, "TooManyRequestsException", 429)
	var tmr *types.TooManyRequestsException
	if !errors.As(err, &tmr) || aws.ToString(tmr.RetryAfterSeconds) != "3" {
		t.Errorf("want TooManyRequestsException with Retry-After 3, got %T %v", err, err)
	}
	_, err = e.cp.Checkpoint(t.Context(), &checkpoint.CheckpointInput{DurableExecutionArn: "arn:x", CheckpointToken: "t"})
	if !checkpoint.IsRetryable(err) {
		t.Errorf("a throttled checkpoint must be retryable: %v", err)
	}
	if n := len(throttled.all()); n != 2 {
		t.Errorf("hook saw %d calls, want 2", n)
	}
}
