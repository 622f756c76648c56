package durable_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/internal/faultinject"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/local/httpapi"
)

// TestFaultCallbackIdsCannotBeForged creates callbacks in many executions
// through the SDK: their ids are distinct, long, and carry nothing of the
// execution they belong to; ids altered in any position, cut short or
// extended are refused without touching any execution; answering one
// execution's callback completes that execution only, and its id cannot be
// used again.
func TestFaultCallbackIdsCannotBeForged(t *testing.T) {
	const executions = 40
	svc := local.New(local.WithManualInvocations())
	defer svc.Close()
	h := durable.NewHandler(func(ctx durable.Context, _ int) (string, error) {
		cb, err := durable.CreateCallback[string](ctx, "approve")
		if err != nil {
			return "", err
		}
		return cb.Get()
	}, durable.WithLogHandler(discard{}))
	if err := svc.RegisterFunction("wf", h); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := 0; i < executions; i++ {
		if _, err := svc.StartExecution(ctx, local.StartInput{FunctionName: "wf", Async: true}); err != nil {
			t.Fatal(err)
		}
	}
	for {
		_, ran, err := svc.RunNextInvocation(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !ran {
			break
		}
	}
	cbs, err := svc.OpenCallbacks("")
	if err != nil || len(cbs) != executions {
		t.Fatalf("%d open callbacks (%v), want %d", len(cbs), err, executions)
	}
	seen := map[string]bool{}
	for _, cb := range cbs {
		id := cb.CallbackId
		name := cb.DurableExecutionArn[strings.LastIndexByte(cb.DurableExecutionArn, '/')+1:]
		switch {
		case seen[id]:
			t.Fatalf("callback id %s issued twice", id)
		case len(id) < 22: // 128 bits in base64
			t.Fatalf("callback id %q is too short to be unguessable", id)
		case strings.Contains(id, name) || strings.Contains(cb.DurableExecutionArn, id) ||
			// A short operation id ("1") appears in random ids by chance.
			len(cb.OperationId) >= 8 && strings.Contains(id, cb.OperationId):
			t.Fatalf("callback id %q is derived from its execution %s", id, cb.DurableExecutionArn)
		}
		seen[id] = true
	}
	victim := cbs[0].CallbackId
	var forged []string
	for i := 0; i < len(victim); i++ {
		b := []byte(victim)
		b[i] ^= 1
		forged = append(forged, string(b))
	}
	forged = append(forged, victim[:len(victim)-1], victim+"A", strings.ToLower(victim), "", cbs[0].OperationId, cbs[0].DurableExecutionArn)
	for _, id := range forged {
		if id == victim || seen[id] {
			continue
		}
		err := svc.SendCallbackSuccess(ctx, &local.SendCallbackSuccessInput{CallbackId: id, Result: []byte(`"forged"`)})
		if !errors.Is(err, local.ErrCallbackTimeout) && !errors.Is(err, local.ErrInvalidParameter) {
			t.Fatalf("forged id %q: %v", id, err)
		}
	}
	if open, _ := svc.OpenCallbacks(""); len(open) != executions {
		t.Fatalf("forged answers closed %d callbacks", executions-len(open))
	}
	if err := svc.SendCallbackSuccess(ctx, &local.SendCallbackSuccessInput{CallbackId: victim, Result: []byte("yes")}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.RunNextInvocation(ctx); err != nil {
		t.Fatal(err)
	}
	for _, e := range svc.Executions() {
		want := local.ExecutionRunning
		if e.DurableExecutionArn == cbs[0].DurableExecutionArn {
			want = local.ExecutionSucceeded
		}
		if e.Status != want {
			t.Fatalf("execution %s is %s, want %s", e.DurableExecutionArn, e.Status, want)
		}
	}
	if err := svc.SendCallbackSuccess(ctx, &local.SendCallbackSuccessInput{CallbackId: victim, Result: []byte("again")}); !errors.Is(err, local.ErrCallbackTimeout) {
		t.Fatalf("reusing a closed callback id: %v", err)
	}
}

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestFaultLogsCarryNoSecrets runs a workflow over the wire with every
// logger at debug level (the SDK's, the service's and its HTTP front's)
// and a retried server fault, and checks that no log line holds the AWS
// credentials, a checkpoint token, the input or a step result. The
// workflow's own log line is the only place its data appears.
func TestFaultLogsCarryNoSecrets(t *testing.T) {
	const (
		accessKey = "AKIAFAULTTESTKEY0001"
		secretKey = "fault/test/secret+access+key"
		session   = "fault-test-session-token"
		input     = "INPUT-SECRET-7f3a"
		result    = "RESULT-SECRET-91bc"
	)
	var sdkLog, svcLog syncBuffer
	debug := &slog.HandlerOptions{Level: slog.LevelDebug}
	clock := local.NewVirtualClock(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	svc := local.New(local.WithClock(clock), local.WithTimeSkipping(local.SkipWhenIdle),
		local.WithLogger(slog.New(slog.NewJSONHandler(&svcLog, debug))))
	defer svc.Close()
	inj := faultinject.New(faultinject.Rule{Op: faultinject.OpCheckpoint, At: 2, Times: 3, Kind: faultinject.ServerError})
	srv, err := httpapi.Listen("", inj.HTTP(httpapi.NewHandler(svc, httpapi.WithLogger(slog.New(slog.NewJSONHandler(&svcLog, debug))))))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	client := httpapi.LambdaClient(srv.URL(), func(o *lambda.Options) {
		o.Credentials = aws.NewCredentialsCache(aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: accessKey, SecretAccessKey: secretKey, SessionToken: session}, nil
		}))
		o.RetryMaxAttempts = 1
	})
	h := durable.NewHandler(func(ctx durable.Context, in string) (string, error) {
		out, err := durable.Step(ctx, "work", func(sc durable.StepContext) (string, error) {
			sc.Logger().Info("working", "size", len(in))
			return result + "/" + in, nil
		})
		if err != nil {
			return "", err
		}
		if err := durable.Wait(ctx, "pause", time.Second); err != nil {
			return "", err
		}
		ctx.Logger().Info("user line", "mine", "USER-CHOSEN")
		return out, nil
	}, durable.WithCheckpointClient(checkpoint.NewLambdaClient(client)), durable.WithLogHandler(slog.NewJSONHandler(&sdkLog, debug)))
	if err := svc.RegisterFunction("wf", h, local.WithoutContextClient()); err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	arn, err := svc.StartExecution(runCtx, local.StartInput{FunctionName: "wf", Input: []byte(`"` + input + `"`)})
	if err != nil {
		t.Fatal(err)
	}
	out, err := svc.GetExecution(runCtx, &local.GetExecutionInput{DurableExecutionArn: arn})
	if err != nil || out.Status != local.ExecutionSucceeded || inj.Injected() != 3 {
		t.Fatalf("execution %+v %v, %d faults injected", out, err, inj.Injected())
	}
	logs := sdkLog.String() + svcLog.String()
	if !strings.Contains(logs, "durable operation") || !strings.Contains(logs, "USER-CHOSEN") {
		t.Fatalf("the loggers recorded nothing useful; the check would prove nothing:\n%s", logs)
	}
	secrets := []string{accessKey, secretKey, session, input, result}
	for _, ex := range inj.Traffic() {
		secrets = append(secrets, ex.CheckpointToken)
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(logs, s) {
			t.Errorf("a log line holds %q", s)
		}
	}
}
