// Package match checks what an execution did against a conformance
// requirement: the history (History), the outcome (Result) and the structured
// logs (Logs).
//
// Values on both sides are plain JSON-like Go values: map[string]any, []any,
// string, bool, nil and numbers (int64, float64, json.Number, ...; numbers are
// compared by value, so the YAML integer 2 equals the JSON number 2.0). The
// expected side follows the rules of testdata/README.md:
//
//   - only the keys of an expected object are checked, recursively;
//   - '*' accepts any present value, {} accepts anything, even an absent field;
//   - ${NAME} binds to the actual value on first use, later uses must be equal;
//     a placeholder inside a longer string binds to the text at its place;
//   - ${/regex/} must find a match in the actual value (a scalar, as text);
//   - null accepts an absent field or null; anything else must be equal.
//
// Bindings made while matching the history are shared with the result and log
// checks of the same run.
package match
