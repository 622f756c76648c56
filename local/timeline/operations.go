package timeline

import (
	"github.com/lambda-durable/durable/checkpoint"
)

// FromOperations builds the timeline of an execution from its operations
// (in creation order, as local.Service.Operations returns them). The
// EXECUTION operation, if present, gives the name and start; the execution's
// status and end are not operations, so set Status and End yourself when you
// know them. Operations carry no per-attempt times, so steps show one run.
func FromOperations(ops []checkpoint.Operation) *Timeline {
	tl := &Timeline{}
	var spans []*Span
	for i := range ops {
		op := &ops[i]
		if op.Type == checkpoint.TypeExecution {
			tl.Name = op.Name
			tl.Start = op.StartTimestamp.Time
			continue
		}
		s := &Span{
			Id: op.Id, ParentId: op.ParentId, Name: op.Name,
			Type: op.Type, SubType: op.SubType, Status: op.Status,
			Start: op.StartTimestamp.Time, End: op.EndTimestamp.Time,
		}
		switch {
		case op.StepDetails != nil:
			s.Attempts = op.StepDetails.Attempt
			s.Error = describeObject(op.StepDetails.Error)
		case op.ContextDetails != nil:
			s.Error = describeObject(op.ContextDetails.Error)
		case op.CallbackDetails != nil:
			s.Error = describeObject(op.CallbackDetails.Error)
		case op.ChainedInvokeDetails != nil:
			s.Error = describeObject(op.ChainedInvokeDetails.Error)
		}
		spans = append(spans, s)
	}
	tl.Roots = link(spans)
	return tl
}
