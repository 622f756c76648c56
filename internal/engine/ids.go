package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
)

// MaxIDLength is the longest operation id the service accepts.
const MaxIDLength = 64

// ChildID returns the id of the n-th (1-based) operation of the context
// whose id is parent ("" for the top level): "n" at top level, "parent-n"
// below. Ids longer than MaxIDLength are replaced by the hex SHA-256 of the
// long form, truncated to MaxIDLength, so every id matches
// [A-Za-z0-9_-]{1,64}.
func ChildID(parent string, n int64) string {
	if parent == "" {
		return strconv.FormatInt(n, 10)
	}
	var buf [MaxIDLength + 24]byte
	b := append(buf[:0], parent...)
	b = append(b, '-')
	b = strconv.AppendInt(b, n, 10)
	if len(b) <= MaxIDLength {
		return string(b)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])[:MaxIDLength]
}
