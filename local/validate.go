package local

import (
	"fmt"

	"github.com/lambda-durable/durable/checkpoint"
)

// validId reports whether s matches [A-Za-z0-9_-]{1,max}.
func validId(s string, max int) bool {
	if len(s) == 0 || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// validName reports whether s is 1-256 printable ASCII characters.
func validName(s string) bool {
	if len(s) == 0 || len(s) > 256 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// checkFields validates the identifying fields shared by updates.
func checkFields(i int, id, parentId, name, subType string) *APIError {
	if !validId(id, 64) {
		return invalidf("Updates[%d].Id %q: must be 1-64 characters of [A-Za-z0-9_-]", i, clip(id))
	}
	if parentId != "" && !validId(parentId, 64) {
		return invalidf("Updates[%d].ParentId %q: must be 1-64 characters of [A-Za-z0-9_-]", i, clip(parentId))
	}
	if name != "" && !validName(name) {
		return invalidf("Updates[%d].Name %q: must be 1-256 printable ASCII characters", i, clip(name))
	}
	if subType != "" && !validId(subType, 32) {
		return invalidf("Updates[%d].SubType %q: must be 1-32 characters of [A-Za-z0-9_-]", i, clip(subType))
	}
	return nil
}

// clip shortens s for an error message.
func clip(s string) string {
	const max = 80
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}

// updateRef names the i-th update u of a request in messages; it is
// formatted only when a message is built, not for every update.
type updateRef struct {
	i int
	u *checkpoint.OperationUpdate
}

// String names the update: "Updates[3] (STEP SUCCEED 1a2b)".
func (r updateRef) String() string {
	return fmt.Sprintf("Updates[%d] (%s %s %s)", r.i, r.u.Type, r.u.Action, r.u.Id)
}
