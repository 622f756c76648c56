package httpapi_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/smithy-go"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/local"
)

// greeter records one step and succeeds with a JSON result.
func greeter(ctx context.Context, inv *invocation) checkpoint.InvocationResponse {
	if _, done := inv.ops["s1"]; !done {
		err := inv.checkpoint(ctx, checkpoint.OperationUpdate{
			Id: "s1", Name: "greet", Type: checkpoint.TypeStep, SubType: "Step", Action: checkpoint.ActionStart,
		}, checkpoint.OperationUpdate{
			Id: "s1", Name: "greet", Type: checkpoint.TypeStep, SubType: "Step", Action: checkpoint.ActionSucceed,
			Payload: `"hello ` + strings.Trim(inv.input, `"`) + `"`,
		})
		if err != nil {
			return fail(err)
		}
	}
	return succeed(`{"greeting":` + inv.ops["s1"].StepDetails.Result + `}`)
}

// withinWallClock checks that a timestamp decoded by the client is now-ish:
// it catches milliseconds sent where seconds are due, and the reverse.
func withinWallClock(t *testing.T, what string, ts *time.Time, before, after time.Time) {
	t.Helper()
	if ts == nil {
		t.Errorf("%s: missing", what)
		return
	}
	if ts.Before(before.Add(-time.Second)) || ts.After(after.Add(time.Second)) {
		t.Errorf("%s = %v, want between %v and %v", what, ts, before, after)
	}
}

func TestInvokeSyncThenRead(t *testing.T) {
	e := newEnv(t, nil)
	e.register(t, "greeter", greeter)
	ctx := t.Context()
	before := time.Now()

	out, err := e.client.Invoke(ctx, &lambda.InvokeInput{
		FunctionName:         aws.String("greeter"),
		DurableExecutionName: aws.String("run-1"),
		Payload:              []byte(`"bob"`),
	})
	if err != nil {
		t.Fatal(err)
	}
	after := time.Now()
	if out.StatusCode != 200 || string(out.Payload) != `{"greeting":"hello bob"}` || out.FunctionError != nil {
		t.Fatalf("Invoke = %d %s %v", out.StatusCode, out.Payload, aws.ToString(out.FunctionError))
	}
	arn := aws.ToString(out.DurableExecutionArn)
	if !strings.Contains(arn, ":function:greeter:$LATEST/durable-execution/run-1/") || aws.ToString(out.ExecutedVersion) != "$LATEST" {
		t.Fatalf("ARN %q, version %q", arn, aws.ToString(out.ExecutedVersion))
	}

	got, err := e.client.GetDurableExecution(ctx, &lambda.GetDurableExecutionInput{DurableExecutionArn: &arn})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != types.ExecutionStatusSucceeded || aws.ToString(got.Result) != `{"greeting":"hello bob"}` ||
		aws.ToString(got.InputPayload) != `"bob"` || aws.ToString(got.DurableExecutionName) != "run-1" {
		t.Errorf("GetDurableExecution = %+v", got)
	}
	withinWallClock(t, "StartTimestamp", got.StartTimestamp, before, after)
	withinWallClock(t, "EndTimestamp", got.EndTimestamp, before, after)

	hist, err := e.client.GetDurableExecutionHistory(ctx, &lambda.GetDurableExecutionHistoryInput{DurableExecutionArn: &arn})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, ev := range hist.Events {
		kinds = append(kinds, string(ev.EventType))
		withinWallClock(t, string(ev.EventType)+" EventTimestamp", ev.EventTimestamp, before, after)
	}
	want := "ExecutionStarted StepStarted StepSucceeded InvocationCompleted ExecutionSucceeded"
	if strings.Join(kinds, " ") != want {
		t.Fatalf("history = %v, want %s", kinds, want)
	}
	if r := hist.Events[2].StepSucceededDetails.Result; r == nil || aws.ToString(r.Payload) != `"hello bob"` {
		t.Errorf("StepSucceeded result = %+v", r)
	}
	ic := hist.Events[3].InvocationCompletedDetails
	withinWallClock(t, "InvocationCompleted StartTimestamp", ic.StartTimestamp, before, after)

	// Paging and reverse order.
	page, err := e.client.GetDurableExecutionHistory(ctx, &lambda.GetDurableExecutionHistoryInput{
		DurableExecutionArn: &arn, MaxItems: 2, ReverseOrder: aws.Bool(true),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Events) != 2 || page.Events[0].EventType != types.EventTypeExecutionSucceeded || page.NextMarker == nil {
		t.Errorf("reverse page = %d events, first %s, marker %v", len(page.Events), page.Events[0].EventType, page.NextMarker)
	}
	page2, err := e.client.GetDurableExecutionHistory(ctx, &lambda.GetDurableExecutionHistoryInput{
		DurableExecutionArn: &arn, MaxItems: 2, ReverseOrder: aws.Bool(true), Marker: page.NextMarker,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(page2.Events) != 2 || page2.Events[0].EventType != types.EventTypeStepSucceeded {
		t.Errorf("second reverse page = %+v", page2.Events)
	}

	// Listing with filters.
	list := func(in *lambda.ListDurableExecutionsByFunctionInput) []types.Execution {
		t.Helper()
		in.FunctionName = aws.String("greeter")
		out, err := e.client.ListDurableExecutionsByFunction(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		return out.DurableExecutions
	}
	if l := list(&lambda.ListDurableExecutionsByFunctionInput{Statuses: []types.ExecutionStatus{types.ExecutionStatusSucceeded}}); len(l) != 1 ||
		aws.ToString(l[0].DurableExecutionArn) != arn || l[0].Status != types.ExecutionStatusSucceeded {
		t.Errorf("list SUCCEEDED = %+v", l)
	} else {
		withinWallClock(t, "listed StartTimestamp", l[0].StartTimestamp, before, after)
	}
	if l := list(&lambda.ListDurableExecutionsByFunctionInput{Statuses: []types.ExecutionStatus{types.ExecutionStatusRunning, types.ExecutionStatusFailed}}); len(l) != 0 {
		t.Errorf("list RUNNING,FAILED = %+v", l)
	}
	if l := list(&lambda.ListDurableExecutionsByFunctionInput{StartedAfter: aws.Time(after.Add(time.Hour))}); len(l) != 0 {
		t.Errorf("list started after the future = %+v", l)
	}
	if l := list(&lambda.ListDurableExecutionsByFunctionInput{StartedBefore: aws.Time(after.Add(time.Hour)), DurableExecutionName: aws.String("run-1")}); len(l) != 1 {
		t.Errorf("list by name = %+v", l)
	}
}

func TestInvokeVariants(t *testing.T) {
	e := newEnv(t, nil)
	e.register(t, "greeter", greeter)
	e.register(t, "failer", func(ctx context.Context, inv *invocation) checkpoint.InvocationResponse {
		return checkpoint.InvocationResponse{Status: checkpoint.InvocationFailed,
			Error: &checkpoint.ErrorObject{ErrorType: "Oops", ErrorMessage: "it broke", StackTrace: []string{"a.go:1"}}}
	})
	ctx := t.Context()

	// Event: answered at once with 202 and the ARN.
	out, err := e.client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("greeter"), InvocationType: types.InvocationTypeEvent, Payload: []byte(`"amy"`)})
	if err != nil {
		t.Fatal(err)
	}
	if out.StatusCode != 202 || out.DurableExecutionArn == nil {
		t.Fatalf("Event invoke = %d, ARN %v", out.StatusCode, out.DurableExecutionArn)
	}
	res, err := e.svc.WaitForCompletion(ctx, *out.DurableExecutionArn)
	if err != nil || res.Status != local.ExecutionSucceeded {
		t.Fatalf("async execution: %+v %v", res, err)
	}

	// DryRun: 204 for a known function.
	out, err = e.client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("greeter"), InvocationType: types.InvocationTypeDryRun})
	if err != nil || out.StatusCode != 204 {
		t.Fatalf("DryRun = %v %v", out, err)
	}

	// A failed execution: the error as payload, with X-Amz-Function-Error.
	out, err = e.client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("failer")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.FunctionError) != "Unhandled" || !strings.Contains(string(out.Payload), `"errorType":"Oops"`) ||
		!strings.Contains(string(out.Payload), `"errorMessage":"it broke"`) {
		t.Errorf("failed invoke = %q %s", aws.ToString(out.FunctionError), out.Payload)
	}

	// By ARN, with a qualifier.
	fnArn, err := e.svc.FunctionArn("greeter")
	if err != nil {
		t.Fatal(err)
	}
	out, err = e.client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(fnArn), Qualifier: aws.String("$LATEST"), Payload: []byte(`"zed"`)})
	if err != nil || string(out.Payload) != `{"greeting":"hello zed"}` {
		t.Fatalf("invoke by ARN = %v %v", out, err)
	}

	// Errors.
	_, err = e.client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("nobody")})
	wantAPIError(t, err, "ResourceNotFoundException", 404)
	_, err = e.client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("greeter"), Payload: []byte(`{not json`)})
	wantAPIError(t, err, "InvalidRequestContentException", 400)
	_, err = e.client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("greeter"), InvocationType: "Sometimes"})
	wantAPIError(t, err, "InvalidParameterValueException", 400)
	_, err = e.client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("greeter"), DurableExecutionName: aws.String("bad name!")})
	wantAPIError(t, err, "InvalidParameterValueException", 400)
	if _, err = e.client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("greeter"), DurableExecutionName: aws.String("once")}); err != nil {
		t.Fatal(err)
	}
	_, err = e.client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("greeter"), DurableExecutionName: aws.String("once")})
	if err == nil {
		t.Error("starting a second execution with the same name succeeded")
	}
}

// wantAPIError checks that err is a service error with that code and status.
func wantAPIError(t *testing.T, err error, code string, status int) {
	t.Helper()
	if err == nil {
		t.Errorf("no error, want %s", code)
		return
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != code {
		t.Errorf("error %v, want code %s", err, code)
		return
	}
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) && re.HTTPStatusCode() != status {
		t.Errorf("%s: HTTP %d, want %d", code, re.HTTPStatusCode(), status)
	}
	if ae.ErrorMessage() == "" || ae.ErrorMessage() == code {
		t.Errorf("%s: the message did not reach the client: %q", code, ae.ErrorMessage())
	}
}
