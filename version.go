package durable

import "github.com/lambda-durable/durable/internal/engine"

// DefaultVersion is the version Version returns to an execution recorded
// before the Version call was added to the workflow.
const DefaultVersion = engine.DefaultVersion

// UnsupportedVersionError reports that an execution is on a version of a
// change outside the range the code supports.
type UnsupportedVersionError = engine.UnsupportedVersionError

// Version is a replay-safe branch point for changing a workflow that has
// executions in flight (docs/versioning.md). changeID names the change;
// the code supports the versions minSupported to maxSupported.
//
//   - An execution that reaches the call for the first time records
//     maxSupported (a STEP operation with SubType "Version" named changeID)
//     and gets it: new executions take the newest path.
//   - An execution that recorded a version gets that version on every
//     replay.
//   - An execution recorded before the call existed (history holds another
//     operation at this position) gets DefaultVersion; nothing is recorded
//     and no operation id is used, so the operations it recorded keep their
//     ids.
//
// A version outside [minSupported, maxSupported] returns an
// *UnsupportedVersionError: raise minSupported to retire old paths once no
// execution needs them.
//
//	v, err := durable.Version(ctx, "charge-in-cents", durable.DefaultVersion, 1)
//	if err != nil {
//		return nil, err
//	}
//	if v == durable.DefaultVersion {
//		// the old path
//	} else {
//		// the new path
//	}
func Version(ctx Context, changeID string, minSupported, maxSupported int) (int, error) {
	return engine.Version(ctx.engine(), changeID, minSupported, maxSupported)
}
