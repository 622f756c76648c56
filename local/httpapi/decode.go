package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/local"
)

// A body refused for its announced size is discarded (never buffered) for at
// most drainTime when it is at most drainLimit bytes, so that a client still
// sending it finishes and reads the 413 instead of a connection reset.
const (
	drainLimit = 8 << 20
	drainTime  = 250 * time.Millisecond
)

// readBody reads the request body, refusing one larger than limit bytes
// without holding it in memory when Content-Length announces it, and as soon
// as the limit is crossed otherwise.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, *apiError) {
	tooLarge := &apiError{
		status:  http.StatusRequestEntityTooLarge,
		code:    codeTooLarge,
		message: fmt.Sprintf("the request body exceeds the limit of %d bytes", limit),
	}
	if r.ContentLength > limit {
		// Close the connection after the answer: otherwise net/http reads
		// (and discards) a small unread body before answering.
		w.Header().Set("Connection", "close")
		if r.ContentLength <= drainLimit {
			_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(drainTime))
			_, _ = io.Copy(io.Discard, r.Body)
		}
		return nil, tooLarge
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, tooLarge
		}
		return nil, badRequest(codeInvalidContent, "could not read the request body: "+err.Error())
	}
	return b, nil
}

// checkpointBody is the JSON body of CheckpointDurableExecution.
type checkpointBody struct {
	CheckpointToken *string                      `json:"CheckpointToken"`
	ClientToken     string                       `json:"ClientToken"`
	Updates         []checkpoint.OperationUpdate `json:"Updates"`
}

// decodeJSON decodes a JSON request body into v. An empty body leaves v as it is.
func decodeJSON(body []byte, v any) *apiError {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, v); err != nil {
		return badRequest(codeInvalidContent, "could not parse the request body as JSON: "+jsonErrorText(err))
	}
	return nil
}

// jsonErrorText describes a JSON decoding error without Go type names.
func jsonErrorText(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field != "" {
			return fmt.Sprintf("field %s: unexpected JSON %s at offset %d", te.Field, te.Value, te.Offset)
		}
		return fmt.Sprintf("unexpected JSON %s at offset %d", te.Value, te.Offset)
	}
	return err.Error()
}

// decodeCheckpoint decodes and checks the required members of a
// CheckpointDurableExecution body.
func decodeCheckpoint(body []byte) (*checkpointBody, *apiError) {
	var in checkpointBody
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, badRequest(codeInvalidContent, "the request body is empty: CheckpointToken is required")
	}
	if e := decodeJSON(body, &in); e != nil {
		return nil, e
	}
	if in.CheckpointToken == nil || *in.CheckpointToken == "" {
		return nil, badRequest(codeInvalidParameter, "CheckpointToken is required")
	}
	for i, u := range in.Updates {
		var missing []string
		if u.Id == "" {
			missing = append(missing, "Id")
		}
		if u.Type == "" {
			missing = append(missing, "Type")
		}
		if u.Action == "" {
			missing = append(missing, "Action")
		}
		if u.ChainedInvokeOptions != nil && u.ChainedInvokeOptions.FunctionName == "" {
			missing = append(missing, "ChainedInvokeOptions.FunctionName")
		}
		if len(missing) > 0 {
			return nil, badRequest(codeInvalidParameter,
				fmt.Sprintf("Updates[%d]: missing required member(s) %s", i, strings.Join(missing, ", ")))
		}
	}
	return &in, nil
}

// decodeErrorObject decodes the ErrorObject body of StopDurableExecution and
// SendDurableExecutionCallbackFailure; an empty body means no error object.
func decodeErrorObject(body []byte) (*checkpoint.ErrorObject, *apiError) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, nil
	}
	var eo checkpoint.ErrorObject
	if e := decodeJSON(body, &eo); e != nil {
		return nil, e
	}
	return &eo, nil
}

// query reads typed query-string parameters, remembering the first error.
type query struct {
	v   url.Values
	err *apiError
}

// parseQuery parses a raw query string. A malformed one leaves q.err set
// and every parameter absent.
func parseQuery(raw string) *query {
	v, err := url.ParseQuery(raw)
	if err != nil {
		return &query{v: url.Values{}, err: badRequest(codeInvalidParameter, "malformed query string: "+err.Error())}
	}
	return &query{v: v}
}

func (q *query) fail(name, value, want string) {
	if q.err == nil {
		q.err = badRequest(codeInvalidParameter, fmt.Sprintf("query parameter %s=%q: want %s", name, value, want))
	}
}

// str returns the single value of a parameter ("" when absent).
func (q *query) str(name string) string {
	vs := q.v[name]
	if len(vs) > 1 {
		q.fail(name, strings.Join(vs, ","), "a single value")
	}
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// all returns every value of a repeated parameter.
func (q *query) all(name string) []string { return q.v[name] }

// boolean returns a true/false parameter (false when absent).
func (q *query) boolean(name string) bool {
	s := q.str(name)
	switch s {
	case "", "false":
		return false
	case "true":
		return true
	}
	q.fail(name, s, "true or false")
	return false
}

// count returns a non-negative integer parameter (0 when absent).
func (q *query) count(name string) int {
	s := q.str(name)
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil || n < 0 {
		q.fail(name, s, "a non-negative integer")
		return 0
	}
	return int(n)
}

// timestamp returns an ISO 8601 date-time parameter (the form the client
// writes timestamps in a query string); epoch seconds are accepted too.
func (q *query) timestamp(name string) time.Time {
	s := q.str(name)
	if s == "" {
		return time.Time{}
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 0 && f < 1e12 {
		return fromEpochSeconds(f)
	}
	q.fail(name, s, "an ISO 8601 date-time")
	return time.Time{}
}

// optBool returns a true/false parameter, nil when absent.
func (q *query) optBool(name string) *bool {
	if q.str(name) == "" {
		return nil
	}
	b := q.boolean(name)
	return &b
}

// statuses returns a repeated execution-status parameter.
func (q *query) statuses(name string) []local.ExecutionStatus {
	var out []local.ExecutionStatus
	for _, s := range q.all(name) {
		switch st := local.ExecutionStatus(s); st {
		case local.ExecutionRunning, local.ExecutionSucceeded, local.ExecutionFailed,
			local.ExecutionTimedOut, local.ExecutionStopped:
			out = append(out, st)
		default:
			q.fail(name, s, "RUNNING, SUCCEEDED, FAILED, TIMED_OUT or STOPPED")
		}
	}
	return out
}
