package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/conformance/harness"
	"github.com/lambda-durable/durable/conformance/spec"
)

// parse reads a requirement written inline.
func parse(t *testing.T, yaml string) *spec.Requirement {
	t.Helper()
	req, err := spec.Parse([]byte(yaml), spec.File{Suite: "test", ID: "1-1", Path: "inline.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	if req, err = req.Resolve(1); err != nil {
		t.Fatal(err)
	}
	return req
}

// deploy builds a Factory of one durable function.
func deploy[I, O any](fn func(durable.Context, I) (O, error)) harness.Factory {
	return func(env harness.Env) harness.Deployment {
		return harness.Deployment{Handler: durable.NewHandler(fn, env.Options...)}
	}
}

func run(t *testing.T, req *spec.Requirement, f harness.Factory, logs *bytes.Buffer) (*harness.Observation, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	env := harness.Env{}
	if logs != nil {
		env.Logs = logs
	}
	return Local{}.Run(ctx, req, f, env)
}

// eventTypes lists the history's event types in order.
func eventTypes(obs *harness.Observation) []string {
	var out []string
	for _, ev := range obs.History {
		out = append(out, ev["EventType"].(string))
	}
	return out
}

func TestRunSynchronous(t *testing.T) {
	req := parse(t, "Input: World\nExpectedResult: {ExecutionStatus: SUCCEEDED}\n")
	var logs bytes.Buffer
	obs, err := run(t, req, deploy(func(ctx durable.Context, name string) (string, error) {
		return durable.Step(ctx, "greet", func(sc durable.StepContext) (string, error) {
			sc.Logger().Info("greeting " + name)
			return "Hello, " + name + "!", nil
		})
	}), &logs)
	if err != nil {
		t.Fatal(err)
	}
	if obs.Status != "SUCCEEDED" || obs.Result == nil || *obs.Result != `"Hello, World!"` {
		t.Errorf("status %s, result %v; want SUCCEEDED with the greeting", obs.Status, obs.Result)
	}
	want := "ExecutionStarted StepStarted StepSucceeded InvocationCompleted ExecutionSucceeded"
	if got := strings.Join(eventTypes(obs), " "); got != want {
		t.Errorf("history %s, want %s", got, want)
	}
	var rec map[string]any
	if err := json.Unmarshal(bytes.SplitN(logs.Bytes(), []byte("\n"), 2)[0], &rec); err != nil {
		t.Fatalf("the log is not JSON lines: %v\n%s", err, logs.String())
	}
	if rec["message"] != "greeting World" {
		t.Errorf("log record %v, want message %q", rec, "greeting World")
	}
}

// A callback failed one second in arrives before a five-second wait ends:
// the runner moves the virtual clock to whichever comes first.
func TestRunOrdersActionsAndTimers(t *testing.T) {
	req := parse(t, `
AsyncInvoke: true
Input: approval
ExpectedResult: {ExecutionStatus: FAILED}
CallbackActions:
  - CallbackName: approval
    Operation: heartbeat
  - CallbackName: approval
    Operation: failure
    Payload: {ErrorType: RejectedError, ErrorMessage: not approved}
    Delay: 1
`)
	obs, err := run(t, req, deploy(func(ctx durable.Context, name string) (string, error) {
		cb, err := durable.CreateCallback[string](ctx, name, durable.WithHeartbeatTimeout(2*time.Second))
		if err != nil {
			return "", err
		}
		if err := durable.Wait(ctx, "", 5*time.Second); err != nil {
			return "", err
		}
		return cb.Get()
	}), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := "ExecutionStarted CallbackStarted WaitStarted InvocationCompleted CallbackFailed InvocationCompleted WaitSucceeded InvocationCompleted ExecutionFailed"
	if got := strings.Join(eventTypes(obs), " "); got != want {
		t.Errorf("history\n %s\nwant\n %s", got, want)
	}
	if obs.Status != "FAILED" {
		t.Errorf("status %s, want FAILED", obs.Status)
	}
}

func TestRunStuck(t *testing.T) {
	req := parse(t, "AsyncInvoke: true\nExpectedResult: {ExecutionStatus: SUCCEEDED}\n")
	_, err := run(t, req, deploy(func(ctx durable.Context, _ any) (string, error) {
		cb, err := durable.CreateCallback[string](ctx, "nobody-answers")
		if err != nil {
			return "", err
		}
		return cb.Get()
	}), nil)
	if !errors.Is(err, ErrStuck) {
		t.Errorf("error %v, want ErrStuck", err)
	}
}

func TestRunWithoutHandler(t *testing.T) {
	req := parse(t, "ExpectedResult: {ExecutionStatus: SUCCEEDED}\n")
	for name, f := range map[string]harness.Factory{
		"nil factory": nil,
		"no handler":  func(harness.Env) harness.Deployment { return harness.Deployment{} },
	} {
		if _, err := run(t, req, f, nil); !errors.Is(err, ErrNoHandler) {
			t.Errorf("%s: error %v, want ErrNoHandler", name, err)
		}
	}
}

func TestSchedule(t *testing.T) {
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	started := func(name, id string) map[string]any {
		return map[string]any{"EventType": "CallbackStarted", "Name": name, "CallbackStartedDetails": map[string]any{"CallbackId": id}}
	}
	type batch struct {
		after  time.Duration
		events []map[string]any
	}
	for _, tc := range []struct {
		name    string
		actions string
		batches []batch
		want    string
	}{{
		name: "each entry used once, in file order",
		actions: `
  - {CallbackName: b, Operation: success, Delay: 4}
  - {CallbackName: '*', Operation: heartbeat}
  - {CallbackName: a, Operation: success, Delay: 1}
`,
		batches: []batch{
			{0, []map[string]any{started("a", "id-a"), started("b", "id-b")}},
			{time.Hour, []map[string]any{started("a", "id-a")}}, // seen: ignored
		},
		// The wildcard heartbeat goes to the first open callback (a) only;
		// b was completed by the first entry.
		want: "id-a heartbeat +0s, id-a success +1s, id-b success +4s",
	}, {
		name: "same name: one success per callback",
		actions: `
  - {CallbackName: x, Operation: success}
  - {CallbackName: x, Operation: failure}
`,
		batches: []batch{
			{0, []map[string]any{started("x", "id-1")}},
			{time.Minute, []map[string]any{started("x", "id-1"), started("x", "id-2")}},
		},
		want: "id-1 success +0s, id-2 failure +1m0s",
	}, {
		name: "heartbeat keeps the callback open for the next entry",
		actions: `
  - {CallbackName: x, Operation: heartbeat, Delay: 2}
  - {CallbackName: x, Operation: heartbeat, Delay: 2}
  - {CallbackName: x, Operation: success, Delay: 2}
  - {CallbackName: x, Operation: success}
`,
		batches: []batch{{0, []map[string]any{started("x", "id-1")}}},
		want:    "id-1 heartbeat +2s, id-1 heartbeat +4s, id-1 success +6s",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			req := parse(t, "AsyncInvoke: true\nExpectedResult: {ExecutionStatus: SUCCEEDED}\nCallbackActions:"+tc.actions)
			d := &driver{req: req}
			for _, b := range tc.batches {
				d.schedule(toEvents(t, b.events...), at.Add(b.after))
			}
			var got []string
			for _, s := range d.pending {
				got = append(got, s.callbackID+" "+s.action.Operation+" +"+s.due.Sub(at).String())
			}
			if strings.Join(got, ", ") != tc.want {
				t.Errorf("schedule\n %s\nwant\n %s", strings.Join(got, ", "), tc.want)
			}
		})
	}
}

// toEvents converts events in their wire form to the client's type.
func toEvents(t *testing.T, evs ...map[string]any) []types.Event {
	t.Helper()
	data, err := json.Marshal(evs)
	if err != nil {
		t.Fatal(err)
	}
	var out []types.Event
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	return out
}
