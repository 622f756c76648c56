package match

import (
	"errors"
	"strings"
	"testing"

	"github.com/lambda-durable/durable/conformance/spec"
)

func ptr(s string) *string { return &s }

func TestResult(t *testing.T) {
	succeeded := func(result any) *spec.ExpectedResult {
		return &spec.ExpectedResult{ExecutionStatus: "SUCCEEDED", Result: result, HasResult: true}
	}
	cases := []struct {
		name   string
		exp    *spec.ExpectedResult
		status string
		result *string
		reason string // empty: passes
	}{
		{"nothing expected", nil, "FAILED", nil, ""},
		{"status only", &spec.ExpectedResult{ExecutionStatus: "FAILED"}, "FAILED", ptr(`"ignored"`), ""},
		{"status differs", &spec.ExpectedResult{ExecutionStatus: "SUCCEEDED"}, "FAILED", nil, "not equal"},
		{"string", succeeded("Hello, World!"), "SUCCEEDED", ptr(`"Hello, World!"`), ""},
		{"string differs", succeeded("Hello, World!"), "SUCCEEDED", ptr(`"Hello!"`), "not equal"},
		{"decoded once", succeeded(`"HELLO"`), "SUCCEEDED", ptr(`"\"HELLO\""`), ""},
		{"decoded once rejects", succeeded(`"HELLO"`), "SUCCEEDED", ptr(`"HELLO"`), "not equal"},
		{"number", succeeded(int64(8)), "SUCCEEDED", ptr(`8`), ""},
		{"number differs", succeeded(int64(8)), "SUCCEEDED", ptr(`8.5`), "not equal"},
		{"number vs string", succeeded(int64(8)), "SUCCEEDED", ptr(`"8"`), "expected a number"},
		{"list", succeeded([]any{"a", int64(2)}), "SUCCEEDED", ptr(`["a", 2]`), ""},
		{"list differs", succeeded([]any{"a", int64(2)}), "SUCCEEDED", ptr(`["a"]`), "expected 2 items"},
		{"object", succeeded(map[string]any{"count": int64(42)}), "SUCCEEDED", ptr(`{"count":42,"doubled":84}`), ""},
		{"empty list", succeeded([]any{}), "SUCCEEDED", ptr(`[]`), ""},
		{"null", succeeded(nil), "SUCCEEDED", ptr(`null`), ""},
		{"null and no result", succeeded(nil), "SUCCEEDED", nil, ""},
		{"null and empty result", succeeded(nil), "SUCCEEDED", ptr(""), ""},
		{"null rejects a value", succeeded(nil), "SUCCEEDED", ptr(`"x"`), "expected null"},
		{"value needs a result", succeeded("x"), "SUCCEEDED", nil, "missing"},
		{"not json", succeeded("x"), "SUCCEEDED", ptr(`x`), "not JSON"},
		{"trailing text", succeeded("x"), "SUCCEEDED", ptr(`"x" "y"`), "not JSON"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := Result(c.exp, c.status, c.result, Bindings{})
			if c.reason == "" {
				if err != nil {
					t.Errorf("Result = %v, want a match", err)
				}
				return
			}
			var mm *Mismatch
			if !errors.As(err, &mm) || !strings.Contains(mm.Reason, c.reason) {
				t.Errorf("Result = %v, want a mismatch with %q", err, c.reason)
			}
		})
	}
}

func TestResultUsesHistoryBindings(t *testing.T) {
	b := Bindings{"ID1": "op-1"}
	exp := &spec.ExpectedResult{ExecutionStatus: "SUCCEEDED", Result: "${ID1}", HasResult: true}
	if err := Result(exp, "SUCCEEDED", ptr(`"op-1"`), b); err != nil {
		t.Error(err)
	}
	if err := Result(exp, "SUCCEEDED", ptr(`"op-2"`), b); err == nil {
		t.Error("a result other than the bound value matched")
	}
}
