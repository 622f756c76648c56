package spec

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func parse(t *testing.T, text string) (*Requirement, error) {
	t.Helper()
	return Parse([]byte(text), File{Suite: "step", ID: "1-99", Path: "step/1-99.yaml"})
}

func mustParse(t *testing.T, text string) *Requirement {
	t.Helper()
	r, err := parse(t, text)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

const minimal = `
ExpectedResult:
  ExecutionStatus: SUCCEEDED
`

func TestAllTestdataLoadsAndResolves(t *testing.T) {
	reqs, err := LoadDir("../testdata")
	if err != nil {
		t.Fatal(err)
	}
	if len(reqs) < 100 {
		t.Fatalf("loaded %d requirements, want the whole testdata", len(reqs))
	}
	for _, r := range reqs {
		rr, err := r.Resolve(1)
		if err != nil {
			t.Errorf("%s: %v", r.Path, err)
			continue
		}
		for _, v := range rr.Variables {
			if strings.Contains(v.Value, "${") {
				t.Errorf("%s: variable %s unresolved: %q", r.Path, v.Name, v.Value)
			}
		}
		if strings.Contains(string(rr.InputJSON), "${") {
			t.Errorf("%s: Input unresolved: %s", r.Path, rr.InputJSON)
		}
	}
}

func TestParseKeys(t *testing.T) {
	r := mustParse(t, `---
# comment
description: d
handler: |
  h
invocations: i
AsyncInvoke: true
async: true
optional: true
Input:
  b: [1, 2.5, "x"]
  a: null
Variables:
  X: ${GEN_STR:4}
ExpectedResult:
  ExecutionStatus: FAILED
  Result: null
ExpectedExecutionHistory:
  - EventType: StepStarted
    EventId: 2
    Id: ${ID1}
CallbackActions:
  - CallbackName: '*'
    Operation: failure
    Payload:
      ErrorType: E
      ErrorMessage: m
      StackTrace: [a, b]
    Delay: 1.5
  - CallbackName: n
    Operation: heartbeat
ExpectedLogs:
  - match: {hook: x}
    min_count: 1
    max_count: 2
    after:
      - hook: y
    before:
      - hook: z
DefaultRetryParameters:
  MaxAttempts: 6
Surprise: [1]
`)
	if r.Description != "d" || r.Handler != "h\n" || r.Invocations != "i" {
		t.Errorf("prose = %q %q %q", r.Description, r.Handler, r.Invocations)
	}
	if !r.Async || !r.Optional {
		t.Errorf("Async %v Optional %v, want both true", r.Async, r.Optional)
	}
	wantInput := map[string]any{"b": []any{int64(1), 2.5, "x"}, "a": nil}
	if !reflect.DeepEqual(r.Input, wantInput) {
		t.Errorf("Input = %#v", r.Input)
	}
	if got := string(r.InputJSON); got != `{"b": [1, 2.5, "x"], "a": null}` {
		t.Errorf("InputJSON = %s", got)
	}
	if !reflect.DeepEqual(r.Variables, []Variable{{"X", "${GEN_STR:4}"}}) {
		t.Errorf("Variables = %v", r.Variables)
	}
	if er := r.ExpectedResult; er == nil || er.ExecutionStatus != "FAILED" || !er.HasResult || er.Result != nil {
		t.Errorf("ExpectedResult = %+v", er)
	}
	wantEvent := map[string]any{"EventType": "StepStarted", "EventId": int64(2), "Id": "${ID1}"}
	if len(r.ExpectedExecutionHistory) != 1 || !reflect.DeepEqual(r.ExpectedExecutionHistory[0], wantEvent) {
		t.Errorf("history = %#v", r.ExpectedExecutionHistory)
	}
	if len(r.CallbackActions) != 2 {
		t.Fatalf("CallbackActions = %+v", r.CallbackActions)
	}
	a := r.CallbackActions[0]
	if !a.Matches("anything") || a.Operation != CallbackFailure || a.Delay != 1500*time.Millisecond ||
		!reflect.DeepEqual(a.Error, &ErrorObject{ErrorType: "E", ErrorMessage: "m", StackTrace: []string{"a", "b"}}) {
		t.Errorf("action 0 = %+v", a)
	}
	if b := r.CallbackActions[1]; b.Matches("other") || !b.Matches("n") || b.HasPayload || b.Delay != 0 {
		t.Errorf("action 1 = %+v", b)
	}
	le := r.ExpectedLogs[0]
	if le.Count != nil || *le.MinCount != 1 || *le.MaxCount != 2 || le.After[0]["hook"] != "y" || le.Before[0]["hook"] != "z" {
		t.Errorf("log expectation = %+v", le)
	}
	if r.DefaultRetryParameters["MaxAttempts"] != int64(6) {
		t.Errorf("DefaultRetryParameters = %v", r.DefaultRetryParameters)
	}
	if !reflect.DeepEqual(r.Extra, map[string]any{"Surprise": []any{int64(1)}}) {
		t.Errorf("Extra = %v", r.Extra)
	}
}

func TestParseInputAbsentOrEmptyIsNull(t *testing.T) {
	for _, text := range []string{minimal, "Input:\n" + minimal, "Input: null\n" + minimal, "Input: ~\n" + minimal} {
		r := mustParse(t, text)
		if r.Input != nil || string(r.InputJSON) != "null" {
			t.Errorf("%q: Input %v, InputJSON %s; want nil, null", text, r.Input, r.InputJSON)
		}
	}
	r := mustParse(t, "Input: World\n"+minimal)
	if r.Input != "World" || string(r.InputJSON) != `"World"` {
		t.Errorf("Input %v, InputJSON %s", r.Input, r.InputJSON)
	}
}

func TestParseErrors(t *testing.T) {
	hist := func(ev string) string { return "ExpectedExecutionHistory:\n  - " + ev + "\n" }
	cases := []struct {
		name, text, want string
	}{
		{"not yaml", "a: [", "not valid YAML"},
		{"empty", "", "empty file"},
		{"two documents", minimal + "---\n" + minimal, "exactly one YAML document"},
		{"not a mapping", "- 1\n", "must be a mapping"},
		{"nothing to check", "description: x\n", "nothing to check"},
		{"duplicate key", minimal + "description: a\ndescription: b\n", "description: duplicate key"},
		{"status", "ExpectedResult:\n  ExecutionStatus: DONE\n", "ExpectedResult.ExecutionStatus: \"DONE\" is not one of"},
		{"status missing", "ExpectedResult:\n  Result: 1\n", "ExpectedResult.ExecutionStatus: missing"},
		{"result key", "ExpectedResult:\n  ExecutionStatus: FAILED\n  Error: x\n", "ExpectedResult.Error: unknown key"},
		{"history not list", "ExpectedExecutionHistory: 3\n", "ExpectedExecutionHistory: want a list"},
		{"event id missing", hist("{EventType: StepStarted}"), "ExpectedExecutionHistory[0].EventId: want a positive integer"},
		{"event id text", hist("{EventType: StepStarted, EventId: two}"), "ExpectedExecutionHistory[0].EventId"},
		{"event id twice", hist("{EventType: A, EventId: 2}") + "  - {EventType: B, EventId: 2}\n", "ExpectedExecutionHistory[1].EventId: EventId 2 is listed twice"},
		{"event type missing", hist("{EventId: 2}"), "ExpectedExecutionHistory[0].EventType"},
		{"history regex", hist("{EventType: A, EventId: 2, X: '${/[/}'}"), "ExpectedExecutionHistory[0].X: bad regular expression"},
		{"action name", minimal + "CallbackActions:\n  - Operation: success\n", "CallbackActions[0].CallbackName: missing"},
		{"action op", minimal + "CallbackActions:\n  - {CallbackName: a, Operation: approve}\n", "CallbackActions[0].Operation: \"approve\" is not success"},
		{"action op missing", minimal + "CallbackActions:\n  - {CallbackName: a}\n", "CallbackActions[0].Operation: missing"},
		{"action delay", minimal + "CallbackActions:\n  - {CallbackName: a, Operation: success, Delay: -1}\n", "CallbackActions[0].Delay"},
		{"action delay text", minimal + "CallbackActions:\n  - {CallbackName: a, Operation: success, Delay: soon}\n", "CallbackActions[0].Delay"},
		{"action key", minimal + "CallbackActions:\n  - {CallbackName: a, Operation: success, Wait: 1}\n", "CallbackActions[0].Wait: unknown key"},
		{"heartbeat payload", minimal + "CallbackActions:\n  - {CallbackName: a, Operation: heartbeat, Payload: x}\n", "heartbeat carries no payload"},
		{"failure payload", minimal + "CallbackActions:\n  - {CallbackName: a, Operation: failure, Payload: x}\n", "CallbackActions[0].Payload: want a mapping"},
		{"failure key", minimal + "CallbackActions:\n  - {CallbackName: a, Operation: failure, Payload: {Code: 1}}\n", "CallbackActions[0].Payload.Code: unknown key"},
		{"logs match", "ExpectedLogs:\n  - count: 1\n", "ExpectedLogs[0].match: missing"},
		{"logs empty match", "ExpectedLogs:\n  - match: {}\n", "ExpectedLogs[0].match: want at least one field"},
		{"logs count", "ExpectedLogs:\n  - {match: {a: 1}, count: -1}\n", "ExpectedLogs[0].count: want a non-negative integer"},
		{"logs count text", "ExpectedLogs:\n  - {match: {a: 1}, count: many}\n", "ExpectedLogs[0].count"},
		{"logs count and min", "ExpectedLogs:\n  - {match: {a: 1}, count: 1, min_count: 1}\n", "count excludes min_count"},
		{"logs min above max", "ExpectedLogs:\n  - {match: {a: 1}, min_count: 3, max_count: 1}\n", "min_count 3 is above max_count 1"},
		{"logs regex", "ExpectedLogs:\n  - {match: {a: '/(/'}}\n", "ExpectedLogs[0].match.a: bad regular expression"},
		{"logs anchor", "ExpectedLogs:\n  - {match: {a: 1}, after: {b: 2}}\n", "ExpectedLogs[0].after: want a list"},
		{"logs key", "ExpectedLogs:\n  - {match: {a: 1}, exactly: 1}\n", "ExpectedLogs[0].exactly: unknown key"},
		{"variable name", minimal + "Variables:\n  1X: a\n", "Variables.1X: variable names"},
		{"gen str size", minimal + "Variables:\n  X: ${GEN_STR:0}\n", "Variables.X: ${GEN_STR:0}"},
		{"gen str text", minimal + "Variables:\n  X: ${GEN_STR:n}\n", "Variables.X"},
		{"unknown variable", minimal + "Variables:\n  X: ${Y}\n", "${Y}: not a variable defined earlier"},
		{"variable order", minimal + "Variables:\n  X: ${Y}\n  Y: a\n", "${Y}: not a variable defined earlier"},
		{"async type", minimal + "async: yes please\n", "async: want true or false"},
		{"async disagree", minimal + "async: true\nAsyncInvoke: false\n", "AsyncInvoke: disagrees with async"},
		{"merge key", minimal + "x: &a {b: 1}\ny:\n  <<: *a\n", "merge keys"},
		{"tag", minimal + "x: !custom 1\n", "unsupported YAML tag"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := parse(t, c.text)
			if err == nil {
				t.Fatalf("no error, want %q", c.want)
			}
			if !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "step/1-99.yaml") {
				t.Errorf("error %q, want the file name and %q", err, c.want)
			}
			var se *Error
			if !errors.Is(err, ErrInvalid) || !errors.As(err, &se) || se.File != "step/1-99.yaml" {
				t.Errorf("error %v is not a *spec.Error wrapping ErrInvalid", err)
			}
		})
	}
}

func TestErrorLine(t *testing.T) {
	_, err := parse(t, "ExpectedResult:\n  ExecutionStatus: SUCCEEDED\nCallbackActions:\n  - CallbackName: a\n    Operation: nope\n")
	var se *Error
	if !errors.As(err, &se) || se.Line != 5 || se.Key != "CallbackActions[0].Operation" {
		t.Fatalf("error %#v, want line 5 and key CallbackActions[0].Operation", err)
	}
	if want := "step/1-99.yaml:5: CallbackActions[0].Operation: "; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %q, want prefix %q", err, want)
	}
}

func TestDiscoverOrdersByNumber(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"wait/2-10.yaml", "wait/2-2.yaml", "step/1-1.yaml", "step/notes.txt", "README.md"} {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p), []byte(minimal), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	files, err := Discover(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		got = append(got, f.Suite+"/"+f.ID)
	}
	if want := []string{"step/1-1", "wait/2-2", "wait/2-10"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Discover = %v, want %v", got, want)
	}
}

func TestCompareIDs(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int // sign
	}{{"1-2", "1-10", -1}, {"1-10", "1-2", 1}, {"1-1", "1-1", 0}, {"2-1", "10-1", -1}, {"1-1", "1-1-1", -1}, {"1-a", "1-b", -1}} {
		got := CompareIDs(c.a, c.b)
		if (got < 0) != (c.want < 0) || (got > 0) != (c.want > 0) {
			t.Errorf("CompareIDs(%s, %s) = %d, want sign %d", c.a, c.b, got, c.want)
		}
	}
}

func TestLoadDirReportsEveryBadFile(t *testing.T) {
	dir := t.TempDir()
	write := func(p, text string) {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("step/1-1.yaml", minimal)
	write("step/1-2.yaml", "a: [")
	write("wait/2-1.yaml", "description: only prose\n")
	reqs, err := LoadDir(dir)
	if len(reqs) != 1 || reqs[0].ID != "1-1" || reqs[0].Suite != "step" {
		t.Errorf("loaded %v, want step/1-1 only", reqs)
	}
	if err == nil || !strings.Contains(err.Error(), "1-2.yaml") || !strings.Contains(err.Error(), "2-1.yaml") {
		t.Errorf("error %v, want both bad files named", err)
	}
}

func TestActionMatches(t *testing.T) {
	for _, tc := range []struct {
		pattern, name string
		want          bool
	}{{"a", "a", true}, {"a", "b", false}, {"*", "b", true}, {"*", "", true}, {"a", "", false},
		{"${/^cb(?:-callback)?$/}", "cb-callback", true}, {"${/^cb(?:-callback)?$/}", "cb", true},
		{"${/^cb(?:-callback)?$/}", "cb-submitter", false}, {"${/[/}", "[", false}} {
		if got := (CallbackAction{CallbackName: tc.pattern}).Matches(tc.name); got != tc.want {
			t.Errorf("%q matches %q = %v, want %v", tc.pattern, tc.name, got, tc.want)
		}
	}
}
