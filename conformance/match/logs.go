package match

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/lambda-durable/durable/conformance/spec"
)

// DecodeLogs reads log output, one record per line, in order. A line holding a
// JSON object is that object (numbers kept exact); any other non-blank line
// becomes {"message": line}. Records are kept as written: a key is never
// renamed, so a requirement on "message" fails against a logger that writes
// "msg".
func DecodeLogs(r io.Reader) ([]map[string]any, error) {
	br := bufio.NewReader(r)
	var records []map[string]any
	for {
		line, err := br.ReadBytes('\n')
		if text := bytes.TrimSpace(line); len(text) > 0 {
			records = append(records, decodeRecord(text))
		}
		if errors.Is(err, io.EOF) {
			return records, nil
		}
		if err != nil {
			return records, err
		}
	}
}

func decodeRecord(line []byte) map[string]any {
	v, err := DecodeJSON(line)
	rec, ok := v.(map[string]any)
	if err != nil || !ok {
		return map[string]any{"message": string(line)}
	}
	return rec
}

// LogMismatch reports an ExpectedLogs entry the records do not satisfy.
type LogMismatch struct {
	Index  int            // position of the entry in ExpectedLogs
	Match  map[string]any // its match fields, placeholders resolved
	Reason string
}

// Error formats the failure as "ExpectedLogs[i] {match}: reason".
func (e *LogMismatch) Error() string {
	return fmt.Sprintf("ExpectedLogs[%d] %s: %s", e.Index, Show(e.Match), e.Reason)
}

// Logs checks the records against every expectation in order and returns the
// first failure as a *LogMismatch (nil when all hold).
//
// A record matches a pattern when it has every field of the pattern with a
// matching value (values follow the rules of the package doc, and a string
// "/re/" is a regular expression searched in the field's text). Placeholders
// are resolved with the bindings b from the history; one that is not bound is
// a failure. The number of matching records must satisfy count, min_count and
// max_count (at least one when none is given). For each anchor in after, every
// matching record must come at or after every record matching the anchor
// (before: at or before); an anchor that matches no record is a failure.
func Logs(exps []spec.LogExpectation, records []map[string]any, b Bindings) error {
	for i, exp := range exps {
		if err := checkLog(i, exp, records, b); err != nil {
			return err
		}
	}
	return nil
}

func checkLog(i int, exp spec.LogExpectation, records []map[string]any, b Bindings) error {
	fail := func(match map[string]any, format string, args ...any) error {
		return &LogMismatch{Index: i, Match: match, Reason: fmt.Sprintf(format, args...)}
	}
	pattern, err := resolvePattern(exp.Match, b)
	if err != nil {
		return fail(exp.Match, "%v", err)
	}
	hits := matching(pattern, records)
	n := len(hits)
	switch {
	case exp.Count != nil && n != *exp.Count:
		return fail(pattern, "want exactly %d matching records, got %d%s", *exp.Count, n, showRecords(records, hits))
	case exp.MinCount != nil && n < *exp.MinCount:
		return fail(pattern, "want at least %d matching records, got %d%s", *exp.MinCount, n, showRecords(records, hits))
	case exp.MaxCount != nil && n > *exp.MaxCount:
		return fail(pattern, "want at most %d matching records, got %d%s", *exp.MaxCount, n, showRecords(records, hits))
	case exp.Count == nil && exp.MinCount == nil && exp.MaxCount == nil && n == 0:
		return fail(pattern, "want at least one matching record, got none among %d records", len(records))
	}
	for _, side := range []struct {
		name    string
		anchors []map[string]any
	}{{"after", exp.After}, {"before", exp.Before}} {
		for j, a := range side.anchors {
			anchor, err := resolvePattern(a, b)
			if err != nil {
				return fail(pattern, "%s[%d]: %v", side.name, j, err)
			}
			at := matching(anchor, records)
			if len(at) == 0 {
				return fail(pattern, "%s[%d] %s matches no record", side.name, j, Show(anchor))
			}
			for _, h := range hits {
				if side.name == "after" && h < at[len(at)-1] {
					return fail(pattern, "record #%d %s comes before record #%d %s, which matches %s[%d]",
						h, Show(records[h]), at[len(at)-1], Show(records[at[len(at)-1]]), side.name, j)
				}
				if side.name == "before" && h > at[0] {
					return fail(pattern, "record #%d %s comes after record #%d %s, which matches %s[%d]",
						h, Show(records[h]), at[0], Show(records[at[0]]), side.name, j)
				}
			}
		}
	}
	return nil
}

// resolvePattern substitutes bound placeholders in a log pattern: a whole
// ${NAME} value becomes the bound value, embedded ones its text (escaped
// inside a regular expression).
func resolvePattern(p map[string]any, b Bindings) (map[string]any, error) {
	out := make(map[string]any, len(p))
	for k, v := range p {
		r, err := resolveValue(v, b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		out[k] = r
	}
	return out, nil
}

func resolveValue(v any, b Bindings) (any, error) {
	switch x := v.(type) {
	case string:
		if name, ok := spec.PlaceholderName(x); ok {
			if bound, ok := b[name]; ok {
				return bound, nil
			}
		}
		_, isRe := spec.LogRegex(x)
		_, isHistRe := spec.PlaceholderRegex(x)
		s := spec.Substitute(x, b.Text, isRe || isHistRe)
		if names := spec.Refs(s); len(names) > 0 {
			return nil, fmt.Errorf("placeholder ${%s} is not bound by the history", names[0])
		}
		return s, nil
	case map[string]any:
		return resolvePattern(x, b)
	case []any:
		out := make([]any, len(x))
		for i, f := range x {
			r, err := resolveValue(f, b)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	}
	return v, nil
}

// matching returns the indexes of the records that match the pattern.
func matching(pattern map[string]any, records []map[string]any) []int {
	var hits []int
	for i, rec := range records {
		if recordMatches(pattern, rec) {
			hits = append(hits, i)
		}
	}
	return hits
}

func recordMatches(pattern, rec map[string]any) bool {
	m := matcher{b: Bindings{}, logs: true}
	for _, k := range sortedKeys(pattern) {
		v, ok := rec[k]
		if m.match(k, pattern[k], v, ok) != nil {
			return false
		}
	}
	return true
}

// showRecords lists a few of the records at the given indexes for a message.
func showRecords(records []map[string]any, idx []int) string {
	const maxListed = 3
	if len(idx) == 0 {
		return ""
	}
	var parts []string
	for _, i := range idx[:min(len(idx), maxListed)] {
		parts = append(parts, fmt.Sprintf("#%d %s", i, Show(records[i])))
	}
	if len(idx) > maxListed {
		parts = append(parts, fmt.Sprintf("and %d more", len(idx)-maxListed))
	}
	return ": " + strings.Join(parts, ", ")
}
