package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// encodeAPI encodes v (a value of the local or checkpoint packages) as an API
// response body. Those packages encode timestamps as RFC 3339 strings
// (time.Time) or epoch milliseconds (checkpoint.Timestamp); the API carries
// them as epoch seconds, so every member whose name ends in "Timestamp" is
// rewritten to epoch seconds (a JSON number with a millisecond fraction when
// there is one), and dropped when absent or zero.
func encodeAPI(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return nil, err
	}
	if err := toSeconds(tree); err != nil {
		return nil, err
	}
	return json.Marshal(tree)
}

// toSeconds rewrites the timestamp members of a decoded JSON tree in place.
func toSeconds(node any) error {
	switch n := node.(type) {
	case map[string]any:
		for k, v := range n {
			if !strings.HasSuffix(k, "Timestamp") {
				if err := toSeconds(v); err != nil {
					return err
				}
				continue
			}
			t, ok, err := parseWireTime(v)
			if err != nil {
				return fmt.Errorf("member %s: %w", k, err)
			}
			if !ok {
				delete(n, k)
				continue
			}
			n[k] = epochSeconds(t)
		}
	case []any:
		for _, v := range n {
			if err := toSeconds(v); err != nil {
				return err
			}
		}
	}
	return nil
}

// parseWireTime reads a timestamp as the local packages encode it: an RFC
// 3339 string (time.Time) or integer epoch milliseconds
// (checkpoint.Timestamp). ok is false for null or the zero time.
func parseWireTime(v any) (t time.Time, ok bool, err error) {
	switch x := v.(type) {
	case nil:
		return time.Time{}, false, nil
	case string:
		t, err = time.Parse(time.RFC3339Nano, x)
		if err != nil {
			return time.Time{}, false, err
		}
		return t, !t.IsZero(), nil
	case json.Number:
		ms, err := x.Int64()
		if err != nil {
			return time.Time{}, false, fmt.Errorf("timestamp %s: want epoch milliseconds", x)
		}
		return time.UnixMilli(ms), true, nil
	}
	return time.Time{}, false, fmt.Errorf("timestamp of JSON type %T", v)
}

// epochSeconds renders t as epoch seconds, exact to the millisecond: the
// shortest decimal that round-trips a float64 number of milliseconds / 1000.
func epochSeconds(t time.Time) json.Number {
	return json.Number(strconv.FormatFloat(float64(t.UnixMilli())/1000, 'f', -1, 64))
}

// fromEpochSeconds is the inverse of epochSeconds, to the millisecond.
func fromEpochSeconds(f float64) time.Time {
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(math.Round(frac*1e3))*int64(time.Millisecond))
}
