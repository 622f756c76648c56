package timeline

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// Callback is a callback an execution waits on, as its history shows it.
type Callback struct {
	// OperationId is the CALLBACK operation's id, Name its name (often
	// empty, e.g. inside WaitForCallback).
	OperationId, Name string
	// ParentName is the name of the operation the callback belongs to
	// (e.g. the WaitForCallback context), if any.
	ParentName string
	// CallbackId is the id to answer with.
	CallbackId string
}

// Label names the callback for people: its name, else its parent's, else
// its operation id.
func (c Callback) Label() string {
	switch {
	case c.Name != "":
		return c.Name
	case c.ParentName != "":
		return c.ParentName
	}
	return "operation " + c.OperationId
}

// OpenCallbacks returns the callbacks that history events (in order) show
// started and not yet answered, timed out or failed.
func OpenCallbacks(events []types.Event) []Callback {
	var open []Callback
	names := map[string]string{}
	for _, e := range events {
		id := aws.ToString(e.Id)
		if e.Name != nil {
			names[id] = *e.Name
		}
		switch e.EventType {
		case types.EventTypeCallbackStarted:
			if d := e.CallbackStartedDetails; d != nil && aws.ToString(d.CallbackId) != "" {
				open = append(open, Callback{
					OperationId: id, Name: aws.ToString(e.Name), CallbackId: aws.ToString(d.CallbackId),
					ParentName: names[aws.ToString(e.ParentId)],
				})
			}
		case types.EventTypeCallbackSucceeded, types.EventTypeCallbackFailed, types.EventTypeCallbackTimedOut:
			for i, cb := range open {
				if cb.OperationId == id {
					open = append(open[:i], open[i+1:]...)
					break
				}
			}
		}
	}
	return open
}
