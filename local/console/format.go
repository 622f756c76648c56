package console

import (
	"strings"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
)

// timeLayout shows instants to the millisecond, in UTC.
const timeLayout = "2006-01-02 15:04:05.000"

// formatTime renders an instant, or "" for the zero time.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeLayout)
}

// formatDuration renders a duration rounded to what a reader needs: whole
// milliseconds under a minute, whole seconds above.
func formatDuration(d time.Duration) string {
	switch {
	case d < 0:
		return ""
	case d < time.Minute:
		return d.Round(time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}

// span renders how long something took from start to end, or up to now
// when it has not ended.
func span(start, end, now time.Time) string {
	if start.IsZero() {
		return ""
	}
	if end.IsZero() {
		end = now
	}
	return formatDuration(end.Sub(start))
}

// formatError renders an error object as "Type: message", with its data
// and stack trace on the following lines.
func formatError(eo *checkpoint.ErrorObject) string {
	if eo == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString(eo.ErrorType)
	if eo.ErrorMessage != "" {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(eo.ErrorMessage)
	}
	if eo.ErrorData != "" {
		b.WriteString("\ndata: ")
		b.WriteString(eo.ErrorData)
	}
	for _, line := range eo.StackTrace {
		b.WriteString("\n  ")
		b.WriteString(line)
	}
	if b.Len() == 0 {
		return "(an error without type or message)"
	}
	return b.String()
}

// statusClass maps a status to a CSS class name ("succeeded", "timed-out").
func statusClass(status string) string {
	return strings.ReplaceAll(strings.ToLower(status), "_", "-")
}

// clip shortens s to at most n runes, ending it with "…" when cut.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:max(n-1, 0)]) + "…"
}
