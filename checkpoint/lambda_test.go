package checkpoint_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/lambda-durable/durable/checkpoint"
)

const lambdaTestARN = "arn:aws:lambda:us-east-1:123456789012:function:orders:$LATEST/durable-execution/run+1/abc-123"

// lambdaRequest is one request the fake service saw.
type lambdaRequest struct {
	Method, EscapedPath string
	Query               map[string][]string
	Body                map[string]any
}

// lambdaFake is a restJson1 endpoint on 127.0.0.1 that answers every request
// with a fixed status, headers and body, and records what it received.
type lambdaFake struct {
	t      *testing.T
	srv    *httptest.Server
	mu     sync.Mutex
	reqs   []lambdaRequest
	status int
	header map[string]string
	body   string
}

func newLambdaFake(t *testing.T, status int, header map[string]string, body string) *lambdaFake {
	t.Helper()
	f := &lambdaFake{t: t, status: status, header: header, body: body}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *lambdaFake) serve(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		f.t.Errorf("reading body: %v", err)
	}
	rec := lambdaRequest{Method: r.Method, EscapedPath: r.URL.EscapedPath(), Query: r.URL.Query()}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &rec.Body); err != nil {
			f.t.Errorf("request body is not JSON: %q", raw)
		}
	}
	f.mu.Lock()
	f.reqs = append(f.reqs, rec)
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	for k, v := range f.header {
		w.Header().Set(k, v)
	}
	w.WriteHeader(f.status)
	_, _ = io.WriteString(w, f.body)
}

func (f *lambdaFake) requests() []lambdaRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]lambdaRequest(nil), f.reqs...)
}

// client returns the adapter over an aws-sdk-go-v2 client aimed at f.
func (f *lambdaFake) client() checkpoint.Client {
	return checkpoint.NewLambdaClient(lambdaSDKClient(f.srv.URL))
}

func lambdaSDKClient(url string) *lambda.Client {
	return lambda.New(lambda.Options{
		BaseEndpoint:     aws.String(url),
		Region:           "us-east-1",
		Credentials:      aws.AnonymousCredentials{},
		RetryMaxAttempts: 1,
	})
}

func TestLambdaCheckpointRequestEncoding(t *testing.T) {
	f := newLambdaFake(t, 200, nil, `{"CheckpointToken":"t2","NewExecutionState":{"Operations":[]}}`)
	in := &checkpoint.CheckpointInput{
		DurableExecutionArn: lambdaTestARN,
		CheckpointToken:     "t1",
		ClientToken:         "client-1",
		Updates: []checkpoint.OperationUpdate{
			{Id: "c1", Name: "ctx", Type: checkpoint.TypeContext, SubType: checkpoint.SubTypeRunInChildContext, Action: checkpoint.ActionStart, ContextOptions: &checkpoint.ContextOptions{ReplayChildren: true}},
			{Id: "s1", ParentId: "c1", Name: "charge", Type: checkpoint.TypeStep, SubType: checkpoint.SubTypeStep, Action: checkpoint.ActionRetry,
				Error:       &checkpoint.ErrorObject{ErrorType: "Timeout", ErrorMessage: "slow", ErrorData: `{"a":1}`, StackTrace: []string{"f1", "f2"}},
				StepOptions: &checkpoint.StepOptions{NextAttemptDelaySeconds: 7}},
			{Id: "w1", Type: checkpoint.TypeWait, Action: checkpoint.ActionStart, WaitOptions: &checkpoint.WaitOptions{WaitSeconds: 30}},
			{Id: "cb1", Type: checkpoint.TypeCallback, Action: checkpoint.ActionStart, CallbackOptions: &checkpoint.CallbackOptions{TimeoutSeconds: 60, HeartbeatTimeoutSeconds: 10}},
			{Id: "i1", Type: checkpoint.TypeChainedInvoke, Action: checkpoint.ActionStart, Payload: `{"x":1}`, ChainedInvokeOptions: &checkpoint.ChainedInvokeOptions{FunctionName: "other", TenantId: "t-9"}},
			{Id: "exec", Type: checkpoint.TypeExecution, Action: checkpoint.ActionSucceed, Payload: `"done"`},
		},
	}
	out, err := f.client().Checkpoint(context.Background(), in)
	if err != nil {
		t.Fatalf("Checkpoint: %v", err)
	}
	if out.CheckpointToken != "t2" {
		t.Fatalf("token = %q, want t2", out.CheckpointToken)
	}
	reqs := f.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	r := reqs[0]
	wantPath := "/2025-12-01/durable-executions/" +
		"arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aorders%3A%24LATEST%2Fdurable-execution%2Frun%2B1%2Fabc-123" +
		"/checkpoint"
	if r.Method != http.MethodPost || r.EscapedPath != wantPath {
		t.Fatalf("request = %s %s, want POST %s", r.Method, r.EscapedPath, wantPath)
	}
	want := map[string]any{
		"CheckpointToken": "t1",
		"ClientToken":     "client-1",
		"Updates": []any{
			map[string]any{"Id": "c1", "Name": "ctx", "Type": "CONTEXT", "SubType": "RunInChildContext", "Action": "START",
				"ContextOptions": map[string]any{"ReplayChildren": true}},
			map[string]any{"Id": "s1", "ParentId": "c1", "Name": "charge", "Type": "STEP", "SubType": "Step", "Action": "RETRY",
				"Error":       map[string]any{"ErrorType": "Timeout", "ErrorMessage": "slow", "ErrorData": `{"a":1}`, "StackTrace": []any{"f1", "f2"}},
				"StepOptions": map[string]any{"NextAttemptDelaySeconds": 7.0}},
			map[string]any{"Id": "w1", "Type": "WAIT", "Action": "START", "WaitOptions": map[string]any{"WaitSeconds": 30.0}},
			map[string]any{"Id": "cb1", "Type": "CALLBACK", "Action": "START",
				"CallbackOptions": map[string]any{"TimeoutSeconds": 60.0, "HeartbeatTimeoutSeconds": 10.0}},
			map[string]any{"Id": "i1", "Type": "CHAINED_INVOKE", "Action": "START", "Payload": `{"x":1}`,
				"ChainedInvokeOptions": map[string]any{"FunctionName": "other", "TenantId": "t-9"}},
			map[string]any{"Id": "exec", "Type": "EXECUTION", "Action": "SUCCEED", "Payload": `"done"`},
		},
	}
	if !reflect.DeepEqual(r.Body, want) {
		got, _ := json.MarshalIndent(r.Body, "", "  ")
		t.Fatalf("body:\n%s", got)
	}
}

func TestLambdaCheckpointFillsClientToken(t *testing.T) {
	f := newLambdaFake(t, 200, nil, `{"CheckpointToken":"t2","NewExecutionState":{"Operations":[]}}`)
	c := f.client()
	for range 2 {
		if _, err := c.Checkpoint(context.Background(), &checkpoint.CheckpointInput{DurableExecutionArn: lambdaTestARN, CheckpointToken: "t1"}); err != nil {
			t.Fatalf("Checkpoint: %v", err)
		}
	}
	reqs := f.requests()
	tok0, _ := reqs[0].Body["ClientToken"].(string)
	tok1, _ := reqs[1].Body["ClientToken"].(string)
	if tok0 == "" || tok1 == "" || tok0 == tok1 {
		t.Fatalf("ClientTokens = %q, %q: want two distinct generated tokens", tok0, tok1)
	}
	if _, ok := reqs[0].Body["Updates"]; ok {
		t.Fatalf("empty poll sent Updates: %v", reqs[0].Body)
	}
}

func TestLambdaCheckpointResponseDecoding(t *testing.T) {
	body := `{"CheckpointToken":"t3","NewExecutionState":{"NextMarker":"m1","Operations":[
	  {"Id":"exec","Type":"EXECUTION","Status":"STARTED","Name":"run","StartTimestamp":1764583200,
	   "ExecutionDetails":{"InputPayload":"{\"n\":1}"}},
	  {"Id":"s1","ParentId":"c1","Name":"charge","Type":"STEP","SubType":"Step","Status":"PENDING",
	   "StartTimestamp":1764583200.25,"StepDetails":{"Attempt":2,"NextAttemptTimestamp":1764583207.5,
	   "Error":{"ErrorType":"Timeout","ErrorMessage":"slow","StackTrace":["f1"]}}},
	  {"Id":"c1","Type":"CONTEXT","SubType":"Map","Status":"SUCCEEDED","StartTimestamp":1764583200,"EndTimestamp":1764583260,
	   "ContextDetails":{"ReplayChildren":true,"Result":"[1,2]"}},
	  {"Id":"w1","Type":"WAIT","Status":"STARTED","StartTimestamp":1764583200,"WaitDetails":{"ScheduledEndTimestamp":1764583230}},
	  {"Id":"cb1","Type":"CALLBACK","Status":"SUCCEEDED","StartTimestamp":1764583200,"CallbackDetails":{"CallbackId":"cbid","Result":"ok"}},
	  {"Id":"i1","Type":"CHAINED_INVOKE","Status":"FAILED","StartTimestamp":1764583200,"ChainedInvokeDetails":{"Error":{"ErrorType":"Boom"}}}
	]}}`
	f := newLambdaFake(t, 200, nil, body)
	out, err := f.client().Checkpoint(context.Background(), &checkpoint.CheckpointInput{DurableExecutionArn: lambdaTestARN, CheckpointToken: "t2"})
	if err != nil {
		t.Fatalf("Checkpoint: %v", err)
	}
	sec := func(s int64, ns int64) checkpoint.Timestamp { return checkpoint.At(time.Unix(s, ns)) }
	want := &checkpoint.CheckpointOutput{CheckpointToken: "t3", NewExecutionState: &checkpoint.ExecutionState{NextMarker: "m1", Operations: []checkpoint.Operation{
		{Id: "exec", Type: checkpoint.TypeExecution, Status: checkpoint.StatusStarted, Name: "run", StartTimestamp: sec(1764583200, 0),
			ExecutionDetails: &checkpoint.ExecutionDetails{InputPayload: `{"n":1}`}},
		{Id: "s1", ParentId: "c1", Name: "charge", Type: checkpoint.TypeStep, SubType: checkpoint.SubTypeStep, Status: checkpoint.StatusPending,
			StartTimestamp: sec(1764583200, 250e6), StepDetails: &checkpoint.StepDetails{Attempt: 2, NextAttemptTimestamp: sec(1764583207, 500e6),
				Error: &checkpoint.ErrorObject{ErrorType: "Timeout", ErrorMessage: "slow", StackTrace: []string{"f1"}}}},
		{Id: "c1", Type: checkpoint.TypeContext, SubType: checkpoint.SubTypeMap, Status: checkpoint.StatusSucceeded, StartTimestamp: sec(1764583200, 0), EndTimestamp: sec(1764583260, 0),
			ContextDetails: &checkpoint.ContextDetails{ReplayChildren: true, Result: "[1,2]"}},
		{Id: "w1", Type: checkpoint.TypeWait, Status: checkpoint.StatusStarted, StartTimestamp: sec(1764583200, 0), WaitDetails: &checkpoint.WaitDetails{ScheduledEndTimestamp: sec(1764583230, 0)}},
		{Id: "cb1", Type: checkpoint.TypeCallback, Status: checkpoint.StatusSucceeded, StartTimestamp: sec(1764583200, 0), CallbackDetails: &checkpoint.CallbackDetails{CallbackId: "cbid", Result: "ok"}},
		{Id: "i1", Type: checkpoint.TypeChainedInvoke, Status: checkpoint.StatusFailed, StartTimestamp: sec(1764583200, 0), ChainedInvokeDetails: &checkpoint.ChainedInvokeDetails{Error: &checkpoint.ErrorObject{ErrorType: "Boom"}}},
	}}}
	if !equalAsJSON(t, out, want) {
		return
	}
	// Same instant, compared as times (JSON equality above is at millisecond precision).
	if got := out.NewExecutionState.Operations[1].StepDetails.NextAttemptTimestamp; !got.Equal(want.NewExecutionState.Operations[1].StepDetails.NextAttemptTimestamp.Time) {
		t.Fatalf("NextAttemptTimestamp = %v", got)
	}
}

func TestLambdaCheckpointMissingToken(t *testing.T) {
	f := newLambdaFake(t, 200, nil, `{"NewExecutionState":{"Operations":[{"Id":"exec","Type":"EXECUTION","Status":"STARTED","StartTimestamp":1}]}}`)
	out, err := f.client().Checkpoint(context.Background(), &checkpoint.CheckpointInput{DurableExecutionArn: lambdaTestARN, CheckpointToken: "t"})
	if err != nil {
		t.Fatalf("Checkpoint: %v", err)
	}
	if out.CheckpointToken != "" || out.NewExecutionState == nil || len(out.NewExecutionState.Operations) != 1 {
		t.Fatalf("out = %+v, want no token and one operation", out)
	}
}

func TestLambdaGetExecutionState(t *testing.T) {
	f := newLambdaFake(t, 200, nil, `{"NextMarker":"m2","Operations":[{"Id":"exec","Type":"EXECUTION","Status":"STARTED","StartTimestamp":1764583200.001}]}`)
	got, err := f.client().GetExecutionState(context.Background(), &checkpoint.StateInput{DurableExecutionArn: lambdaTestARN, CheckpointToken: "t/1+", Marker: "m1", MaxItems: 1000})
	if err != nil {
		t.Fatalf("GetExecutionState: %v", err)
	}
	want := &checkpoint.ExecutionState{NextMarker: "m2", Operations: []checkpoint.Operation{
		{Id: "exec", Type: checkpoint.TypeExecution, Status: checkpoint.StatusStarted, StartTimestamp: checkpoint.At(time.UnixMilli(1764583200001))},
	}}
	equalAsJSON(t, got, want)
	r := f.requests()[0]
	if r.Method != http.MethodGet || !strings.HasSuffix(r.EscapedPath, "%2Fabc-123/state") {
		t.Fatalf("request = %s %s", r.Method, r.EscapedPath)
	}
	wantQuery := map[string][]string{"CheckpointToken": {"t/1+"}, "Marker": {"m1"}, "MaxItems": {"1000"}}
	if !reflect.DeepEqual(r.Query, wantQuery) {
		t.Fatalf("query = %v, want %v", r.Query, wantQuery)
	}

	// A first page: no Marker, no MaxItems.
	if _, err := f.client().GetExecutionState(context.Background(), &checkpoint.StateInput{DurableExecutionArn: lambdaTestARN, CheckpointToken: "t"}); err != nil {
		t.Fatal(err)
	}
	if q := f.requests()[1].Query; len(q) != 1 || !reflect.DeepEqual(q["CheckpointToken"], []string{"t"}) {
		t.Fatalf("query = %v, want only CheckpointToken", q)
	}
}

func TestLambdaErrorClassification(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		code      string // sent in X-Amzn-ErrorType and expected in checkpoint.Error.Code
		body      string
		retryable bool
		message   string
	}{
		{"stale token", 400, "InvalidParameterValueException", `{"Type":"User","message":"Invalid Checkpoint Token: expired"}`, true, "Invalid Checkpoint Token: expired"},
		{"validation", 400, "InvalidParameterValueException", `{"Type":"User","message":"Cannot start STEP s1: already SUCCEEDED"}`, false, "Cannot start STEP s1: already SUCCEEDED"},
		{"stale token in any case", 400, "InvalidParameterValueException", `{"message":"invalid checkpoint token"}`, true, "invalid checkpoint token"},
		// AWS's Python emulator: no X-Amzn-ErrorType, only status and message.
		{"stale token without error type", 400, "", `{"message":"Invalid checkpoint token"}`, true, "Invalid checkpoint token"},
		{"stale token without error type, Message key", 400, "", `{"Message":"INVALID CHECKPOINT TOKEN: unknown"}`, true, "INVALID CHECKPOINT TOKEN: unknown"},
		{"another 400 without error type", 400, "", `{"message":"Invalid input"}`, false, "Invalid input"},
		{"a 500 naming the token is not a stale token", 500, "ServiceException", `{"message":"Invalid checkpoint token store"}`, true, "Invalid checkpoint token store"},
		{"not found", 404, "ResourceNotFoundException", `{"Type":"User","Message":"no such execution"}`, false, "no such execution"},
		{"too large", 413, "RequestTooLargeException", `{"Type":"User","message":"Request must be smaller than 262144 bytes"}`, false, "Request must be smaller than 262144 bytes"},
		{"throttled", 429, "TooManyRequestsException", `{"Type":"User","message":"Rate exceeded","Reason":"CallerRateLimitExceeded"}`, true, "Rate exceeded"},
		{"service", 500, "ServiceException", `{"Type":"Service","message":"internal"}`, true, "internal"},
		{"unmodeled 503", 503, "", `{}`, true, ""}, // the SDK reports code UnknownError
		{"kms", 502, "KMSAccessDeniedException", `{"Type":"User","message":"KMS access denied"}`, false, "KMS access denied"},
		{"kms disabled", 502, "KMSDisabledException", `{"Type":"User","message":"key disabled"}`, false, "key disabled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hdr := map[string]string{"Retry-After": "1"}
			if tt.code != "" {
				hdr["X-Amzn-ErrorType"] = tt.code
			}
			f := newLambdaFake(t, tt.status, hdr, tt.body)
			for _, call := range []struct {
				op  string
				run func(checkpoint.Client) error
			}{
				{checkpoint.OpCheckpoint, func(c checkpoint.Client) error {
					_, err := c.Checkpoint(context.Background(), &checkpoint.CheckpointInput{DurableExecutionArn: lambdaTestARN, CheckpointToken: "t"})
					return err
				}},
				{checkpoint.OpGetExecutionState, func(c checkpoint.Client) error {
					_, err := c.GetExecutionState(context.Background(), &checkpoint.StateInput{DurableExecutionArn: lambdaTestARN, CheckpointToken: "t"})
					return err
				}},
			} {
				err := call.run(f.client())
				var ce *checkpoint.Error
				if !errors.As(err, &ce) {
					t.Fatalf("%s: error %v (%T) is not a *checkpoint.Error", call.op, err, err)
				}
				wantCode := tt.code
				if wantCode == "" {
					wantCode = "UnknownError"
				}
				if ce.Operation != call.op || ce.StatusCode != tt.status || ce.Code != wantCode || ce.Retryable != tt.retryable || checkpoint.IsRetryable(err) != tt.retryable {
					t.Fatalf("%s: got %+v, want status %d code %q retryable %v", call.op, ce, tt.status, tt.code, tt.retryable)
				}
				if tt.message != "" && ce.Message != tt.message {
					t.Fatalf("%s: Message = %q, want %q", call.op, ce.Message, tt.message)
				}
				if ce.Err == nil {
					t.Fatalf("%s: underlying error not kept", call.op)
				}
			}
			if n := len(f.requests()); n != 2 {
				t.Fatalf("%d requests, want 2 (one per call, no SDK retries with RetryMaxAttempts 1)", n)
			}
		})
	}
}

func TestLambdaNetworkErrorIsRetryable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there any more
	_, err := checkpoint.NewLambdaClient(lambdaSDKClient(url)).Checkpoint(context.Background(), &checkpoint.CheckpointInput{DurableExecutionArn: lambdaTestARN, CheckpointToken: "t"})
	var ce *checkpoint.Error
	if !errors.As(err, &ce) || !ce.Retryable || ce.StatusCode != 0 || ce.Code != "" {
		t.Fatalf("err = %#v, want a retryable *Error without status", err)
	}
}

func TestLambdaContextErrors(t *testing.T) {
	f := newLambdaFake(t, 200, nil, `{"NewExecutionState":{"Operations":[]}}`)
	c := f.client()
	in := &checkpoint.CheckpointInput{DurableExecutionArn: lambdaTestARN, CheckpointToken: "t"}

	expired, cancel := context.WithDeadline(context.Background(), time.Unix(1, 0))
	defer cancel()
	_, err := c.Checkpoint(expired, in)
	if !checkpoint.IsRetryable(err) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("deadline: err = %v, want retryable *Error wrapping DeadlineExceeded", err)
	}

	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = c.GetExecutionState(canceled, &checkpoint.StateInput{DurableExecutionArn: lambdaTestARN, CheckpointToken: "t"})
	var ce *checkpoint.Error
	if errors.As(err, &ce) || !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled: err = %#v, want context.Canceled and no *Error", err)
	}
}

func TestLambdaUndecodableResponseIsTerminal(t *testing.T) {
	f := newLambdaFake(t, 200, nil, `{"CheckpointToken":"t2","NewExecutionState":{"Operations":[{"Id":"x","StartTimestamp":"2025-12-01T10:00:00Z"}]}}`)
	_, err := f.client().Checkpoint(context.Background(), &checkpoint.CheckpointInput{DurableExecutionArn: lambdaTestARN, CheckpointToken: "t"})
	var ce *checkpoint.Error
	if !errors.As(err, &ce) || ce.Retryable {
		t.Fatalf("err = %v, want a terminal *Error", err)
	}
}

func TestLambdaBadArguments(t *testing.T) {
	f := newLambdaFake(t, 200, nil, `{}`)
	c := f.client()
	if _, err := c.Checkpoint(context.Background(), nil); err == nil || checkpoint.IsRetryable(err) {
		t.Fatalf("nil input: %v, want terminal error", err)
	}
	if _, err := c.GetExecutionState(context.Background(), nil); err == nil || checkpoint.IsRetryable(err) {
		t.Fatalf("nil input: %v, want terminal error", err)
	}
	for name, err := range map[string]error{
		"nil client":  errOf(checkpoint.NewLambdaClient(nil).Checkpoint(context.Background(), &checkpoint.CheckpointInput{DurableExecutionArn: lambdaTestARN, CheckpointToken: "t"})),
		"empty ARN":   errOf(c.Checkpoint(context.Background(), &checkpoint.CheckpointInput{CheckpointToken: "t"})),
		"empty token": errOf(c.GetExecutionState(context.Background(), &checkpoint.StateInput{DurableExecutionArn: lambdaTestARN})),
	} {
		if !errors.Is(err, checkpoint.ErrInvalidInput) || checkpoint.IsRetryable(err) {
			t.Errorf("%s: %v, want terminal ErrInvalidInput", name, err)
		}
	}
	if n := len(f.requests()); n != 0 {
		t.Fatalf("%d requests sent for bad arguments", n)
	}
}

func errOf[T any](_ T, err error) error { return err }

// equalAsJSON compares got and want through their JSON form (Timestamps at
// millisecond precision) and reports a difference.
func equalAsJSON(t *testing.T, got, want any) bool {
	t.Helper()
	g, _ := json.MarshalIndent(got, "", " ")
	w, _ := json.MarshalIndent(want, "", " ")
	if string(g) != string(w) {
		t.Errorf("got:\n%s\nwant:\n%s", g, w)
		return false
	}
	return true
}

// TestFaultTruncatedResponse: a 200 whose body ends early (the connection
// closes before Content-Length bytes) is the network's doing: the error is
// retryable, like a reset or a 5xx, for both calls and through a
// Checkpointer, so the invocation ends with a Go error and Lambda invokes
// again instead of failing the execution.
func TestFaultTruncatedResponse(t *testing.T) {
	const body = `{"CheckpointToken":"t2","NewExecutionState":{"Operations":[{"Id":"1","Type":"STEP","Status":"SUCC`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "400")
		w.WriteHeader(200)
		_, _ = io.WriteString(w, body) // and the connection closes
	}))
	t.Cleanup(srv.Close)
	c := checkpoint.NewLambdaClient(lambdaSDKClient(srv.URL))
	_, err := c.Checkpoint(context.Background(), &checkpoint.CheckpointInput{DurableExecutionArn: lambdaTestARN, CheckpointToken: "t"})
	if !errors.Is(err, io.ErrUnexpectedEOF) || !checkpoint.IsRetryable(err) {
		t.Fatalf("Checkpoint: %v, want a retryable error wrapping io.ErrUnexpectedEOF", err)
	}
	_, err = c.GetExecutionState(context.Background(), &checkpoint.StateInput{DurableExecutionArn: lambdaTestARN, CheckpointToken: "t"})
	if !errors.Is(err, io.ErrUnexpectedEOF) || !checkpoint.IsRetryable(err) {
		t.Fatalf("GetExecutionState: %v, want a retryable error wrapping io.ErrUnexpectedEOF", err)
	}
	cp, err := checkpoint.NewCheckpointer(context.Background(), checkpoint.CheckpointerConfig{Client: c, ExecutionARN: lambdaTestARN, Token: "t"})
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	err = cp.Commit(context.Background(), checkpoint.OperationUpdate{Id: "1", Type: checkpoint.TypeStep, SubType: "Step", Action: checkpoint.ActionSucceed})
	if !checkpoint.IsRetryable(err) {
		t.Fatalf("Commit: %v, want retryable", err)
	}
}
