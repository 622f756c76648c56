package telemetry

import (
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

const arn = "arn:aws:lambda:us-east-1:123456789012:function:f/durable-execution/e/1"

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func at(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }

// fixture is an execution-view-like trace: Workflow (root of trace w), two
// invocations (each the root of its own trace), an operation completed in
// the second invocation and its two attempts.
func fixture() []Span {
	res := func(m map[string]any) map[string]any {
		m["service.name"] = "svc"
		m["telemetry.sdk.language"] = "go"
		return m
	}
	return []Span{
		{TraceID: "w", SpanID: "wf", Name: "Workflow", Kind: "INTERNAL", Start: at(0), End: at(100), Status: "OK", ServiceName: "svc",
			Attributes: res(map[string]any{"durable.execution.arn": arn, "durable.execution.status": "SUCCEEDED"})},
		{TraceID: "i1", SpanID: "inv1", Name: "Invocation", Kind: "INTERNAL", Start: at(1), End: at(10), Status: "OK", ServiceName: "svc",
			Attributes: res(map[string]any{"durable.execution.arn": arn, "durable.invocation.first": true, "durable.invocation.status": "PENDING"})},
		{TraceID: "i2", SpanID: "inv2", Name: "Invocation", Kind: "INTERNAL", Start: at(20), End: at(30), Status: "OK", ServiceName: "svc",
			Attributes: res(map[string]any{"durable.execution.arn": arn, "durable.invocation.first": false, "durable.invocation.status": "SUCCEEDED"})},
		{TraceID: "w", SpanID: "op", ParentSpanID: "wf", Name: "work", Kind: "INTERNAL", Start: at(2), End: at(25), Status: "OK", ServiceName: "svc",
			Links:      []Link{{TraceID: "i2", SpanID: "inv2"}},
			Attributes: res(map[string]any{"durable.execution.arn": arn, "durable.operation.name": "work", "durable.attempt.number": int64(2)})},
		{TraceID: "w", SpanID: "a1", ParentSpanID: "op", Name: "work attempt 1", Kind: "INTERNAL", Start: at(3), End: at(4), Status: "ERROR", ServiceName: "svc",
			Links:      []Link{{TraceID: "i1", SpanID: "inv1"}},
			Attributes: res(map[string]any{"durable.execution.arn": arn, "durable.attempt.number": int64(1)})},
		{TraceID: "w", SpanID: "a2", ParentSpanID: "op", Name: "work attempt 2", Kind: "INTERNAL", Start: at(21), End: at(22), Status: "OK", ServiceName: "svc",
			Links:      []Link{{TraceID: "i2", SpanID: "inv2"}},
			Attributes: res(map[string]any{"durable.execution.arn": arn, "durable.attempt.number": int64(2)})},
	}
}

// passing covers every span of the fixture.
const passing = `
minimum_spans: 6
minimum_invocations: 2
require_unique_root_per_trace: true
require_all_spans: true
span_assertion_scope:
  attributes:
    durable.execution.arn: ${EXECUTION_ARN}
exact_attribute_prefixes: [durable.]
span_assertions:
  - select: {name: Workflow}
    expect:
      parent_span_id: null
      links: []
      service_name: ${SERVICE_NAME}
      attributes: {durable.execution.arn: "${EXECUTION_ARN}", durable.execution.status: SUCCEEDED}
  - select: {name: Invocation}
    count: {$any_of: [2, 3]}
    expect: {kind: INTERNAL, status: OK}
  - select: {name: work}
    expect:
      status: OK
      attributes: {durable.execution.arn: "*", durable.operation.name: "${/^wo/}", durable.attempt.number: 2}
      links: [{$occurrence: 2, name: Invocation}]
      parent: {name: Workflow}
  - select: {name: "${/^work attempt/}"}
    count: 2
    expect:
      kind: INTERNAL
      inside: {$linked: true, name: Invocation}
      parent: {name: work}
`

func load(t *testing.T, doc string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := yaml.Unmarshal([]byte(doc), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func check(t *testing.T, doc string, spans []Span) []error {
	t.Helper()
	return Check(load(t, doc), spans, map[string]string{"EXECUTION_ARN": arn, "SERVICE_NAME": "svc"})
}

func TestPassing(t *testing.T) {
	for _, err := range check(t, passing, fixture()) {
		t.Error(err)
	}
}

// Each case must fail with an error containing want.
func TestFailures(t *testing.T) {
	cases := []struct {
		name, doc string
		spans     func([]Span) []Span
		want      string
	}{
		{"no match", one("{name: nothing}", "{}"), nil, "matched no spans"},
		{"more than one", one("{name: Invocation}", "{}"), nil, "must select exactly one"},
		{"count", "span_assertions:\n  - select: {name: Invocation}\n    count: 3\n    expect: {}\n", nil, "matched 2 spans, want 3"},
		{"count any_of", "span_assertions:\n  - select: {name: Invocation}\n    count: {$any_of: [1, 3]}\n    expect: {}\n", nil, "want one of"},
		{"consumed", "span_assertions:\n  - select: {name: Workflow}\n    expect: {}\n  - select: {name: Workflow}\n    expect: {}\n", nil, "matched no spans"},
		{"field", one("{name: Workflow}", "{status: ERROR}"), nil, "status is OK, want ERROR"},
		{"missing field", one("{name: Workflow}", "{colour: red}"), nil, `has no field "colour"`},
		{"typed bool", one("{name: Invocation, attributes: {durable.invocation.first: true}}", "{attributes: {durable.invocation.first: 'true'}}"), nil, "want map"},
		{"typed int", one("{name: work}", "{attributes: {durable.attempt.number: '2'}}"), nil, "durable.attempt.number"},
		{"regex", one("{name: work}", "{name: '${/^x/}'}"), nil, "name is work"},
		{"null parent", one("{name: work}", "{parent_span_id: null}"), nil, "parent_span_id is op"[:15]},
		{"parent mismatch", one("{name: work}", "{parent: {name: Invocation}}"), nil, "does not match"},
		{"no parent", one("{name: Workflow}", "{parent: {name: Invocation}}"), nil, "has no parent"},
		{"parent containment", one("{name: work attempt 2}", "{parent: {name: work}}"), func(s []Span) []Span {
			s[5].End = at(26)
			return s
		}, "outside its parent"},
		{"links length", one("{name: work}", "{links: []}"), nil, "has 1 links, want 0"},
		{"links any_of", one("{name: work}", "{links: {$any_of: [[], [{name: Workflow}]]}}"), nil, "no alternative"},
		{"link occurrence", one("{name: work}", "{links: [{$occurrence: 1, name: Invocation}]}"), nil, "want occurrence 1"},
		{"link target absent", one("{name: work}", "{links: [{name: Invocation}]}"), func(s []Span) []Span {
			s[3].Links[0].SpanID = "gone"
			return s
		}, "is not present"},
		{"before", one("{name: work attempt 2}", "{before: {name: work attempt 1}}"), nil, "is not before"},
		{"after", one("{name: work attempt 1}", "{after: {name: work attempt 2}}"), nil, "is not after"},
		{"inside linked", one("{name: work attempt 2}", "{inside: {$linked: true, name: Invocation}}"), func(s []Span) []Span {
			s[5].Start = at(19)
			return s
		}, "is not inside"},
		{"temporal ambiguous", one("{name: Workflow}", "{before: {name: Invocation}}"), nil, "2 spans match, want exactly one"},
		{"exact prefixes", "exact_attribute_prefixes: durable.\n" + one("{name: work}", "{attributes: {durable.operation.name: work}}"), nil, "exact_attribute_prefixes"},
		{"require all spans", "require_all_spans: true\n" + one("{name: Workflow}", "{}"), nil, "5 spans are not covered"},
		{"scope", "require_all_spans: true\nspan_assertion_scope: [{name: work}]\n" + one("{name: Workflow}", "{}"), nil, "1 spans are not covered"},
		{"unique root", "require_unique_root_per_trace: true\n", func(s []Span) []Span {
			s[3].ParentSpanID = ""
			return s
		}, "has 2 root spans"},
		{"start after end", "{}", func(s []Span) []Span {
			s[4].End = at(2)
			return s
		}, "before it starts"},
		{"foreign arn", "{}", func(s []Span) []Span {
			s[0].Attributes["durable_execution_arn"] = "arn:other"
			return s
		}, "not an allowed execution"},
		{"no correlation", "{}", func(s []Span) []Span {
			for i := range s {
				delete(s[i].Attributes, "durable.execution.arn")
			}
			return s[:1]
		}, "no span carries the execution ARN"},
		{"minimum spans", "minimum_spans: 7\n", nil, "want at least 7"},
		{"minimum invocations", "minimum_invocations: 3\n", nil, "2 Invocation spans, want at least 3"},
		{"unknown key", "require_everything: true\n", nil, `unknown key "require_everything"`},
		{"unknown item key", "span_assertions:\n  - select: {}\n    expect: {}\n    colour: red\n", nil, `unknown key "colour"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			spans := fixture()
			if tc.spans != nil {
				spans = tc.spans(spans)
			}
			errs := check(t, tc.doc, spans)
			for _, err := range errs {
				if strings.Contains(err.Error(), tc.want) {
					return
				}
			}
			t.Errorf("want an error containing %q, got %v", tc.want, errs)
		})
	}
}

// $allow_outside lifts containment, and a foreign trace's span without a
// correlated ARN stays out of the view.
func TestAllowOutsideAndView(t *testing.T) {
	spans := fixture()
	spans[5].End = at(26)
	spans = append(spans, Span{TraceID: "x", SpanID: "foreign", Name: "Workflow", Start: at(0), End: at(1)})
	doc := "minimum_spans: 6\nrequire_all_spans: true\n" + one("{name: work attempt 2}", "{parent: {$allow_outside: true, name: work}}")
	if errs := check(t, doc+"  - select: {}\n    count: 5\n    expect: {}\n", spans); len(errs) != 0 {
		t.Error(errs)
	}
}

func one(sel, expect string) string {
	return "span_assertions:\n  - select: " + sel + "\n    expect: " + expect + "\n"
}
