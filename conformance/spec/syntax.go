package spec

import (
	"regexp"
	"strings"
)

// refPattern finds ${NAME} references; ${/regex/} and ${GEN_STR:n} do not match.
var refPattern = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// PlaceholderName reports whether s is exactly one ${NAME} reference, and returns NAME.
func PlaceholderName(s string) (string, bool) {
	m := refPattern.FindStringSubmatchIndex(s)
	if m == nil || m[0] != 0 || m[1] != len(s) {
		return "", false
	}
	return s[m[2]:m[3]], true
}

// PlaceholderRegex reports whether s has the history form ${/regex/}, and returns regex.
func PlaceholderRegex(s string) (string, bool) {
	if len(s) >= 5 && strings.HasPrefix(s, "${/") && strings.HasSuffix(s, "/}") {
		return s[3 : len(s)-2], true
	}
	return "", false
}

// LogRegex reports whether s has the log-match form /regex/, and returns regex.
func LogRegex(s string) (string, bool) {
	if len(s) >= 2 && s[0] == '/' && s[len(s)-1] == '/' {
		return s[1 : len(s)-1], true
	}
	return "", false
}

// Refs returns the names of the ${NAME} references in s, in order of appearance.
func Refs(s string) []string {
	var names []string
	for _, m := range refPattern.FindAllStringSubmatch(s, -1) {
		names = append(names, m[1])
	}
	return names
}

// Substitute replaces every ${NAME} reference in s for which lookup reports a
// value; other references are left as written. With quote set, the values are
// escaped for use inside a regular expression.
func Substitute(s string, lookup func(name string) (string, bool), quote bool) string {
	return refPattern.ReplaceAllStringFunc(s, func(ref string) string {
		v, ok := lookup(ref[2 : len(ref)-1])
		if !ok {
			return ref
		}
		if quote {
			return regexp.QuoteMeta(v)
		}
		return v
	})
}

// Template splits s into literal text and ${NAME} references: Literals has one
// more element than Names, and s is Literals[0] + ${Names[0]} + Literals[1] + ...
func Template(s string) (literals, names []string) {
	last := 0
	for _, m := range refPattern.FindAllStringSubmatchIndex(s, -1) {
		literals = append(literals, s[last:m[0]])
		names = append(names, s[m[2]:m[3]])
		last = m[1]
	}
	return append(literals, s[last:]), names
}
