package telemetry

import (
	"fmt"
	"regexp"
	"strconv"

	"github.com/lambda-durable/durable/conformance/spec"
)

// matches reports whether actual matches the expected pattern:
//   - "*" matches anything;
//   - "${/re/}" searches re in the string form of actual;
//   - a mapping that is exactly {$any_of: [...]} matches when an alternative
//     does;
//   - another mapping matches a mapping holding every key with a matching
//     value (extra keys are ignored);
//   - a list matches a list of the same length, element by element;
//   - a scalar matches an equal value of the same type (nil matches nil).
func matches(expected, actual any) bool {
	switch exp := expected.(type) {
	case string:
		if exp == "*" {
			return true
		}
		if re, ok := spec.PlaceholderRegex(exp); ok {
			rx, err := regexp.Compile(re)
			return err == nil && rx.MatchString(stringForm(actual))
		}
		act, ok := actual.(string)
		return ok && act == exp
	case map[string]any:
		if alts, ok := anyOf(exp); ok {
			for _, alt := range alts {
				if matches(alt, actual) {
					return true
				}
			}
			return false
		}
		act, ok := actual.(map[string]any)
		if !ok {
			return false
		}
		for k, v := range exp {
			a, present := act[k]
			if !present || !matches(v, a) {
				return false
			}
		}
		return true
	case []any:
		act, ok := actual.([]any)
		if !ok || len(act) != len(exp) {
			return false
		}
		for i := range exp {
			if !matches(exp[i], act[i]) {
				return false
			}
		}
		return true
	case nil:
		return actual == nil
	case int:
		return sameInt(int64(exp), actual)
	case int64:
		return sameInt(exp, actual)
	case float64:
		act, ok := actual.(float64)
		return ok && act == exp
	case bool:
		act, ok := actual.(bool)
		return ok && act == exp
	}
	return false
}

func sameInt(exp int64, actual any) bool {
	switch a := actual.(type) {
	case int64:
		return a == exp
	case int:
		return int64(a) == exp
	}
	return false
}

// anyOf returns the alternatives of a {$any_of: [...]} pattern.
func anyOf(m map[string]any) ([]any, bool) {
	if len(m) != 1 {
		return nil, false
	}
	alts, ok := m["$any_of"].([]any)
	return alts, ok && len(alts) > 0
}

// stringForm is a value as a regular expression sees it.
func stringForm(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case nil:
		return "null"
	}
	return fmt.Sprint(v)
}

// substitute replaces bound ${NAME} references in every string value
// (mapping keys stay as written; ${/re/} patterns are left alone).
func substitute(v any, lookup func(string) (string, bool)) any {
	switch x := v.(type) {
	case string:
		if _, isRegex := spec.PlaceholderRegex(x); isRegex {
			return x
		}
		return spec.Substitute(x, lookup, false)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = substitute(e, lookup)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = substitute(e, lookup)
		}
		return out
	}
	return v
}
