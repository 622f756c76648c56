package match

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/lambda-durable/durable/conformance/spec"
)

// Result checks an execution's outcome: its status, and, when the requirement
// states a Result, the execution's result string after one JSON decode. A nil
// or empty result string counts as absent. exp may be nil (nothing to check).
func Result(exp *spec.ExpectedResult, status string, result *string, b Bindings) error {
	if exp == nil {
		return nil
	}
	if status != exp.ExecutionStatus {
		return &Mismatch{Path: "ExecutionStatus", Expected: exp.ExecutionStatus, Actual: status, Reason: "not equal"}
	}
	if !exp.HasResult {
		return nil
	}
	var actual any
	present := result != nil && *result != ""
	if present {
		var err error
		if actual, err = DecodeJSON([]byte(*result)); err != nil {
			return &Mismatch{Path: "Result", Expected: exp.Result, Actual: *result, Reason: "the result is not JSON: " + err.Error()}
		}
	}
	if mm := (&matcher{b: b}).match("Result", exp.Result, actual, present); mm != nil {
		return mm
	}
	return nil
}

// DecodeJSON decodes one JSON value, keeping numbers exact (json.Number).
func DecodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, &json.SyntaxError{Offset: dec.InputOffset()}
	}
	return v, nil
}

// Plain converts v (for instance a []types.Event of the AWS SDK, whose fields
// carry the wire names) into the plain form the matchers compare: a JSON round
// trip with exact numbers, where null fields are dropped, as the wire omits them.
func Plain(v any) (any, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	out, err := DecodeJSON(data)
	if err != nil {
		return nil, err
	}
	return dropNulls(out), nil
}

// ErrNotEvents is returned by Events for a value that is not a list of objects.
var ErrNotEvents = errors.New("not a list of event objects")

// Events converts a list of events (see Plain) into the form History compares.
func Events(events any) ([]map[string]any, error) {
	v, err := Plain(events)
	if err != nil {
		return nil, err
	}
	list, ok := v.([]any)
	if !ok && v != nil {
		return nil, fmt.Errorf("%w: got %T", ErrNotEvents, v)
	}
	out := make([]map[string]any, 0, len(list))
	for _, item := range list {
		ev, ok := item.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%w: an item is %T", ErrNotEvents, item)
		}
		out = append(out, ev)
	}
	return out, nil
}

func dropNulls(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, f := range x {
			if f == nil {
				delete(x, k)
				continue
			}
			x[k] = dropNulls(f)
		}
	case []any:
		for i := range x {
			x[i] = dropNulls(x[i])
		}
	}
	return v
}
