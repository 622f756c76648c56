package durabletest

import (
	"context"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/local"
)

// Operations returns every operation of the execution (the EXECUTION
// operation first, children of closed contexts included), in creation order.
func (r *Runner) Operations() []checkpoint.Operation {
	if r.arn == "" {
		return nil
	}
	ops, _ := r.svc.Operations(r.arn)
	return ops
}

// Operation returns the first operation with the given name.
func (r *Runner) Operation(name string) (checkpoint.Operation, bool) {
	for _, o := range r.Operations() {
		if o.Name == name {
			return o, true
		}
	}
	return checkpoint.Operation{}, false
}

// History returns the execution's history events.
func (r *Runner) History() []local.Event {
	return r.history(r.arn)
}

func (r *Runner) history(arn string) []local.Event {
	var out []local.Event
	marker := ""
	for arn != "" {
		page, err := r.svc.GetHistory(context.Background(), &local.GetHistoryInput{DurableExecutionArn: arn, Marker: marker, MaxItems: 1000})
		if err != nil {
			return out
		}
		out = append(out, page.Events...)
		if marker = page.NextMarker; marker == "" {
			break
		}
	}
	return out
}
