package harness_test

import (
	"errors"
	"os"

	"github.com/lambda-durable/durable/conformance/harness"
	"github.com/lambda-durable/durable/conformance/spec"
)

func ExampleReport_WriteTable() {
	var r harness.Report
	r.Add(harness.Outcome{File: spec.File{Suite: "step", ID: "1-1"}})
	r.Add(harness.Outcome{File: spec.File{Suite: "step", ID: "1-2"},
		Errs: []error{errors.New(`event 3 (StepSucceeded): Id: ${ID1} is bound to "a": expected "${ID1}", got "b"`)}})
	_ = r.WriteTable(os.Stdout)
	// Output:
	// suite  passed  failed  known
	// step        1       1      0
	// total       1       1      0
	//
	// first mismatch of each failure:
	//   step/1-2: event 3 (StepSucceeded): Id: ${ID1} is bound to "a": expected "${ID1}", got "b"
}
