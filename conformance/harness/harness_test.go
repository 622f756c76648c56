package harness

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambda-durable/durable/conformance/spec"
)

const greetYAML = `
description: greet
Variables:
  INPUT_1: ${GEN_STR:8}
Input: ${INPUT_1}
ExpectedResult:
  ExecutionStatus: SUCCEEDED
  Result: Hello, ${INPUT_1}!
ExpectedExecutionHistory:
  - EventType: StepStarted
    EventId: 2
    Id: ${ID1}
  - EventType: StepSucceeded
    EventId: 3
    Id: ${ID1}
ExpectedLogs:
  - match: {hook: operation-end, op: '${ID1}'}
    count: 1
`

func writeFile(t *testing.T, dir, rel, text string) spec.File {
	t.Helper()
	p := filepath.Join(dir, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	files, err := spec.Discover(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f.Path == p {
			return f
		}
	}
	t.Fatalf("%s not discovered", p)
	return spec.File{}
}

// fakeRunner plays a greeting execution: it calls the handler once with the
// input and reports the history the handler's answer implies.
type fakeRunner struct {
	status string
	opID   string
	err    error
	gotReq *spec.Requirement
}

func (f *fakeRunner) Run(ctx context.Context, req *spec.Requirement, factory Factory, env Env) (*Observation, error) {
	f.gotReq = req
	if f.err != nil {
		return nil, f.err
	}
	out, err := factory(env).Handler.Invoke(ctx, req.InputJSON)
	if err != nil {
		return nil, err
	}
	result := string(out)
	return &Observation{
		Status: f.status,
		Result: &result,
		Error:  &spec.ErrorObject{ErrorType: "Boom", ErrorMessage: "it broke"},
		History: []map[string]any{
			{"EventType": "ExecutionStarted", "EventId": 1},
			{"EventType": "StepStarted", "EventId": 2, "Id": "op-1"},
			{"EventType": "StepSucceeded", "EventId": 3, "Id": f.opID},
		},
	}, nil
}

// greeter is a Function that greets its JSON string input and logs a hook record.
type greeter struct{ env Env }

func (g greeter) Invoke(_ context.Context, payload []byte) ([]byte, error) {
	fmt.Fprintln(g.env.Logs, `{"hook":"operation-end","op":"op-1"}`)
	name := strings.Trim(string(payload), `"`)
	return []byte(`"Hello, ` + name + `!"`), nil
}

func registry() Registry {
	return Registry{"1-1": func(env Env) Deployment { return Deployment{Handler: greeter{env}} }}
}

func TestCheckPasses(t *testing.T) {
	f := writeFile(t, t.TempDir(), "step/1-1.yaml", greetYAML)
	run := &fakeRunner{status: "SUCCEEDED", opID: "op-1"}
	h := &Harness{Registry: registry(), Runner: run, Seed: 3}
	out := h.Check(context.Background(), f)
	if !out.Passed() {
		t.Fatalf("failed: %v", out.Err())
	}
	if strings.Contains(string(run.gotReq.InputJSON), "${") {
		t.Errorf("the runner got an unresolved requirement: %s", run.gotReq.InputJSON)
	}
}

func TestCheckFailures(t *testing.T) {
	dir := t.TempDir()
	f := writeFile(t, dir, "step/1-1.yaml", greetYAML)
	other := writeFile(t, dir, "step/1-2.yaml", greetYAML)
	bad := writeFile(t, dir, "step/1-3.yaml", "ExpectedResult: {ExecutionStatus: MAYBE}\n")
	cases := []struct {
		name  string
		h     *Harness
		file  spec.File
		is    error
		texts []string
	}{
		{"no handler", &Harness{Registry: registry(), Runner: &fakeRunner{}}, other, ErrNoHandler,
			[]string{"no handler registered for requirement 1-2", "step/1-2.yaml"}},
		{"no runner", &Harness{Registry: registry()}, f, ErrNoRunner, nil},
		{"bad file", &Harness{Registry: registry(), Runner: &fakeRunner{}}, bad, spec.ErrInvalid,
			[]string{"1-3.yaml", "ExecutionStatus"}},
		{"run error", &Harness{Registry: registry(), Runner: &fakeRunner{err: context.DeadlineExceeded}}, f, context.DeadlineExceeded,
			[]string{"run: "}},
		{"status", &Harness{Registry: registry(), Runner: &fakeRunner{status: "FAILED", opID: "op-1"}}, f, nil,
			[]string{`result: ExecutionStatus: not equal: expected "SUCCEEDED", got "FAILED" (execution error Boom: it broke)`}},
		{"history", &Harness{Registry: registry(), Runner: &fakeRunner{status: "SUCCEEDED", opID: "op-2"}}, f, nil,
			[]string{"event 3 (StepSucceeded): Id: ${ID1} is bound to"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := c.h.Check(context.Background(), c.file)
			if out.Passed() {
				t.Fatal("passed")
			}
			if c.is != nil && !errors.Is(out.Err(), c.is) {
				t.Errorf("error %v, want %v", out.Err(), c.is)
			}
			for _, text := range c.texts {
				if !strings.Contains(out.Errs[0].Error(), text) {
					t.Errorf("first error %q, want it to contain %q", out.Errs[0], text)
				}
			}
		})
	}
}

func TestEvaluateOrdersFailures(t *testing.T) {
	req, err := spec.Parse([]byte(greetYAML), spec.File{Path: "x.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	obs := &Observation{Status: "FAILED", History: []map[string]any{{"EventType": "StepStarted", "EventId": 2, "Id": "a"}}}
	errs := Evaluate(req, obs, nil)
	if len(errs) != 3 {
		t.Fatalf("errors %v, want result, history and logs", errs)
	}
	for i, prefix := range []string{"result: ExecutionStatus", "event 3 (StepSucceeded)", "ExpectedLogs[0]"} {
		if !strings.HasPrefix(errs[i].Error(), prefix) {
			t.Errorf("error %d = %q, want prefix %q", i, errs[i], prefix)
		}
	}
	if errs := Evaluate(req, nil, nil); len(errs) != 1 {
		t.Errorf("nil observation: %v", errs)
	}
}

func TestReportTable(t *testing.T) {
	var r Report
	mk := func(suite, id string, errs ...error) Outcome {
		return Outcome{File: spec.File{Suite: suite, ID: id}, Errs: errs}
	}
	r.Add(mk("wait", "2-1"))
	r.Add(mk("step", "1-10", errors.New("event 3 (StepSucceeded): Id: not equal\nmore"), errors.New("second")))
	r.Add(mk("step", "1-2"))
	r.Add(mk("step", "1-1"))
	r.Add(mk("wait_for_callback", "7-1", errors.New("result: ExecutionStatus: not equal")))
	known := mk("map", "9-1", errors.New("no handler registered"))
	known.KnownFailure = "no Map yet"
	r.Add(known)
	var b strings.Builder
	if err := r.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	want := `suite              passed  failed  known
map                     0       0      1
step                    2       1      0
wait                    1       0      0
wait_for_callback       0       1      0
total                   3       2      1

first mismatch of each failure:
  map/9-1: (known: no Map yet) no handler registered
  step/1-10: event 3 (StepSucceeded): Id: not equal
  wait_for_callback/7-1: result: ExecutionStatus: not equal
`
	if b.String() != want {
		t.Errorf("table:\n%s\nwant:\n%s", b.String(), want)
	}
}
