package match

import (
	"encoding/json"
	"strings"
	"testing"
)

// absent marks an actual value that is missing.
type absentT struct{}

var absent = absentT{}

func check(exp, act any, b Bindings) *Mismatch {
	if act == absent {
		return Value(exp, nil, false, b)
	}
	return Value(exp, act, true, b)
}

func TestValueRules(t *testing.T) {
	cases := []struct {
		name     string
		exp, act any
		ok       bool
	}{
		{"star any string", "*", "x", true},
		{"star any object", "*", map[string]any{"a": 1}, true},
		{"star null", "*", nil, true},
		{"star absent", "*", absent, false},
		{"empty object absent", map[string]any{}, absent, true},
		{"empty object string", map[string]any{}, "x", true},
		{"empty object object", map[string]any{}, map[string]any{"a": 1}, true},
		{"string equal", "abc", "abc", true},
		{"string differs", "abc", "abd", false},
		{"string vs number", "2", json.Number("2"), false},
		{"string absent", "abc", absent, false},
		{"int vs json number", int64(2), json.Number("2"), true},
		{"int vs json float", int64(2), json.Number("2.0"), true},
		{"int vs float64", int64(10), float64(10), true},
		{"float vs json", 2.5, json.Number("2.5"), true},
		{"int differs", int64(2), json.Number("3"), false},
		{"int vs string", int64(2), "2", false},
		{"int absent", int64(2), absent, false},
		{"big ints exact", json.Number("9007199254740993"), json.Number("9007199254740992"), false},
		{"bool equal", true, true, true},
		{"bool differs", true, false, false},
		{"bool vs string", true, "true", false},
		{"null vs absent", nil, absent, true},
		{"null vs null", nil, nil, true},
		{"null vs value", nil, "x", false},
		{"object subset", map[string]any{"a": "1"}, map[string]any{"a": "1", "b": "2"}, true},
		{"object nested differs", map[string]any{"a": map[string]any{"b": "1"}}, map[string]any{"a": map[string]any{"b": "2"}}, false},
		{"object key absent", map[string]any{"a": "1"}, map[string]any{"b": "1"}, false},
		{"object vs string", map[string]any{"a": "1"}, "a", false},
		{"object absent", map[string]any{"a": "1"}, absent, false},
		{"list equal", []any{"a", int64(1)}, []any{"a", json.Number("1")}, true},
		{"list longer", []any{"a"}, []any{"a", "b"}, false},
		{"list item differs", []any{"a", "b"}, []any{"a", "c"}, false},
		{"list vs object", []any{}, map[string]any{}, false},
		{"regex string", "${/^[0-5]$/}", "3", true},
		{"regex number", "${/^[0-5]$/}", json.Number("3"), true},
		{"regex number rejects", "${/^[0-5]$/}", json.Number("7"), false},
		{"regex searches", "${/TransientError$/}", "my.TransientError", true},
		{"regex rejects", "${/TransientError$/}", "TransientErrorX", false},
		{"regex object", "${/.*/}", map[string]any{}, false},
		{"regex absent", "${/.*/}", absent, false},
		{"log regex is plain text in history", "/a/", "xax", false},
		{"log regex literal equal in history", "/a/", "/a/", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mm := check(c.exp, c.act, Bindings{})
			if (mm == nil) != c.ok {
				t.Errorf("Value(%#v, %#v) = %v, want ok=%v", c.exp, c.act, mm, c.ok)
			}
		})
	}
}

func TestPlaceholdersBind(t *testing.T) {
	b := Bindings{}
	if mm := check("${ID1}", "abc", b); mm != nil {
		t.Fatalf("first use: %v", mm)
	}
	if b["ID1"] != "abc" {
		t.Fatalf("bindings = %v", b)
	}
	if mm := check("${ID1}", "abc", b); mm != nil {
		t.Errorf("same value: %v", mm)
	}
	mm := check("${ID1}", "abd", b)
	if mm == nil || !strings.Contains(mm.Reason, `${ID1} is bound to "abc"`) {
		t.Errorf("other value: %v, want a mismatch naming the binding", mm)
	}
	if mm := check("${ID2}", absent, b); mm == nil || mm.Reason != "missing" {
		t.Errorf("absent: %v, want missing", mm)
	}
	if _, bound := b["ID2"]; bound {
		t.Error("an absent value was bound")
	}
	// Numbers bind by value.
	if mm := check("${N}", json.Number("2"), b); mm != nil {
		t.Fatal(mm)
	}
	if mm := check("${N}", float64(2), b); mm != nil {
		t.Errorf("2 vs 2.0: %v", mm)
	}
	if mm := check("${N}", "2", b); mm == nil {
		t.Error(`number binding matched the string "2"`)
	}
	// Objects bind too, and compare deeply.
	if mm := check("${O}", map[string]any{"a": []any{"x"}}, b); mm != nil {
		t.Fatal(mm)
	}
	if mm := check("${O}", map[string]any{"a": []any{"y"}}, b); mm == nil {
		t.Error("object binding matched another object")
	}
	// A placeholder inside a regex uses the bound text.
	if mm := check("${/^ab/}", "abc", b); mm != nil {
		t.Error(mm)
	}
	if mm := check("${/^${ID1}$/}", "abc", b); mm != nil {
		t.Errorf("regex with bound placeholder: %v", mm)
	}
	if mm := check("${/^${ID1}$/}", "abcd", b); mm == nil {
		t.Error("regex with bound placeholder matched another value")
	}
	if mm := check("${/^${NOPE}$/}", "x", b); mm == nil || !strings.Contains(mm.Reason, "not bound") {
		t.Errorf("regex with unbound placeholder: %v", mm)
	}
}

func TestTemplatePlaceholders(t *testing.T) {
	b := Bindings{}
	if mm := check(`"${P}"`, `"xyz"`, b); mm != nil || b["P"] != "xyz" {
		t.Fatalf("bind inside quotes: %v, bindings %v", mm, b)
	}
	if mm := check(`"${P}"`, `"xyz"`, b); mm != nil {
		t.Errorf("bound inside quotes: %v", mm)
	}
	if mm := check(`"${P}"`, `"xy"`, b); mm == nil {
		t.Error("bound template matched another value")
	}
	if mm := check(`${A}-${A}`, `1-2`, b); mm == nil || !strings.Contains(mm.Reason, "stands for both") {
		t.Errorf("one placeholder, two texts: %v", mm)
	}
	if _, bound := b["A"]; bound {
		t.Error("a failed template bound its placeholder")
	}
	if mm := check(`a.${B}`, `abc`, b); mm == nil {
		t.Error("template literal text is not a regex: a.${B} matched abc")
	}
	if mm := check(`x${C}`, json.Number("1"), b); mm == nil {
		t.Error("template matched a number")
	}
}

func TestMismatchError(t *testing.T) {
	mm := &Mismatch{EventID: 3, EventType: "StepSucceeded", Path: "StepSucceededDetails.Result.Payload",
		Expected: `"a"`, Actual: `"b"`, Reason: "not equal"}
	want := `event 3 (StepSucceeded): StepSucceededDetails.Result.Payload: not equal: expected "\"a\"", got "\"b\""`
	if mm.Error() != want {
		t.Errorf("got  %s\nwant %s", mm.Error(), want)
	}
	mm = &Mismatch{Path: "Result", Expected: "x", Absent: true, Reason: "missing"}
	if got := mm.Error(); got != `result: Result: missing: expected "x", got <absent>` {
		t.Errorf("got %s", got)
	}
	long := strings.Repeat("x", 1000)
	if s := Show(long); len(s) > maxShow+30 || !strings.Contains(s, "(1002 bytes)") {
		t.Errorf("Show did not cut a long value: %d chars %q", len(s), s[len(s)-20:])
	}
}
