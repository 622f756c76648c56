package match

import (
	"errors"
	"strings"
	"testing"

	"github.com/lambda-durable/durable/conformance/spec"
)

// pluginLogs is a two-invocation run of a plugin that logs its hooks.
const pluginLogs = `
{"plugin":"CONFPLUGIN","hook":"invocation-start","first":true,"requestId":"r1","operationsCount":1}
{"timestamp":"2025-01-01T00:00:00.000Z","level":"INFO","message":"Greeting step running for: abc"}
{"plugin":"CONFPLUGIN","hook":"operation-start","op":"a1b2","type":"WAIT","isReplay":false}
{"plugin":"CONFPLUGIN","hook":"invocation-end","first":true,"terminal":false,"status":"PENDING"}

plain text line [ERROR] something
{"plugin":"CONFPLUGIN","hook":"invocation-start","first":false,"requestId":"r2","operationsCount":3}
{"plugin":"CONFPLUGIN","hook":"operation-end","op":"a1b2","type":"WAIT","status":"SUCCEEDED","attempt":1}
{"plugin":"CONFPLUGIN","hook":"invocation-end","first":false,"terminal":true,"status":"SUCCEEDED","executionError":""}
`

func records(t *testing.T) []map[string]any {
	t.Helper()
	recs, err := DecodeLogs(strings.NewReader(pluginLogs))
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func logExps(t *testing.T, text string) []spec.LogExpectation {
	t.Helper()
	r, err := spec.Parse([]byte("ExpectedLogs:\n"+text), spec.File{Path: "test.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	return r.ExpectedLogs
}

func TestDecodeLogs(t *testing.T) {
	recs := records(t)
	if len(recs) != 8 {
		t.Fatalf("%d records, want 8 (blank lines skipped)", len(recs))
	}
	if recs[1]["message"] != "Greeting step running for: abc" {
		t.Errorf("Lambda JSON record = %v", recs[1])
	}
	slogRecs, err := DecodeLogs(strings.NewReader(`{"level":"INFO","msg":"hi"}`))
	if _, has := slogRecs[0]["message"]; has || err != nil {
		t.Errorf("a record with msg gained a message key: %v (%v)", slogRecs[0], err)
	}
	if recs[4]["message"] != "plain text line [ERROR] something" || len(recs[4]) != 1 {
		t.Errorf("plain line = %v", recs[4])
	}
	long := `{"message":"` + strings.Repeat("x", 200_000) + `"}` + "\n" + "[1,2]\n" + `{"message":"m","msg":"other"}`
	recs, err = DecodeLogs(strings.NewReader(long))
	if err != nil || len(recs) != 3 || len(recs[0]["message"].(string)) != 200_000 {
		t.Fatalf("long line: %d records, %v", len(recs), err)
	}
	if recs[1]["message"] != "[1,2]" || recs[2]["message"] != "m" {
		t.Errorf("records = %v, %v", recs[1], recs[2])
	}
}

func TestLogsPass(t *testing.T) {
	exps := logExps(t, `
  - match: {plugin: CONFPLUGIN, hook: invocation-start, first: true}
    count: 1
  - match: {message: '/Greeting step running for: abc/'}
    count: 1
    after:
      - {plugin: CONFPLUGIN, hook: invocation-start, first: true}
    before:
      - {hook: invocation-end, terminal: true}
  - match: {hook: invocation-start, first: false}
    count: 1
  - match: {hook: operation-start, op: '${ID1}', type: WAIT}
    min_count: 1
  - match: {hook: operation-end, op: '${ID1}', status: SUCCEEDED, attempt: 1}
    max_count: 1
  - match: {hook: operation-end, status: FAILED}
    count: 0
  - match: {hook: invocation-start, requestId: '/.+/', operationsCount: '/^\d+$/'}
    count: 2
  - match: {hook: invocation-end, first: true, terminal: false, status: '/.+/'}
  - match: {hook: invocation-end, terminal: true}
    after:
      - {hook: invocation-end, first: true}
  - match: {message: '/\[ERROR\]/'}
    count: 1
  - match: {hook: operation-start, isReplay: '/.*/'}
    count: 1
  - match: {hook: invocation-start, requestId: '/${REQ}/'}
    count: 1
`)
	if err := Logs(exps, records(t), Bindings{"ID1": "a1b2", "REQ": "r2"}); err != nil {
		t.Fatal(err)
	}
}

func TestLogsFail(t *testing.T) {
	cases := []struct {
		name, yaml, reason string
	}{
		{"count too high", "  - match: {hook: invocation-start}\n    count: 1\n", "want exactly 1 matching records, got 2: #0"},
		{"count too low", "  - match: {hook: invocation-start}\n    count: 3\n", "want exactly 3 matching records, got 2"},
		{"count zero", "  - match: {hook: operation-end, status: SUCCEEDED}\n    count: 0\n", "want exactly 0 matching records, got 1"},
		{"min", "  - match: {hook: invocation-end}\n    min_count: 3\n", "want at least 3"},
		{"max", "  - match: {hook: invocation-end}\n    max_count: 1\n", "want at most 1"},
		{"default at least one", "  - match: {hook: attempt-start}\n", "want at least one matching record, got none among 8 records"},
		{"fields are ANDed", "  - match: {hook: invocation-start, first: true, requestId: r2}\n", "got none"},
		{"bool is not a string", "  - match: {hook: invocation-start, first: 'true'}\n", "got none"},
		{"number by value", "  - match: {hook: operation-end, attempt: 2}\n", "got none"},
		{"regex rejects", "  - match: {message: '/running for: xyz/'}\n", "got none"},
		{"regex needs the field", "  - match: {hook: invocation-start, executionError: '/.*/'}\n", "got none"},
		{"present empty field counts", "  - match: {executionError: '/.*/'}\n    count: 0\n", "got 1"},
		{"unbound placeholder", "  - match: {op: '${NOPE}'}\n", "placeholder ${NOPE} is not bound by the history"},
		{"bound placeholder differs", "  - match: {hook: operation-start, op: '${ID1}'}\n", "got none"},
		{"after", "  - match: {hook: invocation-start}\n    after:\n      - {message: '/Greeting/'}\n",
			"record #0 {\"first\":true,\"hook\":\"invocation-start\""},
		{"before", "  - match: {hook: invocation-end}\n    before:\n      - {hook: invocation-start, first: false}\n",
			"record #7"},
		{"anchor matches nothing", "  - match: {hook: invocation-end}\n    after:\n      - {hook: nothing}\n",
			"after[0] {\"hook\":\"nothing\"} matches no record"},
		{"anchor unbound", "  - match: {hook: invocation-end}\n    before:\n      - {op: '${X}'}\n", "before[0]: op: placeholder ${X}"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := Logs(logExps(t, c.yaml), records(t), Bindings{"ID1": "zzzz"})
			var lm *LogMismatch
			if !errors.As(err, &lm) {
				t.Fatalf("Logs = %v, want a *LogMismatch", err)
			}
			if !strings.Contains(lm.Reason, c.reason) || lm.Index != 0 {
				t.Errorf("reason %q (index %d), want it to contain %q", lm.Reason, lm.Index, c.reason)
			}
			if !strings.HasPrefix(err.Error(), "ExpectedLogs[0] {") {
				t.Errorf("message %q does not name the entry", err)
			}
		})
	}
}

func TestLogsAnchorAtSameRecord(t *testing.T) {
	recs := []map[string]any{{"a": "1", "b": "1"}, {"a": "2"}}
	exps := logExps(t, "  - match: {b: '1'}\n    after:\n      - {b: '1'}\n    before:\n      - {a: '2'}\n")
	if err := Logs(exps, recs, Bindings{}); err != nil {
		t.Errorf("a record at its own anchor: %v", err)
	}
}

func TestLogsReportsFirstFailingEntry(t *testing.T) {
	exps := logExps(t, "  - match: {hook: invocation-start}\n    count: 2\n  - match: {hook: x}\n  - match: {hook: y}\n")
	var lm *LogMismatch
	if err := Logs(exps, records(t), Bindings{}); !errors.As(err, &lm) || lm.Index != 1 {
		t.Errorf("Logs = %v, want the failure of entry 1", err)
	}
}

func TestLogsPlaceholderBindsWholeValue(t *testing.T) {
	recs := []map[string]any{{"n": float64(3)}}
	exps := logExps(t, "  - match: {n: '${N}'}\n    count: 1\n")
	if err := Logs(exps, recs, Bindings{"N": int64(3)}); err != nil {
		t.Errorf("a number bound in the history: %v", err)
	}
}
