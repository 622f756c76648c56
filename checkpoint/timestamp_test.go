package checkpoint

import (
	"math"
	"strconv"
	"testing"
	"time"
)

// TestTimestampIntegers decodes integers of every length around the
// seconds/milliseconds cutoff and the float64-exact limit, on both sides of
// exactInteger's fast path, and wants what the documented rules say:
// epoch milliseconds from 1e11 on, epoch seconds below (an integer with 16
// digits or more is parsed as a float64 and rounded as before).
func TestTimestampIntegers(t *testing.T) {
	values := []int64{0, 1, 7, 1764583200, 99999999999, 100000000000, 1764583200123, 999999999999999,
		1000000000000000, 1234567890123456, 12345678901234567}
	for _, v := range values {
		for _, n := range []int64{v, -v} {
			in := strconv.FormatInt(n, 10)
			f, _ := strconv.ParseFloat(in, 64)
			want := time.Unix(n, 0)
			if math.Abs(f) >= secondsCutoff {
				want = time.UnixMilli(int64(f))
			}
			var ts Timestamp
			if err := ts.UnmarshalJSON([]byte(in)); err != nil || !ts.Equal(want) {
				t.Errorf("%s: %v, %v; want %v", in, ts.Time, err, want)
			}
		}
	}
	for _, in := range []string{"-", "1-", "--1", "1.5", "1e3", "+5"} {
		_, fast := exactInteger([]byte(in))
		if fast {
			t.Errorf("exactInteger(%q) took the fast path", in)
		}
	}
}
