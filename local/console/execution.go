package console

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/local/timeline"
)

// execPage is what the execution template shows.
type execPage struct {
	Arn, Name, Function, Version, Status string
	Start, End, Duration                 string
	Input, Result, Error                 string
	HasInput, HasResult                  bool
	// Running is true until the execution ends: the page refreshes and
	// offers the stop button.
	Running     bool
	Callbacks   []callbackView
	Gantt       gantt
	Tree        []*opNode
	Operations  int // how many operations the tree holds
	Events      []eventView
	Invocations []invocationView
	// Notice reports the failure of an action the user asked for.
	Notice string
}

// callbackView is a callback waiting for an answer.
type callbackView struct {
	CallbackId, OperationId, Name, Started, Deadline string
}

// invocationView is one invocation of the function.
type invocationView struct {
	Number               int
	Start, End, Duration string
	Error                string
	Failed               bool
}

// eventView is one history event.
type eventView struct {
	EventId              int32
	Type, Time           string
	OperationId, Name    string
	Details              string // the event's details as JSON, payloads included
	Failed, IsInvocation bool
}

// opNode is one operation in the tree, with what the service recorded.
type opNode struct {
	Id, Label, Kind, Status string
	Start, End, Duration    string
	Attempts                int
	NextAttempt             string
	Input, Result, Error    string
	HasInput, HasResult     bool
	CallbackId              string
	Events                  []eventView
	Children                []*opNode
}

// execution serves the page of one execution.
func (c *Console) execution(w http.ResponseWriter, r *http.Request) {
	arn := r.URL.Query().Get("arn")
	page, err := c.executionPage(r.Context(), arn)
	if err != nil {
		c.renderError(w, err)
		return
	}
	c.render(w, http.StatusOK, "execution.html", page)
}

// errorPage is what the error template shows.
type errorPage struct{ Status, Message string }

// renderError answers with the page of an error, its status taken from the
// service's error (404 for an unknown execution, 400 for bad input).
func (c *Console) renderError(w http.ResponseWriter, err error) {
	status := httpStatus(err)
	c.render(w, status, "error.html", errorPage{Status: http.StatusText(status), Message: err.Error()})
}

// httpStatus is the HTTP status of a service error (500 for an error that
// is not the service's answer).
func httpStatus(err error) int {
	var apiErr *local.APIError
	if errors.As(err, &apiErr) && apiErr.HTTPStatus != 0 {
		return apiErr.HTTPStatus
	}
	return http.StatusInternalServerError
}

// executionPage reads everything the page of an execution shows.
func (c *Console) executionPage(ctx context.Context, arn string) (*execPage, error) {
	if arn == "" {
		return nil, &local.APIError{Code: local.CodeInvalidParameterValue, HTTPStatus: http.StatusBadRequest,
			Message: "the execution ARN is missing (want /execution?arn=...)"}
	}
	ex, err := c.svc.GetExecution(ctx, &local.GetExecutionInput{DurableExecutionArn: arn})
	if err != nil {
		return nil, err
	}
	events, err := timeline.History(ctx, c.svc, arn)
	if err != nil {
		return nil, err
	}
	ops, err := c.svc.Operations(arn)
	if err != nil {
		return nil, err
	}
	open, err := c.svc.OpenCallbacks(arn)
	if err != nil {
		return nil, err
	}
	now := c.svc.Clock().Now()
	p := &execPage{
		Arn: ex.DurableExecutionArn, Name: ex.DurableExecutionName, Function: functionName(ex.FunctionArn),
		Version: ex.Version, Status: string(ex.Status), Running: !ex.Status.Terminal(),
		Start: formatTime(ex.StartTimestamp), End: formatTime(ex.EndTimestamp),
		Duration: span(ex.StartTimestamp, ex.EndTimestamp, now),
		Error:    formatError(ex.Error),
	}
	if ex.InputPayload != nil {
		p.Input, p.HasInput = *ex.InputPayload, true
	}
	if ex.Result != nil {
		p.Result, p.HasResult = *ex.Result, true
	}
	for _, cb := range open {
		p.Callbacks = append(p.Callbacks, callbackView{CallbackId: cb.CallbackId, OperationId: cb.OperationId,
			Name: callbackName(cb, ops), Started: formatTime(cb.StartTimestamp), Deadline: formatTime(cb.Deadline)})
	}
	tl := timeline.FromHistory(events)
	if tl.End.IsZero() {
		tl.End = ex.EndTimestamp
	}
	p.Gantt = layoutGantt(tl, now)
	p.Events = eventViews(events)
	p.Invocations = invocationViews(tl, now)
	p.Tree, p.Operations = operationTree(tl, ops, p.Events, now)
	return p, nil
}

// callbackName names an open callback: its own name, else the name of its
// parent (WaitForCallback names the context around an unnamed callback),
// else its operation id.
func callbackName(cb local.OpenCallback, ops []checkpoint.Operation) string {
	if cb.Name != "" {
		return cb.Name
	}
	for _, op := range ops {
		if op.Id == cb.ParentId && op.Name != "" {
			return op.Name
		}
	}
	return "callback " + cb.OperationId
}

// eventViews renders the history events.
func eventViews(events []local.Event) []eventView {
	out := make([]eventView, len(events))
	for i, ev := range events {
		out[i] = eventView{
			EventId: ev.EventId, Type: string(ev.EventType), Time: formatTime(ev.EventTimestamp),
			OperationId: ev.Id, Name: ev.Name, Details: eventDetails(ev),
			IsInvocation: ev.EventType == local.EventInvocationCompleted,
			Failed:       failedEvent(ev.EventType),
		}
	}
	return out
}

// failedEvent reports whether an event type records a failure.
func failedEvent(t local.EventType) bool {
	switch t {
	case local.EventExecutionFailed, local.EventExecutionTimedOut, local.EventExecutionStopped,
		local.EventContextFailed, local.EventStepFailed, local.EventChainedInvokeFailed,
		local.EventChainedInvokeTimedOut, local.EventChainedInvokeStopped,
		local.EventCallbackFailed, local.EventCallbackTimedOut:
		return true
	}
	return false
}

// commonEventFields are the members every event has; the page shows them
// in their own columns, so eventDetails leaves them out.
var commonEventFields = []string{"EventType", "EventId", "EventTimestamp", "Id", "Name", "ParentId", "SubType"}

// eventDetails renders the event's details member (the one named after its
// type) as indented JSON, or "" when it has none worth showing.
func eventDetails(ev local.Event) string {
	raw, err := json.Marshal(ev)
	if err != nil {
		return ""
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return ""
	}
	for _, k := range commonEventFields {
		delete(fields, k)
	}
	for k, v := range fields {
		if string(v) == "{}" {
			delete(fields, k)
		}
	}
	if len(fields) == 0 {
		return ""
	}
	out, err := json.MarshalIndent(fields, "", "  ")
	if err != nil {
		return ""
	}
	return string(out)
}

// invocationViews renders the timeline's invocations.
func invocationViews(tl *timeline.Timeline, now time.Time) []invocationView {
	out := make([]invocationView, len(tl.Invocations))
	for i, inv := range tl.Invocations {
		out[i] = invocationView{
			Number: i + 1, Start: formatTime(inv.Start), End: formatTime(inv.End),
			Duration: span(inv.Start, inv.End, now), Error: inv.Error, Failed: inv.Error != "",
		}
	}
	return out
}

// operationTree builds the operation tree from the timeline's spans (the
// order and nesting the history shows), with each operation's input,
// result and error from the service's record and its own events. It
// returns the roots and the number of operations.
func operationTree(tl *timeline.Timeline, ops []checkpoint.Operation, events []eventView, now time.Time) ([]*opNode, int) {
	byID := make(map[string]*checkpoint.Operation, len(ops))
	for i := range ops {
		byID[ops[i].Id] = &ops[i]
	}
	eventsOf := map[string][]eventView{}
	for _, ev := range events {
		if ev.OperationId != "" {
			eventsOf[ev.OperationId] = append(eventsOf[ev.OperationId], ev)
		}
	}
	count := 0
	var build func(spans []*timeline.Span) []*opNode
	build = func(spans []*timeline.Span) []*opNode {
		nodes := make([]*opNode, 0, len(spans))
		for _, s := range spans {
			count++
			n := &opNode{
				Id: s.Id, Label: s.Label(), Kind: s.Kind(), Status: string(s.Status),
				Start: formatTime(s.Start), End: formatTime(s.End), Duration: span(s.Start, s.End, now),
				Attempts: s.Attempts, Error: s.Error, Events: eventsOf[s.Id],
				Children: build(s.Children),
			}
			if op := byID[s.Id]; op != nil {
				describeOperation(n, op)
			}
			for _, ev := range n.Events {
				if ev.Type == string(local.EventChainedInvokeStarted) {
					n.Input, n.HasInput = ev.Details, true
				}
			}
			nodes = append(nodes, n)
		}
		return nodes
	}
	return build(tl.Roots), count
}

// describeOperation copies an operation's recorded outcome into its node.
func describeOperation(n *opNode, op *checkpoint.Operation) {
	n.Status = string(op.Status)
	var result string
	var eo *checkpoint.ErrorObject
	switch {
	case op.StepDetails != nil:
		d := op.StepDetails
		n.Attempts = max(n.Attempts, d.Attempt)
		n.NextAttempt = formatTime(d.NextAttemptTimestamp.Time)
		result, eo = d.Result, d.Error
	case op.ContextDetails != nil:
		result, eo = op.ContextDetails.Result, op.ContextDetails.Error
	case op.CallbackDetails != nil:
		n.CallbackId = op.CallbackDetails.CallbackId
		result, eo = op.CallbackDetails.Result, op.CallbackDetails.Error
	case op.ChainedInvokeDetails != nil:
		result, eo = op.ChainedInvokeDetails.Result, op.ChainedInvokeDetails.Error
	case op.WaitDetails != nil:
		if n.End == "" {
			n.NextAttempt = formatTime(op.WaitDetails.ScheduledEndTimestamp.Time)
		}
	}
	if op.Status == checkpoint.StatusSucceeded {
		n.Result, n.HasResult = result, true
	}
	if e := formatError(eo); e != "" {
		n.Error = e
	}
}
