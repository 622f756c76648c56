package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lambda-durable/durable/examples/order"
	"github.com/lambda-durable/durable/local"
)

var t0 = time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)

// testServer starts the service and its HTTP front as `durable serve`
// does, on a virtual clock (skipping ahead when idle if skip), and stops it
// at the end of the test.
func testServer(t *testing.T, skip bool) *server {
	t.Helper()
	srv, err := startServer(serverConfig{addr: "127.0.0.1:0", clock: local.NewVirtualClock(t0), skipTime: skip})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := srv.close(context.Background()); err != nil {
			t.Error(err)
		}
	})
	return srv
}

// cli runs a client command against srv and fails the test unless its exit
// status is want.
func cli(t *testing.T, srv *server, want int, args ...string) (stdout, stderr string) {
	t.Helper()
	code, stdout, stderr := runApp(t, map[string]string{EndpointEnv: srv.url()}, args...)
	if code != want {
		t.Fatalf("durable %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, want, stdout, stderr)
	}
	return stdout, stderr
}

const orderInput = `{"id":"7","customer":"c@example.com","items":[{"sku":"X","quantity":3,"priceCents":100}],"reviewWindowSeconds":60}`

// openCallback waits until the execution arn waits on a callback and
// returns the callback's id.
func openCallback(ctx context.Context, t *testing.T, srv *server, arn string) string {
	t.Helper()
	for {
		if err := srv.svc.WaitIdle(ctx); err != nil {
			t.Fatal(err)
		}
		cbs, err := srv.svc.OpenCallbacks(arn)
		if err != nil {
			t.Fatal(err)
		}
		if len(cbs) > 0 {
			return cbs[0].CallbackId
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s opened no callback: %v", arn, ctx.Err())
		case <-time.After(time.Millisecond):
		}
	}
}

const shipment = `{"carrier":"Test Post","tracking":"TP-1"}`

func TestStartCallbackListShow(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	srv := testServer(t, true)

	stdout, _ := cli(t, srv, 0, "start", order.FunctionName, "-name", "o-7", "-input", orderInput)
	arn := strings.TrimSpace(stdout)
	if !strings.Contains(arn, "/durable-execution/o-7/") {
		t.Fatalf("start printed %q, want the execution ARN", stdout)
	}

	// The order waits for the warehouse: show tells the callback id.
	id := openCallback(ctx, t, srv, arn)
	stdout, _ = cli(t, srv, 0, "show", arn)
	for _, want := range []string{"Status:    RUNNING", "Waiting:   the shipment-callback callback (operation ", "durable callback succeed|fail " + id} {
		if !strings.Contains(stdout, want) {
			t.Errorf("show of the waiting order lacks %q:\n%s", want, stdout)
		}
	}
	stdout, _ = cli(t, srv, 0, "callback", "heartbeat", id)
	if stdout != "callback heartbeat: sent\n" {
		t.Errorf("callback heartbeat printed %q", stdout)
	}
	cli(t, srv, 0, "callback", "succeed", id, shipment)
	final, err := srv.svc.WaitForCompletion(ctx, arn)
	if err != nil {
		t.Fatal(err)
	}
	if final.Status != local.ExecutionSucceeded || !strings.Contains(*final.Result, `"tracking":"TP-1"`) {
		t.Fatalf("execution ended %s %v %+v, want SUCCEEDED with the shipment", final.Status, final.Result, final.Error)
	}
	// A closed callback cannot be answered again.
	_, stderr := cli(t, srv, 1, "callback", "succeed", id, shipment)
	if !strings.Contains(stderr, "CallbackTimeoutException") {
		t.Errorf("second answer: stderr %q", stderr)
	}

	// The same name again is refused by the service.
	_, stderr = cli(t, srv, 1, "start", order.FunctionName, "-name", "o-7", "-input", orderInput)
	if !strings.HasPrefix(stderr, "durable: start "+order.FunctionName+": ") {
		t.Errorf("duplicate start: stderr %q", stderr)
	}

	// A failed callback fails the order.
	stdout, _ = cli(t, srv, 0, "start", order.FunctionName, "-name", "o-lost", "-input", orderInput)
	lost := strings.TrimSpace(stdout)
	cli(t, srv, 0, "callback", "fail", openCallback(ctx, t, srv, lost), "parcel lost", "-type", "Lost", "-data", `{"depot":3}`)
	final, err = srv.svc.WaitForCompletion(ctx, lost)
	if err != nil {
		t.Fatal(err)
	}
	if final.Status != local.ExecutionFailed || final.Error == nil || !strings.Contains(final.Error.ErrorMessage, "parcel lost") {
		t.Errorf("after callback fail: %s %+v", final.Status, final.Error)
	}

	// -wait prints the ARN, the callback it waits on with its id (read from
	// its output as a user would, then answered), then the result.
	waitCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	pr, pw := io.Pipe()
	var waitErr bytes.Buffer
	done := make(chan int, 1)
	go func() {
		app := &App{Stdout: pw, Stderr: &waitErr, Getenv: func(k string) string { return map[string]string{EndpointEnv: srv.url()}[k] }}
		done <- app.Run(waitCtx, []string{"start", order.FunctionName, "-name", "o-wait", "-wait", "-input", orderInput})
		pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	var got []string
	for lines.Scan() {
		got = append(got, lines.Text())
		if id, ok := strings.CutPrefix(lines.Text(), "waiting on the shipment-callback callback; answer: durable callback succeed|fail "); ok {
			cli(t, srv, 0, "callback", "succeed", strings.TrimSuffix(id, " [payload]"), shipment)
		}
	}
	if code := <-done; code != 0 || len(got) != 3 || !strings.Contains(got[0], "/durable-execution/o-wait/") ||
		!strings.HasPrefix(got[1], "waiting on the shipment-callback callback") || !strings.Contains(got[2], `"status":"SHIPPED"`) {
		t.Errorf("start -wait: exit %d, printed %q (stderr %q), want the ARN, the callback and its id, and the receipt", code, got, waitErr.String())
	}
	// An order the workflow rejects: -wait reports the failure.
	_, stderr = cli(t, srv, 1, "start", order.FunctionName, "-wait", "-input", `{"id":"8"}`)
	if !strings.Contains(stderr, "execution failed: InvalidOrder") || !strings.Contains(stderr, "has no items") {
		t.Errorf("start -wait of a bad order: stderr %q", stderr)
	}

	stdout, _ = cli(t, srv, 0, "list")
	if !strings.Contains(stdout, "o-7") || !strings.Contains(stdout, arn) || strings.Count(stdout, "\n") != 5 {
		t.Errorf("list:\n%s\nwant a header and four executions, one of them o-7", stdout)
	}
	stdout, _ = cli(t, srv, 0, "list", order.FunctionName, "-status", "failed")
	if strings.Count(stdout, "\n") != 3 || strings.Count(stdout, "FAILED") != 2 {
		t.Errorf("list -status failed:\n%s\nwant the two failed executions", stdout)
	}
	stdout, stderr = cli(t, srv, 0, "list", "-status", "RUNNING,STOPPED")
	if stdout != "" || stderr != "no executions\n" {
		t.Errorf("list -status RUNNING,STOPPED: stdout %q stderr %q", stdout, stderr)
	}
	stdout, _ = cli(t, srv, 0, "list", "-name", "o-7")
	if strings.Count(stdout, "\n") != 2 {
		t.Errorf("list -name o-7:\n%s", stdout)
	}

	stdout, _ = cli(t, srv, 0, "show", arn)
	for _, want := range []string{"Status:    SUCCEEDED", "Result:", `"reservation":"RSV-7"`, "reserve-stock", "fraud-review", "payment", "authorize", "shipment", "took 1m10s"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("show lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "Waiting:") {
		t.Errorf("show of a finished execution lists callbacks:\n%s", stdout)
	}
	stdout, _ = cli(t, srv, 0, "show", "-format", "mermaid", arn)
	if !strings.HasPrefix(stdout, "gantt") || !strings.Contains(stdout, "reserve-stock") {
		t.Errorf("show -format mermaid:\n%s", stdout)
	}
	stdout, _ = cli(t, srv, 0, "show", arn, "-format", "events")
	var events []map[string]any
	if err := json.Unmarshal([]byte(stdout), &events); err != nil || len(events) < 10 || events[0]["EventType"] != "ExecutionStarted" {
		t.Errorf("show -format events: %v, %d events:\n%s", err, len(events), stdout)
	}
	stdout, _ = cli(t, srv, 0, "show", arn, "-width", "0")
	if strings.Contains(stdout, "█") {
		t.Errorf("show -width 0 draws bars:\n%s", stdout)
	}
}

// waitForExecution waits until the service has an execution named name and
// returns its ARN.
func waitForExecution(ctx context.Context, t *testing.T, srv *server, name string) string {
	t.Helper()
	for {
		out, err := srv.svc.ListExecutions(ctx, &local.ListExecutionsInput{FunctionName: order.FunctionName, DurableExecutionName: name})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.DurableExecutions) > 0 {
			return out.DurableExecutions[0].DurableExecutionArn
		}
		select {
		case <-ctx.Done():
			t.Fatalf("no execution %q: %v", name, ctx.Err())
		case <-time.After(time.Millisecond):
		}
	}
}

func TestStopAndErrors(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	srv := testServer(t, false) // time stands still: the order waits for its retry

	stdout, _ := cli(t, srv, 0, "start", order.FunctionName, "-input", orderInput)
	arn := strings.TrimSpace(stdout)
	if err := srv.svc.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
	stdout, _ = cli(t, srv, 0, "show", arn)
	if !strings.Contains(stdout, "Status:    RUNNING") || !strings.Contains(stdout, "PENDING") {
		t.Errorf("show of the waiting execution:\n%s", stdout)
	}
	stdout, _ = cli(t, srv, 0, "stop", arn, "-type", "Operator", "-message", "changed my mind")
	if !strings.HasPrefix(stdout, "stopped at 2025-06-01T09:00:00Z") {
		t.Errorf("stop printed %q", stdout)
	}
	got, err := srv.svc.GetExecution(ctx, &local.GetExecutionInput{DurableExecutionArn: arn})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != local.ExecutionStopped || got.Error == nil || got.Error.ErrorMessage != "changed my mind" {
		t.Errorf("after stop: %s %+v", got.Status, got.Error)
	}
	stdout, _ = cli(t, srv, 0, "show", arn)
	if !strings.Contains(stdout, "Error:     Operator: changed my mind") {
		t.Errorf("show of the stopped execution:\n%s", stdout)
	}

	unknown := strings.Replace(arn, "/durable-execution/", "/durable-execution/x", 1)
	for _, args := range [][]string{{"show", unknown}, {"stop", unknown}} {
		_, stderr := cli(t, srv, 1, args...)
		if !strings.Contains(stderr, "ResourceNotFoundException") || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%s of an unknown execution: stderr %q", args[0], stderr)
		}
	}
	_, stderr := cli(t, srv, 1, "start", "no-such-function")
	if !strings.Contains(stderr, "ResourceNotFoundException") {
		t.Errorf("start of an unknown function: stderr %q", stderr)
	}
	for _, action := range []string{"succeed", "fail", "heartbeat"} {
		_, stderr := cli(t, srv, 1, "callback", action, "bm90LWEtY2FsbGJhY2s")
		if !strings.Contains(stderr, "CallbackTimeoutException") && !strings.Contains(stderr, "InvalidParameterValueException") {
			t.Errorf("callback %s of an unknown id: stderr %q", action, stderr)
		}
	}
}

func TestUnreachableServer(t *testing.T) {
	srv := testServer(t, false)
	url := srv.url()
	if err := srv.http.Close(); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runApp(t, nil, "list", "-endpoint", url)
	if code != 1 || !strings.Contains(stderr, "cannot reach the durable server at "+url) {
		t.Errorf("list against a closed server: exit %d, stderr %q", code, stderr)
	}
}

// TestServeRestart runs `durable serve` with a store file, starts an order
// that then waits for a step retry on the real clock, stops the server,
// serves the same file again with -skip-time, answers the shipment callback
// there and checks the order finishes.
func TestServeRestart(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db := filepath.Join(t.TempDir(), "durable.db")

	first := serveInBackground(t, "-addr", "127.0.0.1:0", "-db", db)
	stdout, _ := cli(t, first.srv, 0, "start", order.FunctionName, "-name", "kept", "-input", orderInput)
	arn := strings.TrimSpace(stdout)
	if err := first.srv.svc.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
	stdout, _ = cli(t, first.srv, 0, "list", "-status", "RUNNING")
	if !strings.Contains(stdout, arn) {
		t.Fatalf("before the restart the order should run:\n%s", stdout)
	}
	first.stop(t)
	if !strings.Contains(first.out.String(), "durable: serving on http://127.0.0.1:") || !strings.Contains(first.out.String(), "store: "+db) {
		t.Errorf("serve output:\n%s", first.out.String())
	}

	second := serveInBackground(t, "-addr", "127.0.0.1:0", "-db", db, "-skip-time")
	defer second.stop(t)
	cli(t, second.srv, 0, "callback", "succeed", openCallback(ctx, t, second.srv, arn), shipment)
	final, err := second.srv.svc.WaitForCompletion(ctx, arn)
	if err != nil {
		t.Fatal(err)
	}
	if final.Status != local.ExecutionSucceeded {
		t.Fatalf("after the restart the order ended %s %+v", final.Status, final.Error)
	}
	stdout, _ = cli(t, second.srv, 0, "show", arn)
	for _, want := range []string{"Status:    SUCCEEDED", "reserve-stock", "shipment", "notify-customer"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("show after the restart lacks %q:\n%s", want, stdout)
		}
	}
	if n := strings.Count(stdout, "validate "); n != 1 {
		t.Errorf("validate appears %d times in the timeline:\n%s", n, stdout)
	}
}

// backgroundServe is `durable serve` running in a goroutine.
type backgroundServe struct {
	srv    *server
	out    *syncBuffer
	cancel context.CancelFunc
	done   chan int
}

func serveInBackground(t *testing.T, args ...string) *backgroundServe {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	b := &backgroundServe{out: &syncBuffer{}, cancel: cancel, done: make(chan int, 1)}
	ready := make(chan *server, 1)
	a := &App{Stdout: b.out, Stderr: b.out, Getenv: func(string) string { return "" }, ready: func(s *server) { ready <- s }}
	go func() { b.done <- a.Run(ctx, append([]string{"serve"}, args...)) }()
	select {
	case b.srv = <-ready:
	case code := <-b.done:
		cancel()
		t.Fatalf("serve exited with %d:\n%s", code, b.out.String())
	}
	return b
}

func (b *backgroundServe) stop(t *testing.T) {
	t.Helper()
	b.cancel()
	if code := <-b.done; code != 0 {
		t.Errorf("serve exited with %d:\n%s", code, b.out.String())
	}
}

func TestServeRefusesBadSetup(t *testing.T) {
	code, _, stderr := runApp(t, nil, "serve", "-addr", "0.0.0.0:0")
	if code != 1 || !strings.Contains(stderr, "not a loopback address") {
		t.Errorf("serve on all interfaces: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = runApp(t, nil, "serve", "-addr", "127.0.0.1:0", "-db", filepath.Join(t.TempDir(), "no", "such", "dir.db"))
	if code != 1 || !strings.Contains(stderr, "database directory") {
		t.Errorf("serve with a bad -db: exit %d, stderr %q", code, stderr)
	}
	db := filepath.Join(t.TempDir(), "busy.db")
	b := serveInBackground(t, "-addr", "127.0.0.1:0", "-db", db)
	defer b.stop(t)
	code, _, stderr = runApp(t, nil, "serve", "-addr", "127.0.0.1:0", "-db", db)
	if code != 1 || !strings.Contains(stderr, "in use by another process") {
		t.Errorf("serve on a file in use: exit %d, stderr %q", code, stderr)
	}
}

func TestDemoCommand(t *testing.T) {
	code, stdout, stderr := runApp(t, nil, "demo")
	if code != 0 {
		t.Fatalf("demo: exit %d\n%s\n%s", code, stdout, stderr)
	}
	for _, want := range []string{"Finished   SUCCEEDED", `"status":"SHIPPED"`, "fraud-review"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("demo output lacks %q:\n%s", want, stdout)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for concurrent use.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
