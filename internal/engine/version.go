package engine

import (
	"fmt"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/serdes"
)

// SubTypeVersion is the subtype of the STEP that records a Version
// decision; the step's name is the change id and its result the version.
const SubTypeVersion = "Version"

// DefaultVersion is what Version returns for an execution that reached the
// call's position before the call existed (its history holds another
// operation there).
const DefaultVersion = 0

// UnsupportedVersionError reports that an execution is on a version of a
// change that the code no longer (or not yet) supports.
type UnsupportedVersionError struct {
	ChangeID string
	// Version is the execution's version; Min and Max the supported range.
	Version, Min, Max int
}

// Error implements error.
func (e *UnsupportedVersionError) Error() string {
	return fmt.Sprintf("durable: change %q: the execution is on version %d, the code supports %d to %d",
		e.ChangeID, e.Version, e.Min, e.Max)
}

// ErrorType names the error in the ErrorObject.
func (e *UnsupportedVersionError) ErrorType() string { return "UnsupportedVersionError" }

// Version is a replay-safe branch point (see the root package's Version).
//
// It looks at the operation history holds at the next position of c
// without taking an id:
//   - a version marker of changeID (a STEP with SubType "Version" named
//     changeID): the call takes that id and returns the recorded version,
//     through the pipeline like any replayed step;
//   - another operation: the execution was recorded by code without this
//     call, so it returns DefaultVersion and takes no id, leaving the
//     position to the operation recorded there;
//   - nothing: the execution has not been here before, so the call records
//     a marker with maxSupported (a step, through the pipeline) and returns
//     it.
//
// A version outside [minSupported, maxSupported] is an
// *UnsupportedVersionError.
func Version(c *Context, changeID string, minSupported, maxSupported int) (int, error) {
	switch {
	case changeID == "":
		return 0, &ValidationError{Field: "change id", Message: "empty"}
	case minSupported < DefaultVersion:
		return 0, &ValidationError{Field: "minSupported", Message: fmt.Sprintf("%d is below DefaultVersion (%d)", minSupported, DefaultVersion)}
	case minSupported > maxSupported:
		return 0, &ValidationError{Field: "maxSupported", Message: fmt.Sprintf("%d is below minSupported (%d)", maxSupported, minSupported)}
	}
	v := DefaultVersion
	if rec := c.exec.Operation(c.peekID()); rec == nil || isVersionMarker(rec, changeID) {
		var err error
		v, err = Step(c, changeID, func(*StepContext) (int, error) { return maxSupported, nil },
			StepOptions{SubType: SubTypeVersion, Serdes: serdes.JSON{}})
		if err != nil {
			return 0, err
		}
	}
	if v < minSupported || v > maxSupported {
		return v, &UnsupportedVersionError{ChangeID: changeID, Version: v, Min: minSupported, Max: maxSupported}
	}
	return v, nil
}

// isVersionMarker reports whether rec records the decision of changeID.
func isVersionMarker(rec *checkpoint.Operation, changeID string) bool {
	return rec.Type == checkpoint.TypeStep && rec.SubType == SubTypeVersion && rec.Name == changeID
}

// peekID returns the id the next operation on c will get, without taking it.
func (c *Context) peekID() string { return ChildID(c.id, c.counter.Load()+1) }
