package spec

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"time"

	"gopkg.in/yaml.v3"
)

// ExecutionStatuses lists the values ExpectedResult.ExecutionStatus may take.
var ExecutionStatuses = []string{"RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "STOPPED"}

// build turns a parsed document into a Requirement, validating it.
func build(root *yaml.Node, path, suite, id string) (*Requirement, error) {
	r := &Requirement{Suite: suite, ID: id, Path: path, root: root}
	if err := r.fill(root); err != nil {
		var ne *nodeError
		if errors.As(err, &ne) {
			return nil, &Error{File: path, Line: ne.line, Key: ne.key, Err: ne.err}
		}
		return nil, &Error{File: path, Err: err}
	}
	return r, nil
}

func (r *Requirement) fill(root *yaml.Node) error {
	doc := resolveAlias(root)
	if doc == nil || doc.Kind != yaml.MappingNode {
		return errAt(doc, "", "the document must be a mapping of keys")
	}
	var async, asyncInvoke *bool
	var hasResult, hasHistory, hasLogs bool
	err := eachPair(doc, "", func(k string, kn, vn *yaml.Node) error {
		var err error
		switch k {
		case "description":
			r.Description, err = prose(vn, k)
		case "handler":
			r.Handler, err = prose(vn, k)
		case "invocations":
			r.Invocations, err = prose(vn, k)
		case "Input":
			if r.Input, err = value(vn, k); err == nil {
				r.InputJSON, err = pyJSON(vn, k)
			}
		case "Variables":
			r.Variables, err = variables(vn, k)
		case "ExpectedResult":
			hasResult = true
			r.ExpectedResult, err = expectedResult(vn, k)
		case "ExpectedExecutionHistory":
			hasHistory = true
			r.ExpectedExecutionHistory, err = history(vn, k)
		case "CallbackActions":
			r.CallbackActions, err = list(vn, k, callbackAction)
		case "ExpectedLogs":
			hasLogs = true
			r.ExpectedLogs, err = list(vn, k, logExpectation)
		case "AsyncInvoke":
			asyncInvoke, err = boolPtr(vn, k)
		case "async":
			async, err = boolPtr(vn, k)
		case "optional":
			var b *bool
			if b, err = boolPtr(vn, k); err == nil {
				r.Optional = *b
			}
		case "DefaultRetryParameters":
			var m map[string]any
			if m, err = mapping(vn, k); err == nil {
				r.DefaultRetryParameters = m
			}
		default:
			var v any
			if v, err = value(vn, k); err == nil {
				if r.Extra == nil {
					r.Extra = map[string]any{}
				}
				r.Extra[k] = v
			}
		}
		return err
	})
	if err != nil {
		return err
	}
	if async != nil && asyncInvoke != nil && *async != *asyncInvoke {
		return errAt(doc, "AsyncInvoke", "disagrees with async")
	}
	r.Async = (async != nil && *async) || (asyncInvoke != nil && *asyncInvoke)
	if r.InputJSON == nil {
		r.InputJSON = []byte("null")
	}
	if !hasResult && !hasHistory && !hasLogs {
		return errAt(doc, "", "nothing to check: no ExpectedResult, ExpectedExecutionHistory or ExpectedLogs")
	}
	return nil
}

func prose(n *yaml.Node, key string) (string, error) {
	n = resolveAlias(n)
	if n == nil || n.Kind != yaml.ScalarNode {
		return "", errAt(n, key, "want text")
	}
	return n.Value, nil
}

func boolPtr(n *yaml.Node, key string) (*bool, error) {
	n = resolveAlias(n)
	if n == nil || n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
		return nil, errAt(n, key, "want true or false")
	}
	v, err := scalarValue(n, key)
	if err != nil {
		return nil, err
	}
	b := v.(bool)
	return &b, nil
}

func mapping(n *yaml.Node, key string) (map[string]any, error) {
	n = resolveAlias(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, errAt(n, key, "want a mapping")
	}
	v, err := value(n, key)
	if err != nil {
		return nil, err
	}
	return v.(map[string]any), nil
}

// sequence returns the items of a sequence node; an empty value is an empty list.
func sequence(n *yaml.Node, key string) ([]*yaml.Node, error) {
	n = resolveAlias(n)
	if n == nil || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null") {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, errAt(n, key, "want a list")
	}
	return n.Content, nil
}

func variables(n *yaml.Node, key string) ([]Variable, error) {
	n = resolveAlias(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, errAt(n, key, "want a mapping of NAME: expression")
	}
	var vars []Variable
	known := map[string]string{}
	err := eachPair(n, key, func(k string, kn, vn *yaml.Node) error {
		if !varNamePattern.MatchString(k) {
			return errAt(kn, joinKey(key, k), "variable names are letters, digits and _, not starting with a digit")
		}
		vn = resolveAlias(vn)
		if vn == nil || vn.Kind != yaml.ScalarNode {
			return errAt(vn, joinKey(key, k), "want a scalar expression such as ${GEN_STR:8}")
		}
		if err := checkExpr(vn.Value, known); err != nil {
			return errAt(vn, joinKey(key, k), "%w", err)
		}
		known[k] = ""
		vars = append(vars, Variable{Name: k, Value: vn.Value})
		return nil
	})
	return vars, err
}

func expectedResult(n *yaml.Node, key string) (*ExpectedResult, error) {
	n = resolveAlias(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, errAt(n, key, "want a mapping with ExecutionStatus and, optionally, Result")
	}
	er := &ExpectedResult{}
	err := eachPair(n, key, func(k string, kn, vn *yaml.Node) error {
		switch k {
		case "ExecutionStatus":
			s, err := prose(vn, joinKey(key, k))
			if err != nil {
				return err
			}
			if !contains(ExecutionStatuses, s) {
				return errAt(vn, joinKey(key, k), "%q is not one of %v", s, ExecutionStatuses)
			}
			er.ExecutionStatus = s
		case "Result":
			v, err := value(vn, joinKey(key, k))
			if err != nil {
				return err
			}
			if err := checkRegexes(v, vn, joinKey(key, k), false); err != nil {
				return err
			}
			er.Result, er.HasResult = v, true
		default:
			return errAt(kn, joinKey(key, k), "unknown key (want ExecutionStatus, Result)")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if er.ExecutionStatus == "" {
		return nil, errAt(n, joinKey(key, "ExecutionStatus"), "missing")
	}
	return er, nil
}

func history(n *yaml.Node, key string) ([]map[string]any, error) {
	items, err := sequence(n, key)
	if err != nil {
		return nil, err
	}
	events := make([]map[string]any, 0, len(items))
	ids := map[int64]bool{}
	for i, item := range items {
		ek := fmt.Sprintf("%s[%d]", key, i)
		ev, err := mapping(item, ek)
		if err != nil {
			return nil, err
		}
		id, ok := ev["EventId"].(int64)
		if !ok || id < 1 {
			return nil, errAt(item, ek+".EventId", "want a positive integer (events are paired by EventId)")
		}
		if ids[id] {
			return nil, errAt(item, ek+".EventId", "EventId %d is listed twice", id)
		}
		ids[id] = true
		if _, ok := ev["EventType"].(string); !ok {
			return nil, errAt(item, ek+".EventType", "want the event type")
		}
		if err := checkRegexes(ev, item, ek, false); err != nil {
			return nil, err
		}
		events = append(events, ev)
	}
	return events, nil
}

// list reads a sequence node with one reader per item.
func list[T any](n *yaml.Node, key string, read func(*yaml.Node, string) (T, error)) ([]T, error) {
	items, err := sequence(n, key)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(items))
	for i, item := range items {
		v, err := read(item, fmt.Sprintf("%s[%d]", key, i))
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func callbackAction(n *yaml.Node, key string) (CallbackAction, error) {
	var a CallbackAction
	n = resolveAlias(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return a, errAt(n, key, "want a mapping with CallbackName, Operation, Payload, Delay")
	}
	var payload *yaml.Node
	err := eachPair(n, key, func(k string, kn, vn *yaml.Node) error {
		var err error
		switch k {
		case "CallbackName":
			a.CallbackName, err = prose(vn, joinKey(key, k))
		case "Operation":
			a.Operation, err = prose(vn, joinKey(key, k))
			if err == nil && !contains([]string{CallbackSuccess, CallbackFailure, CallbackHeartbeat}, a.Operation) {
				err = errAt(vn, joinKey(key, k), "%q is not success, failure or heartbeat", a.Operation)
			}
		case "Payload":
			payload = vn
			a.Payload, err = value(vn, joinKey(key, k))
			a.HasPayload = true
		case "Delay":
			a.Delay, err = seconds(vn, joinKey(key, k))
		default:
			err = errAt(kn, joinKey(key, k), "unknown key (want CallbackName, Operation, Payload, Delay)")
		}
		return err
	})
	if err != nil {
		return a, err
	}
	if re, ok := PlaceholderRegex(a.CallbackName); ok {
		if _, err := regexp.Compile(re); err != nil {
			return a, errAt(n, joinKey(key, "CallbackName"), "bad regular expression: %v", err)
		}
	}
	if a.CallbackName == "" {
		return a, errAt(n, joinKey(key, "CallbackName"), "missing (use '*' for any callback)")
	}
	switch a.Operation {
	case "":
		return a, errAt(n, joinKey(key, "Operation"), "missing")
	case CallbackSuccess:
		if payload != nil {
			a.Body, err = pyJSON(payload, joinKey(key, "Payload"))
		}
	case CallbackFailure:
		a.Error, err = errorObject(a.Payload, payload, joinKey(key, "Payload"))
	case CallbackHeartbeat:
		if a.HasPayload {
			err = errAt(payload, joinKey(key, "Payload"), "a heartbeat carries no payload")
		}
	}
	return a, err
}

// seconds reads a non-negative number of seconds.
func seconds(n *yaml.Node, key string) (time.Duration, error) {
	n = resolveAlias(n)
	var f float64
	if n == nil || n.Kind != yaml.ScalarNode {
		return 0, errAt(n, key, "want a number of seconds")
	}
	switch v, err := scalarValue(n, key); x := v.(type) {
	case int64:
		f = float64(x)
	case float64:
		f = x
	default:
		if err != nil {
			return 0, err
		}
		return 0, errAt(n, key, "want a number of seconds, got %q", n.Value)
	}
	if f < 0 || math.IsNaN(f) || f > 366*24*3600 {
		return 0, errAt(n, key, "want 0 to 366 days in seconds, got %s", n.Value)
	}
	return time.Duration(f * float64(time.Second)), nil
}

// errorObject reads the payload of a failure callback.
func errorObject(v any, n *yaml.Node, key string) (*ErrorObject, error) {
	e := &ErrorObject{}
	if v == nil {
		return e, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, errAt(n, key, "want a mapping with ErrorType, ErrorMessage, ErrorData, StackTrace")
	}
	for k, f := range m {
		switch k {
		case "ErrorType", "ErrorMessage", "ErrorData":
			s, ok := f.(string)
			if !ok {
				return nil, errAt(n, joinKey(key, k), "want a string")
			}
			switch k {
			case "ErrorType":
				e.ErrorType = s
			case "ErrorMessage":
				e.ErrorMessage = s
			default:
				e.ErrorData = s
			}
		case "StackTrace":
			lines, ok := f.([]any)
			if !ok {
				return nil, errAt(n, joinKey(key, k), "want a list of strings")
			}
			for _, l := range lines {
				s, ok := l.(string)
				if !ok {
					return nil, errAt(n, joinKey(key, k), "want a list of strings")
				}
				e.StackTrace = append(e.StackTrace, s)
			}
		default:
			return nil, errAt(n, joinKey(key, k), "unknown key (want ErrorType, ErrorMessage, ErrorData, StackTrace)")
		}
	}
	return e, nil
}

func logExpectation(n *yaml.Node, key string) (LogExpectation, error) {
	var le LogExpectation
	n = resolveAlias(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return le, errAt(n, key, "want a mapping with match and count, min_count, max_count, after, before")
	}
	err := eachPair(n, key, func(k string, kn, vn *yaml.Node) error {
		var err error
		switch k {
		case "match":
			le.Match, err = logPattern(vn, joinKey(key, k))
		case "count":
			le.Count, err = count(vn, joinKey(key, k))
		case "min_count":
			le.MinCount, err = count(vn, joinKey(key, k))
		case "max_count":
			le.MaxCount, err = count(vn, joinKey(key, k))
		case "after":
			le.After, err = list(vn, joinKey(key, k), logPattern)
		case "before":
			le.Before, err = list(vn, joinKey(key, k), logPattern)
		default:
			err = errAt(kn, joinKey(key, k), "unknown key (want match, count, min_count, max_count, after, before)")
		}
		return err
	})
	if err != nil {
		return le, err
	}
	switch {
	case le.Match == nil:
		return le, errAt(n, joinKey(key, "match"), "missing")
	case le.Count != nil && (le.MinCount != nil || le.MaxCount != nil):
		return le, errAt(n, joinKey(key, "count"), "count excludes min_count and max_count")
	case le.MinCount != nil && le.MaxCount != nil && *le.MinCount > *le.MaxCount:
		return le, errAt(n, joinKey(key, "min_count"), "min_count %d is above max_count %d", *le.MinCount, *le.MaxCount)
	}
	return le, nil
}

// logPattern reads a non-empty mapping of record fields (a match or an anchor).
func logPattern(n *yaml.Node, key string) (map[string]any, error) {
	m, err := mapping(n, key)
	if err != nil {
		return nil, err
	}
	if len(m) == 0 {
		return nil, errAt(n, key, "want at least one field")
	}
	if err := checkRegexes(m, n, key, true); err != nil {
		return nil, err
	}
	return m, nil
}

func count(n *yaml.Node, key string) (*int, error) {
	n = resolveAlias(n)
	if n != nil && n.Kind == yaml.ScalarNode {
		if v, err := scalarValue(n, key); err == nil {
			if c, ok := v.(int64); ok && c >= 0 && c <= math.MaxInt32 {
				i := int(c)
				return &i, nil
			}
		}
	}
	return nil, errAt(n, key, "want a non-negative integer")
}

// checkRegexes compiles the regular expressions in v that hold no placeholder
// yet (${/re/} anywhere; /re/ too in log patterns), so a bad one is reported
// when the file is loaded.
func checkRegexes(v any, n *yaml.Node, key string, logs bool) error {
	switch x := v.(type) {
	case map[string]any:
		for k, f := range x {
			if err := checkRegexes(f, n, joinKey(key, k), logs); err != nil {
				return err
			}
		}
	case []any:
		for i, f := range x {
			if err := checkRegexes(f, n, fmt.Sprintf("%s[%d]", key, i), logs); err != nil {
				return err
			}
		}
	case string:
		re, ok := PlaceholderRegex(x)
		if !ok && logs {
			re, ok = LogRegex(x)
		}
		if ok && len(Refs(re)) == 0 {
			if _, err := regexp.Compile(re); err != nil {
				return errAt(n, key, "bad regular expression: %w", err)
			}
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
