package runtimeapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/local/runtimeapi"
)

// The test binary doubles as the function executable: with helperEnv set it
// runs the aws-lambda-go runtime instead of the tests, so what is tested is
// the real runtime client against the emulator.
const helperEnv = "RUNTIMEAPI_TEST_FUNCTION=1"

func TestMain(m *testing.M) {
	if os.Getenv("RUNTIMEAPI_TEST_FUNCTION") == "1" {
		lambda.Start(helper)
		return
	}
	os.Exit(m.Run())
}

type request struct {
	Do  string `json:"do"`  // "echo", "fail", "exit", "hang", "meet"
	Dir string `json:"dir"` // for "meet"
}

type reply struct {
	Pid       int      `json:"pid"`
	RequestId string   `json:"requestId"`
	Arn       string   `json:"arn"`
	Deadline  int64    `json:"deadline"`
	Env       []string `json:"env"`
}

func helper(ctx context.Context, in request) (reply, error) {
	switch in.Do {
	case "fail":
		return reply{}, errors.New("card declined")
	case "exit":
		os.Exit(3)
	case "hang":
		<-make(chan struct{})
	case "panic":
		panic("out of stock")
	case "meet":
		if err := meet(ctx, in.Dir); err != nil {
			return reply{}, err
		}
	}
	lc, _ := lambdacontext.FromContext(ctx)
	dl, _ := ctx.Deadline()
	var env []string
	for _, k := range []string{"AWS_LAMBDA_FUNCTION_NAME", "AWS_REGION", "AWS_LAMBDA_LOG_FORMAT", "AWS_ENDPOINT_URL_LAMBDA", "AWS_ACCESS_KEY_ID", "EXTRA"} {
		env = append(env, k+"="+os.Getenv(k))
	}
	return reply{Pid: os.Getpid(), RequestId: lc.AwsRequestID, Arn: lc.InvokedFunctionArn, Deadline: dl.UnixMilli(), Env: env}, nil
}

// meet waits until two invocations, in whichever processes, are in the
// handler at the same time: each leaves a file in dir and waits for two.
func meet(ctx context.Context, dir string) error {
	if err := os.WriteFile(filepath.Join(dir, strconv.Itoa(os.Getpid())), nil, 0o600); err != nil {
		return err
	}
	for {
		if entries, err := os.ReadDir(dir); err != nil || len(entries) >= 2 {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
}

func newFunction(t *testing.T) *runtimeapi.Function {
	t.Helper()
	fn, err := runtimeapi.New(runtimeapi.Config{
		Name:           "orders",
		Path:           os.Args[0],
		Env:            []string{helperEnv, "EXTRA=yes"},
		LambdaEndpoint: "http://127.0.0.1:1",
		Stderr:         os.Stderr,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = fn.Close() })
	return fn
}

func invoke(ctx context.Context, t *testing.T, fn *runtimeapi.Function, do string) (reply, error) {
	t.Helper()
	out, err := fn.Invoke(ctx, []byte(fmt.Sprintf(`{"do":%q}`, do)))
	if err != nil {
		return reply{}, err
	}
	var r reply
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("response %q: %v", out, err)
	}
	return r, nil
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestInvokeReusesTheProcessAndPassesLambdasContext(t *testing.T) {
	ctx := testContext(t)
	fn := newFunction(t)
	dctx, cancel := context.WithDeadline(ctx, time.Now().Add(time.Minute).Truncate(time.Millisecond))
	defer cancel()
	first, err := invoke(dctx, t, fn, "echo")
	if err != nil {
		t.Fatal(err)
	}
	second, err := invoke(ctx, t, fn, "echo")
	if err != nil {
		t.Fatal(err)
	}
	if first.Pid != second.Pid || fn.Starts() != 1 {
		t.Errorf("pids %d, %d and %d starts; want one process reused", first.Pid, second.Pid, fn.Starts())
	}
	if first.RequestId == "" || first.RequestId == second.RequestId {
		t.Errorf("request ids %q, %q; want two distinct ids", first.RequestId, second.RequestId)
	}
	if want := "arn:aws:lambda:us-east-1:123456789012:function:orders"; first.Arn != want {
		t.Errorf("invoked ARN %q, want %q", first.Arn, want)
	}
	if want, _ := dctx.Deadline(); first.Deadline != want.UnixMilli() {
		t.Errorf("deadline %d, want the invocation context's %d", first.Deadline, want.UnixMilli())
	}
	wantEnv := []string{"AWS_LAMBDA_FUNCTION_NAME=orders", "AWS_REGION=us-east-1", "AWS_LAMBDA_LOG_FORMAT=JSON",
		"AWS_ENDPOINT_URL_LAMBDA=http://127.0.0.1:1", "AWS_ACCESS_KEY_ID=local", "EXTRA=yes"}
	if fmt.Sprint(first.Env) != fmt.Sprint(wantEnv) {
		t.Errorf("environment %v, want %v", first.Env, wantEnv)
	}
}

// Concurrent invocations get a process each, as Lambda gives them an
// execution environment each: two invocations that wait for each other
// inside the handler both finish.
func TestConcurrentInvocationsGetProcessesOfTheirOwn(t *testing.T) {
	ctx := testContext(t)
	fn := newFunction(t)
	dir := t.TempDir()
	payload := []byte(fmt.Sprintf(`{"do":"meet","dir":%q}`, dir))
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			_, err := fn.Invoke(ctx, payload)
			errs <- err
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if fn.Starts() != 2 {
		t.Errorf("%d processes started, want 2", fn.Starts())
	}
	if _, err := invoke(ctx, t, fn, "echo"); err != nil || fn.Starts() != 2 {
		t.Errorf("a third invocation: %v, %d starts; want an idle process reused", err, fn.Starts())
	}
}

func TestFunctionErrorIsReported(t *testing.T) {
	ctx := testContext(t)
	fn := newFunction(t)
	_, err := invoke(ctx, t, fn, "fail")
	var fe *runtimeapi.FunctionError
	if !errors.As(err, &fe) || fe.Message != "card declined" || fe.Type != "errorString" {
		t.Fatalf("error %#v, want the handler's error as a *FunctionError", err)
	}
	if eo := fe.ErrorObject(); eo.ErrorType != "errorString" || eo.ErrorMessage != "card declined" {
		t.Errorf("error object %+v, want the runtime's report", eo)
	}
	if _, err := invoke(ctx, t, fn, "echo"); err != nil || fn.Starts() != 1 {
		t.Errorf("after a function error: %v, %d starts; want the same process to answer", err, fn.Starts())
	}
}

// aws-lambda-go reports a panic with its stack trace, then exits: the next
// invocation gets a new process.
func TestPanicIsReportedWithItsStack(t *testing.T) {
	ctx := testContext(t)
	fn := newFunction(t)
	_, err := invoke(ctx, t, fn, "panic")
	var fe *runtimeapi.FunctionError
	if !errors.As(err, &fe) || fe.Message != "out of stock" || len(fe.StackTrace) == 0 {
		t.Fatalf("error %#v, want the panic as a *FunctionError with a stack trace", err)
	}
	if _, err := invoke(ctx, t, fn, "echo"); err != nil || fn.Starts() != 2 {
		t.Errorf("after the panic: %v, %d starts; want a new process", err, fn.Starts())
	}
}

func TestCrashFailsTheInvocationAndRestarts(t *testing.T) {
	ctx := testContext(t)
	fn := newFunction(t)
	before, err := invoke(ctx, t, fn, "echo")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := invoke(ctx, t, fn, "exit"); !errors.Is(err, local.ErrRuntimeExit) {
		t.Fatalf("crashed invocation: %v, want local.ErrRuntimeExit", err)
	}
	after, err := invoke(ctx, t, fn, "echo")
	if err != nil {
		t.Fatal(err)
	}
	if after.Pid == before.Pid || fn.Starts() != 2 {
		t.Errorf("pids %d then %d, %d starts; want a new process after the crash", before.Pid, after.Pid, fn.Starts())
	}
}

func TestTimeoutKillsTheProcess(t *testing.T) {
	ctx := testContext(t)
	fn := newFunction(t)
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	if _, err := invoke(short, t, fn, "hang"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("hung invocation: %v, want context.DeadlineExceeded", err)
	}
	if _, err := invoke(ctx, t, fn, "echo"); err != nil || fn.Starts() != 2 {
		t.Errorf("after a timeout: %v, %d starts; want a fresh process", err, fn.Starts())
	}
}

func TestCloseStopsTheProcess(t *testing.T) {
	ctx := testContext(t)
	fn := newFunction(t)
	r, err := invoke(ctx, t, fn, "echo")
	if err != nil {
		t.Fatal(err)
	}
	if err := fn.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := invoke(ctx, t, fn, "echo"); !errors.Is(err, runtimeapi.ErrClosed) {
		t.Errorf("after Close: %v, want ErrClosed", err)
	}
	// Close waits for the process to exit, so signal 0 finds no process.
	proc, _ := os.FindProcess(r.Pid)
	if err := proc.Signal(syscall.Signal(0)); err == nil {
		t.Errorf("process %d still alive after Close", r.Pid)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	for _, cfg := range []runtimeapi.Config{
		{Path: os.Args[0]},
		{Name: "f"},
		{Name: "f", Path: "./does-not-exist"},
		{Name: "f", Path: t.TempDir()},
		{Name: "f", Path: "doc.go"}, // not executable
	} {
		if _, err := runtimeapi.New(cfg); err == nil {
			t.Errorf("New(%+v): no error", cfg)
		}
	}
}
