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

// errorObjectBody reads a body that is an ErrorObject (or empty).
func (h *handler) errorObjectBody(w http.ResponseWriter, r *http.Request) (*checkpoint.ErrorObject, *apiError) {
	body, e := readBody(w, r, h.maxBody)
	if e != nil {
		return nil, e
	}
	return decodeErrorObject(body)
}

func (h *handler) checkpoint(w http.ResponseWriter, r *http.Request, labels []string) {
	body, e := readBody(w, r, h.maxBody)
	if e != nil {
		writeError(w, e)
		return
	}
	in, e := decodeCheckpoint(body)
	if e != nil {
		writeError(w, e)
		return
	}
	out, err := h.svc.Checkpoint(r.Context(), &checkpoint.CheckpointInput{
		DurableExecutionArn: labels[0],
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

func (h *handler) getState(w http.ResponseWriter, r *http.Request, labels []string) {
	q := parseQuery(r.URL.RawQuery)
	in := &checkpoint.StateInput{
		DurableExecutionArn: labels[0],
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

func (h *handler) getExecution(w http.ResponseWriter, r *http.Request, labels []string) {
	q := parseQuery(r.URL.RawQuery)
	in := &local.GetExecutionInput{DurableExecutionArn: labels[0], IncludeExecutionData: q.optBool("IncludeExecutionData")}
	if q.err != nil {
		writeError(w, q.err)
		return
	}
	out, err := h.svc.GetExecution(r.Context(), in)
	h.answer(w, r, out, err)
}

func (h *handler) getHistory(w http.ResponseWriter, r *http.Request, labels []string) {
	q := parseQuery(r.URL.RawQuery)
	in := &local.GetHistoryInput{
		DurableExecutionArn:  labels[0],
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

func (h *handler) listExecutions(w http.ResponseWriter, r *http.Request, labels []string) {
	q := parseQuery(r.URL.RawQuery)
	in := &local.ListExecutionsInput{
		FunctionName:         labels[0],
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

func (h *handler) callbackSuccess(w http.ResponseWriter, r *http.Request, labels []string) {
	body, e := readBody(w, r, h.maxBody)
	if e != nil {
		writeError(w, e)
		return
	}
	err := h.svc.SendCallbackSuccess(r.Context(), &local.SendCallbackSuccessInput{CallbackId: labels[0], Result: body})
	h.answer(w, r, nil, err)
}

func (h *handler) callbackFailure(w http.ResponseWriter, r *http.Request, labels []string) {
	eo, e := h.errorObjectBody(w, r)
	if e != nil {
		writeError(w, e)
		return
	}
	err := h.svc.SendCallbackFailure(r.Context(), &local.SendCallbackFailureInput{CallbackId: labels[0], Error: eo})
	h.answer(w, r, nil, err)
}

func (h *handler) callbackHeartbeat(w http.ResponseWriter, r *http.Request, labels []string) {
	if _, e := readBody(w, r, h.maxBody); e != nil {
		writeError(w, e)
		return
	}
	err := h.svc.SendCallbackHeartbeat(r.Context(), &local.SendCallbackHeartbeatInput{CallbackId: labels[0]})
	h.answer(w, r, nil, err)
}

func (h *handler) stop(w http.ResponseWriter, r *http.Request, labels []string) {
	eo, e := h.errorObjectBody(w, r)
	if e != nil {
		writeError(w, e)
		return
	}
	out, err := h.svc.StopExecution(r.Context(), &local.StopExecutionInput{DurableExecutionArn: labels[0], Error: eo})
	h.answer(w, r, out, err)
}
