package telemetry

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// The attribute keys that tie a span to an execution.
var arnKeys = []string{"aws.lambda.durable_execution.arn", "durable.execution.arn", "durable_execution_arn"}

// Check evaluates one TelemetryAssertions mapping against the exported spans
// of a run. vars binds the placeholders: EXECUTION_ARN (required),
// SERVICE_NAME and those bound by the expected history. It returns every
// failure, in the order the checks run; none means the assertions hold.
func Check(assertions map[string]any, spans []Span, vars map[string]string) []error {
	arn, ok := vars["EXECUTION_ARN"]
	if !ok || arn == "" {
		return []error{errors.New("EXECUTION_ARN is not bound")}
	}
	a, _ := substitute(assertions, func(name string) (string, bool) {
		v, ok := vars[name]
		return v, ok
	}).(map[string]any)
	c := &checker{}
	if err := checkKeys(a, "TelemetryAssertions", "minimum_spans", "require_unique_root_per_trace",
		"require_execution_correlation", "allowed_execution_arns", "minimum_invocations", "span_assertions",
		"require_all_spans", "span_assertion_scope", "exact_attribute_prefixes"); err != nil {
		return []error{err}
	}
	allowed, err := stringList(a, "allowed_execution_arns", []string{arn})
	if err != nil {
		return []error{err}
	}
	c.view = correlatedView(spans, arn, allowed)
	c.minimumSpans(a)
	c.uniqueRoots(a)
	c.startBeforeEnd()
	c.correlation(a, arn, allowed)
	c.minimumInvocations(a)
	c.spanAssertions(a)
	return c.errs
}

// checker accumulates the failures of one Check.
type checker struct {
	view []*Span
	errs []error
}

func (c *checker) fail(format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf(format, args...))
}

// correlatedView is every span of the primary trace (the one holding the
// execution's Workflow span, else the first holding its ARN) plus the spans
// of other traces that carry a correlated ARN.
func correlatedView(spans []Span, arn string, allowed []string) []*Span {
	correlated := map[string]bool{arn: true}
	for _, a := range allowed {
		correlated[a] = true
	}
	primary := ""
	for i := range spans {
		if s := &spans[i]; s.Name == "Workflow" && s.Attributes["durable.execution.arn"] == arn {
			primary = s.TraceID
			break
		}
	}
	if primary == "" {
		for i := range spans {
			if spans[i].Attributes["durable.execution.arn"] == arn {
				primary = spans[i].TraceID
				break
			}
		}
	}
	var view []*Span
	for i := range spans {
		s := &spans[i]
		v, _ := s.Attributes["durable.execution.arn"].(string)
		if (primary != "" && s.TraceID == primary) || correlated[v] {
			view = append(view, s)
		}
	}
	return view
}

func (c *checker) minimumSpans(a map[string]any) {
	n, err := intValue(a, "minimum_spans", 1)
	if err != nil {
		c.errs = append(c.errs, err)
		return
	}
	if len(c.view) < n {
		c.fail("minimum_spans: %d spans in the execution's view, want at least %d", len(c.view), n)
	}
}

func (c *checker) uniqueRoots(a map[string]any) {
	if on, _ := a["require_unique_root_per_trace"].(bool); !on {
		return
	}
	roots := map[string]map[string]bool{}
	for _, s := range c.view {
		if s.ParentSpanID != "" {
			continue
		}
		if roots[s.TraceID] == nil {
			roots[s.TraceID] = map[string]bool{}
		}
		roots[s.TraceID][s.SpanID] = true
	}
	for _, tid := range sortedKeys(roots) {
		if ids := roots[tid]; len(ids) > 1 {
			c.fail("require_unique_root_per_trace: trace %s has %d root spans %v", tid, len(ids), sortedKeys(ids))
		}
	}
}

func (c *checker) startBeforeEnd() {
	for _, s := range c.view {
		if s.End.Before(s.Start) {
			c.fail("span %s %q ends (%s) before it starts (%s)", s.SpanID, s.Name, s.End, s.Start)
		}
	}
}

func (c *checker) correlation(a map[string]any, arn string, allowed []string) {
	if on, set := a["require_execution_correlation"].(bool); set && !on {
		return
	}
	ok := map[string]bool{}
	for _, v := range allowed {
		ok[strings.ToLower(v)] = true
	}
	found := false
	for _, s := range c.view {
		for _, k := range arnKeys {
			v, present := s.Attributes[k]
			if !present {
				continue
			}
			text := strings.ToLower(stringForm(v))
			found = found || text == strings.ToLower(arn)
			if !ok[text] {
				c.fail("require_execution_correlation: span %s %q has %s=%v, not an allowed execution", s.SpanID, s.Name, k, v)
			}
		}
	}
	if !found {
		c.fail("require_execution_correlation: no span carries the execution ARN %s", arn)
	}
}

func (c *checker) minimumInvocations(a map[string]any) {
	n, err := intValue(a, "minimum_invocations", 1)
	if err != nil {
		c.errs = append(c.errs, err)
		return
	}
	if n <= 1 {
		return
	}
	got := 0
	for _, s := range c.view {
		if _, first := s.Attributes["durable.invocation.first"]; first && strings.ToLower(s.Name) == "invocation" {
			got++
		}
	}
	if got < n {
		c.fail("minimum_invocations: %d Invocation spans, want at least %d", got, n)
	}
}

// checkKeys fails for a key of m not in allowed.
func checkKeys(m map[string]any, where string, allowed ...string) error {
	for _, k := range sortedKeys(m) {
		if !slices.Contains(allowed, k) {
			return fmt.Errorf("%s: unknown key %q", where, k)
		}
	}
	return nil
}

// intValue reads an integer key (def when absent).
func intValue(m map[string]any, key string, def int) (int, error) {
	v, present := m[key]
	if !present || v == nil {
		return def, nil
	}
	switch n := v.(type) {
	case int:
		return n, nil
	case int64:
		return int(n), nil
	}
	return 0, fmt.Errorf("%s: %v is not an integer", key, v)
}

// stringList reads a string or a list of strings (def when absent).
func stringList(m map[string]any, key string, def []string) ([]string, error) {
	v, present := m[key]
	if !present || v == nil {
		return def, nil
	}
	switch x := v.(type) {
	case string:
		return []string{x}, nil
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("%s: %v is not a string", key, e)
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, fmt.Errorf("%s: want a string or a list of strings, got %v", key, v)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, cmp.Compare)
	return keys
}
