package checkpoint

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"
)

// Timestamp is a point in time as it travels inside the invocation event.
//
// It encodes as integer epoch milliseconds, the form Lambda uses. It decodes
// integer epoch milliseconds, fractional epoch seconds (a number with a
// fraction, or one too small to be milliseconds) and RFC 3339 strings, the
// forms other emulators send. The zero Timestamp means "absent".
type Timestamp struct{ time.Time }

// At returns t as a Timestamp.
func At(t time.Time) Timestamp { return Timestamp{t} }

// secondsCutoff separates epoch seconds from epoch milliseconds: 1e11 ms is
// March 1973, 1e11 s is the year 5138.
const secondsCutoff = 1e11

// MarshalJSON encodes t as epoch milliseconds.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return strconv.AppendInt(nil, t.UnixMilli(), 10), nil
}

// UnmarshalJSON decodes epoch milliseconds, epoch seconds or RFC 3339.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || bytes.Equal(b, []byte("null")) {
		*t = Timestamp{}
		return nil
	}
	if b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("timestamp: %w", err)
		}
		if s == "" {
			*t = Timestamp{}
			return nil
		}
		parsed, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return fmt.Errorf("timestamp %q: want epoch milliseconds or RFC 3339: %w", s, err)
		}
		*t = Timestamp{parsed}
		return nil
	}
	if n, ok := exactInteger(b); ok {
		// What the float path below computes, without parsing a float.
		if math.Abs(float64(n)) >= secondsCutoff {
			*t = Timestamp{time.UnixMilli(n)}
		} else {
			*t = Timestamp{time.Unix(n, 0)}
		}
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return fmt.Errorf("timestamp %s: want epoch milliseconds or RFC 3339", b)
	}
	isInt := bytes.IndexAny(b, ".eE") < 0
	if isInt && math.Abs(f) >= secondsCutoff {
		*t = Timestamp{time.UnixMilli(int64(f))}
		return nil
	}
	sec, frac := math.Modf(f)
	*t = Timestamp{time.Unix(int64(sec), int64(math.Round(frac*1e9)))}
	return nil
}

// exactInteger decodes an optional minus sign and up to 15 decimal digits:
// an integer that a float64 holds exactly, so that the float path would
// decode it to the same value.
func exactInteger(b []byte) (int64, bool) {
	digits := b
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if len(digits) == 0 || len(digits) > 15 {
		return 0, false
	}
	var n int64
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if len(digits) < len(b) {
		n = -n
	}
	return n, true
}
