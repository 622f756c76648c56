package match

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Mismatch describes the first point where an actual value departs from the
// expected one.
type Mismatch struct {
	EventID   int64  // the history event, by EventId; 0 for the execution result
	EventType string // the expected event's type, when EventID is set
	Path      string // field path inside the event or result, e.g. "StepSucceededDetails.Result.Payload"
	Expected  any    // the expected value as written in the requirement
	Actual    any    // the actual value; meaningless when Absent
	Absent    bool   // the actual value is missing
	Reason    string // why it does not match
}

// Error formats the mismatch as "event 3 (StepSucceeded): Path: reason: expected X, got Y".
func (m *Mismatch) Error() string {
	var b strings.Builder
	switch {
	case m.EventID > 0:
		fmt.Fprintf(&b, "event %d (%s)", m.EventID, m.EventType)
	default:
		b.WriteString("result")
	}
	if m.Path != "" {
		b.WriteString(": " + m.Path)
	}
	if m.Reason != "" {
		b.WriteString(": " + m.Reason)
	}
	got := "<absent>"
	if !m.Absent {
		got = Show(m.Actual)
	}
	fmt.Fprintf(&b, ": expected %s, got %s", Show(m.Expected), got)
	return b.String()
}

// maxShow bounds the length of a value shown in a message.
const maxShow = 300

// Show renders a value compactly as JSON for messages, cut to a few hundred characters.
func Show(v any) string {
	data, err := json.Marshal(v)
	s := string(data)
	if err != nil {
		s = fmt.Sprintf("%v", v)
	}
	if len(s) > maxShow {
		s = s[:maxShow] + fmt.Sprintf("...(%d bytes)", len(s))
	}
	return s
}
