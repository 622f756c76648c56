package httpapi

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/lambda-durable/durable/local"
)

// Headers of the Lambda Invoke operation.
const (
	headerInvocationType  = "X-Amz-Invocation-Type"
	headerExecutionName   = "X-Amz-Durable-Execution-Name"
	headerTenantID        = "X-Amz-Tenant-Id"
	headerExecutionArn    = "X-Amz-Durable-Execution-Arn"
	headerExecutedVersion = "X-Amz-Executed-Version"
	headerFunctionError   = "X-Amz-Function-Error"
)

// functionError is the payload of an Invoke answer whose execution did not
// succeed, in the shape Lambda uses for function errors.
type functionError struct {
	ErrorType    string   `json:"errorType,omitempty"`
	ErrorMessage string   `json:"errorMessage,omitempty"`
	StackTrace   []string `json:"stackTrace,omitempty"`
}

// invoke starts a durable execution of a registered function (Lambda
// Invoke). InvocationType Event answers 202 as soon as the execution is
// started; RequestResponse (the default) waits for the execution to end and
// answers its result, or, when it did not succeed, its error with the
// X-Amz-Function-Error header; DryRun only checks that the function exists.
// Every answer names the execution in X-Amz-Durable-Execution-Arn.
func (h *handler) invoke(w http.ResponseWriter, r *http.Request, function string, body []byte) {
	q := parseQuery(r.URL.RawQuery)
	fn := withQualifier(function, q.str("Qualifier"))
	if q.err != nil {
		writeError(w, q.err)
		return
	}
	invType := r.Header.Get(headerInvocationType)
	switch invType {
	case "", "RequestResponse", "Event", "DryRun":
	default:
		writeError(w, badRequest(codeInvalidParameter,
			"X-Amz-Invocation-Type "+invType+": want RequestResponse, Event or DryRun"))
		return
	}
	if len(strings.TrimSpace(string(body))) > 0 && !json.Valid(body) {
		writeError(w, badRequest(codeInvalidContent, "Could not parse request body into json: the payload is not valid JSON"))
		return
	}
	if invType == "DryRun" {
		if _, err := h.svc.FunctionArn(fn); err != nil {
			h.fail(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
		return
	}
	arn, err := h.svc.StartExecution(r.Context(), local.StartInput{
		FunctionName:  fn,
		ExecutionName: r.Header.Get(headerExecutionName),
		Input:         body,
		Async:         invType == "Event",
		TenantId:      r.Header.Get(headerTenantID),
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set(headerExecutionArn, arn)
	w.Header().Set(headerExecutedVersion, qualifierOf(arn))
	if invType == "Event" {
		w.WriteHeader(http.StatusAccepted)
		return
	}
	out, err := h.svc.GetExecution(r.Context(), &local.GetExecutionInput{DurableExecutionArn: arn})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if out.Status == local.ExecutionSucceeded {
		if out.Result != nil {
			_, _ = w.Write([]byte(*out.Result))
		}
		return
	}
	fe := functionError{ErrorType: statusErrorType(out.Status), ErrorMessage: "the durable execution ended " + string(out.Status)}
	if out.Error != nil {
		if out.Error.ErrorType != "" {
			fe.ErrorType = out.Error.ErrorType
		}
		if out.Error.ErrorMessage != "" {
			fe.ErrorMessage = out.Error.ErrorMessage
		}
		fe.StackTrace = out.Error.StackTrace
	}
	b, _ := json.Marshal(fe) // strings only: always encodes
	w.Header().Set(headerFunctionError, "Unhandled")
	_, _ = w.Write(b)
}

// qualifierOf returns the qualifier in an execution ARN
// (arn:aws:lambda:<region>:<acct>:function:<fn>:<qualifier>/durable-execution/...),
// "$LATEST" when there is none.
func qualifierOf(arn string) string {
	fnPart, _, _ := strings.Cut(arn, "/")
	parts := strings.Split(fnPart, ":")
	if len(parts) >= 8 && parts[7] != "" {
		return parts[7]
	}
	return "$LATEST"
}

// withQualifier appends the Qualifier query parameter to a function name or
// ARN. A reference that carries a qualifier already gets the parameter
// appended too, unless they are the same: the result then names no
// function, and the lookup answers 404, as for any other mismatch.
func withQualifier(fn, qual string) string {
	if qual == "" {
		return fn
	}
	colons := strings.Count(fn, ":")
	qualified := strings.HasPrefix(fn, "arn:") && colons == 7 || // arn:aws:lambda:region:acct:function:name:qual
		!strings.HasPrefix(fn, "arn:") && (colons == 3 || colons == 1) // acct:function:name:qual, name:qual
	if qualified && strings.HasSuffix(fn, ":"+qual) {
		return fn
	}
	return fn + ":" + qual
}

// statusErrorType names the error of an execution that ended without one.
func statusErrorType(s local.ExecutionStatus) string {
	switch s {
	case local.ExecutionTimedOut:
		return "ExecutionTimedOut"
	case local.ExecutionStopped:
		return "ExecutionStopped"
	}
	return "ExecutionFailed"
}
