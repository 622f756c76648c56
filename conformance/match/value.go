package match

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"regexp"
	"slices"
	"strings"

	"github.com/lambda-durable/durable/conformance/spec"
)

// Bindings holds the values placeholders were bound to, by placeholder name
// (ID1 for ${ID1}).
type Bindings map[string]any

// Text returns the bound value of name as text: scalars as scalarText
// writes them, objects and lists as JSON.
func (b Bindings) Text(name string) (string, bool) {
	v, ok := b[name]
	if !ok {
		return "", false
	}
	if s, ok := scalarText(v); ok {
		return s, true
	}
	data, err := json.Marshal(v)
	return string(data), err == nil
}

// matcher compares expected against actual values, binding placeholders.
type matcher struct {
	b    Bindings
	logs bool // a "/re/" string is a regular expression too
}

// Value matches actual against expected under the rules of the package doc,
// binding placeholders in b. present reports whether the actual value exists.
// A nil result means the value matches.
func Value(expected, actual any, present bool, b Bindings) *Mismatch {
	m := matcher{b: b}
	return m.match("", expected, actual, present)
}

func (m *matcher) match(path string, exp, act any, present bool) *Mismatch {
	miss := func(reason string) *Mismatch {
		return &Mismatch{Path: path, Expected: exp, Actual: act, Absent: !present, Reason: reason}
	}
	switch e := exp.(type) {
	case nil:
		if present && act != nil {
			return miss("expected null or no value")
		}
		return nil
	case map[string]any:
		if len(e) == 0 {
			return nil // {}: don't care
		}
		if !present {
			return miss("missing")
		}
		a, ok := act.(map[string]any)
		if !ok {
			return miss("expected an object")
		}
		for _, k := range sortedKeys(e) {
			v, ok := a[k]
			if mm := m.match(joinPath(path, k), e[k], v, ok); mm != nil {
				return mm
			}
		}
		return nil
	case []any:
		if !present {
			return miss("missing")
		}
		a, ok := act.([]any)
		if !ok {
			return miss("expected a list")
		}
		if len(a) != len(e) {
			return miss(fmt.Sprintf("expected %d items, got %d", len(e), len(a)))
		}
		for i := range e {
			if mm := m.match(fmt.Sprintf("%s[%d]", path, i), e[i], a[i], true); mm != nil {
				return mm
			}
		}
		return nil
	case string:
		return m.matchString(path, e, act, present)
	case bool:
		if !present {
			return miss("missing")
		}
		if a, ok := act.(bool); !ok || a != e {
			return miss("not equal")
		}
		return nil
	}
	if er, ok := toRat(exp); ok {
		if !present {
			return miss("missing")
		}
		ar, ok := toRat(act)
		if !ok {
			return miss("expected a number")
		}
		if er.Cmp(ar) != 0 {
			return miss("not equal")
		}
		return nil
	}
	return miss(fmt.Sprintf("unsupported expected value of type %T", exp))
}

func (m *matcher) matchString(path, exp string, act any, present bool) *Mismatch {
	miss := func(reason string) *Mismatch {
		return &Mismatch{Path: path, Expected: exp, Actual: act, Absent: !present, Reason: reason}
	}
	if exp == "*" {
		if !present {
			return miss("missing")
		}
		return nil
	}
	re, isRegex := spec.PlaceholderRegex(exp)
	if !isRegex && m.logs {
		re, isRegex = spec.LogRegex(exp)
	}
	if isRegex {
		if !present {
			return miss("missing")
		}
		text, ok := scalarText(act)
		if !ok {
			return miss("a regular expression needs a scalar value")
		}
		re = spec.Substitute(re, m.b.Text, true)
		if names := spec.Refs(re); len(names) > 0 {
			return miss(fmt.Sprintf("placeholder ${%s} in a regular expression is not bound", names[0]))
		}
		rx, err := regexp.Compile(re)
		if err != nil {
			return miss("bad regular expression: " + err.Error())
		}
		if !rx.MatchString(text) {
			return miss("does not match the regular expression")
		}
		return nil
	}
	if name, ok := spec.PlaceholderName(exp); ok {
		if !present {
			return miss("missing")
		}
		if bound, ok := m.b[name]; ok {
			if !same(bound, act) {
				return miss(fmt.Sprintf("${%s} is bound to %s", name, Show(bound)))
			}
			return nil
		}
		m.b[name] = act
		return nil
	}
	if !present {
		return miss("missing")
	}
	a, ok := act.(string)
	if !ok {
		return miss("expected a string")
	}
	if len(spec.Refs(exp)) > 0 {
		return m.matchTemplate(exp, a, miss)
	}
	if a != exp {
		return miss("not equal")
	}
	return nil
}

// matchTemplate matches a string holding placeholders among literal text:
// bound ones must appear as bound, unbound ones bind to the text at their place.
func (m *matcher) matchTemplate(exp, act string, miss func(string) *Mismatch) *Mismatch {
	literals, names := spec.Template(exp)
	var pattern strings.Builder
	pattern.WriteString(`(?s)^`)
	var groups []string // unbound names, one per capture group
	for i, name := range names {
		pattern.WriteString(regexp.QuoteMeta(literals[i]))
		if text, ok := m.b.Text(name); ok {
			pattern.WriteString(regexp.QuoteMeta(text))
			continue
		}
		pattern.WriteString(`(.*)`)
		groups = append(groups, name)
	}
	pattern.WriteString(regexp.QuoteMeta(literals[len(literals)-1]) + `$`)
	sub := regexp.MustCompile(pattern.String()).FindStringSubmatch(act)
	if sub == nil {
		return miss("does not fit the template")
	}
	captured := map[string]string{}
	for i, name := range groups {
		if prev, ok := captured[name]; ok && prev != sub[i+1] {
			return miss(fmt.Sprintf("${%s} stands for both %q and %q", name, prev, sub[i+1]))
		}
		captured[name] = sub[i+1]
	}
	for name, v := range captured {
		m.b[name] = v
	}
	return nil
}

// same reports whether two actual values are equal (numbers by value).
func same(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !same(v, w) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !same(x[i], y[i]) {
				return false
			}
		}
		return true
	case string:
		y, ok := b.(string)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case nil:
		return b == nil
	}
	ra, okA := toRat(a)
	rb, okB := toRat(b)
	return okA && okB && ra.Cmp(rb) == 0
}

// scalarText renders a scalar as text: strings as they are, numbers and
// booleans as JSON writes them, null as "null". Objects and lists are not scalars.
func scalarText(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case nil:
		return "null", true
	case bool:
		if x {
			return "true", true
		}
		return "false", true
	case map[string]any, []any:
		return "", false
	}
	if _, ok := toRat(v); ok {
		data, err := json.Marshal(v)
		return string(data), err == nil
	}
	return "", false
}

// toRat converts a number to an exact rational; ok is false for non-numbers.
func toRat(v any) (*big.Rat, bool) {
	r := new(big.Rat)
	switch x := v.(type) {
	case int:
		return r.SetInt64(int64(x)), true
	case int32:
		return r.SetInt64(int64(x)), true
	case int64:
		return r.SetInt64(x), true
	case uint64:
		return r.SetUint64(x), true
	case float32:
		return toRat(float64(x))
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, false
		}
		return r.SetFloat64(x), true
	case json.Number:
		_, ok := r.SetString(string(x))
		return r, ok
	}
	return nil, false
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func joinPath(parent, k string) string {
	if parent == "" {
		return k
	}
	return parent + "." + k
}
