package harness

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ErrKnownFailures is wrapped by the errors of ReadKnownFailures.
var ErrKnownFailures = errors.New("bad known-failures list")

// KnownFailures maps the ids of requirements expected to fail to the reason.
// A listed requirement that fails is skipped with its reason; one that
// passes must be removed from the list, so that the list only shrinks.
type KnownFailures map[string]string

// ReadKnownFailures parses a known-failures list: one requirement id per line,
// then, after blanks, the one-line reason. Blank lines and lines starting
// with # are ignored. An id without a reason, or listed twice, is an error.
func ReadKnownFailures(r io.Reader) (KnownFailures, error) {
	known := KnownFailures{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, reason, _ := strings.Cut(line, " ")
		if i := strings.IndexByte(id, '\t'); i >= 0 {
			id, reason = id[:i], id[i+1:]+" "+reason
		}
		reason = strings.TrimSpace(reason)
		if reason == "" {
			return nil, fmt.Errorf("%w: line %d: %q has no reason", ErrKnownFailures, n, id)
		}
		if _, dup := known[id]; dup {
			return nil, fmt.Errorf("%w: line %d: %q is listed twice", ErrKnownFailures, n, id)
		}
		known[id] = reason
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrKnownFailures, err)
	}
	return known, nil
}
