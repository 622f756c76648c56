package httpapi

import (
	"net/http"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/local"
)

// answer writes the outcome of a service call: err as an error response,
// otherwise out as JSON (no body when out is nil).
func (h *handler) answer(w http.ResponseWriter, r *http.Request, out any, err error) {
	switch {
	case err != nil:
		h.fail(w, r, err)
	case out == nil:
		w.WriteHeader(http.StatusOK)
	default:
		h.reply(w, r, out)
	}
}

func (h *handler) checkpoint(w http.ResponseWriter, r *http.Request, arn string, body []byte) {
	in, e := decodeCheckpoint(body)
	if e != nil {
		writeError(w, e)
		return
	}
	out, err := h.svc.Checkpoint(r.Context(), &checkpoint.CheckpointInput{
		DurableExecutionArn: arn,
		CheckpointToken:     *in.CheckpointToken,
		ClientToken:         in.ClientToken,
		Updates:             in.Updates,
	})
	if err == nil {
		if out.NewExecutionState == nil {
			out.NewExecutionState = &checkpoint.ExecutionState{}
		}
		if out.NewExecutionState.Operations == nil {
			out.NewExecutionState.Operations = []checkpoint.Operation{}
		}
	}
	h.answer(w, r, out, err)
}

func (h *handler) getState(w http.ResponseWriter, r *http.Request, arn string, _ []byte) {
	q := parseQuery(r.URL.RawQuery)
	in := &checkpoint.StateInput{
		DurableExecutionArn: arn,
		CheckpointToken:     q.str("CheckpointToken"),
		Marker:              q.str("Marker"),
		MaxItems:            q.count("MaxItems"),
	}
	if q.err == nil && in.CheckpointToken == "" {
		q.err = badRequest(codeInvalidParameter, "query parameter CheckpointToken is required")
	}
	if q.err != nil {
		writeError(w, q.err)
		return
	}
	out, err := h.svc.GetState(r.Context(), in)
	if err == nil && out.Operations == nil {
		out.Operations = []checkpoint.Operation{}
	}
	h.answer(w, r, out, err)
}

func (h *handler) getExecution(w http.ResponseWriter, r *http.Request, arn string, _ []byte) {
	q := parseQuery(r.URL.RawQuery)
	in := &local.GetExecutionInput{DurableExecutionArn: arn, IncludeExecutionData: q.optBool("IncludeExecutionData")}
	if q.err != nil {
		writeError(w, q.err)
		return
	}
	out, err := h.svc.GetExecution(r.Context(), in)
	h.answer(w, r, out, err)
}

func (h *handler) getHistory(w http.ResponseWriter, r *http.Request, arn string, _ []byte) {
	q := parseQuery(r.URL.RawQuery)
	in := &local.GetHistoryInput{
		DurableExecutionArn:  arn,
		IncludeExecutionData: q.optBool("IncludeExecutionData"),
		Marker:               q.str("Marker"),
		MaxItems:             q.count("MaxItems"),
		ReverseOrder:         q.boolean("ReverseOrder"),
	}
	if q.err != nil {
		writeError(w, q.err)
		return
	}
	out, err := h.svc.GetHistory(r.Context(), in)
	if err == nil && out.Events == nil {
		out.Events = []local.Event{}
	}
	h.answer(w, r, out, err)
}

func (h *handler) listExecutions(w http.ResponseWriter, r *http.Request, function string, _ []byte) {
	q := parseQuery(r.URL.RawQuery)
	in := &local.ListExecutionsInput{
		FunctionName:         function,
		DurableExecutionName: q.str("DurableExecutionName"),
		Qualifier:            q.str("Qualifier"),
		Statuses:             q.statuses("Statuses"),
		StartedAfter:         q.timestamp("StartedAfter"),
		StartedBefore:        q.timestamp("StartedBefore"),
		Marker:               q.str("Marker"),
		MaxItems:             q.count("MaxItems"),
		ReverseOrder:         q.boolean("ReverseOrder"),
	}
	if q.err != nil {
		writeError(w, q.err)
		return
	}
	out, err := h.svc.ListExecutions(r.Context(), in)
	if err == nil && out.DurableExecutions == nil {
		out.DurableExecutions = []local.Execution{}
	}
	h.answer(w, r, out, err)
}

func (h *handler) callbackSuccess(w http.ResponseWriter, r *http.Request, callbackId string, body []byte) {
	err := h.svc.SendCallbackSuccess(r.Context(), &local.SendCallbackSuccessInput{CallbackId: callbackId, Result: body})
	h.answer(w, r, nil, err)
}

func (h *handler) callbackFailure(w http.ResponseWriter, r *http.Request, callbackId string, body []byte) {
	eo, e := decodeErrorObject(body)
	if e != nil {
		writeError(w, e)
		return
	}
	err := h.svc.SendCallbackFailure(r.Context(), &local.SendCallbackFailureInput{CallbackId: callbackId, Error: eo})
	h.answer(w, r, nil, err)
}

func (h *handler) callbackHeartbeat(w http.ResponseWriter, r *http.Request, callbackId string, _ []byte) {
	err := h.svc.SendCallbackHeartbeat(r.Context(), &local.SendCallbackHeartbeatInput{CallbackId: callbackId})
	h.answer(w, r, nil, err)
}

func (h *handler) stop(w http.ResponseWriter, r *http.Request, arn string, body []byte) {
	eo, e := decodeErrorObject(body)
	if e != nil {
		writeError(w, e)
		return
	}
	out, err := h.svc.StopExecution(r.Context(), &local.StopExecutionInput{DurableExecutionArn: arn, Error: eo})
	h.answer(w, r, out, err)
}
