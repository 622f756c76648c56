package httpapi

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// Error codes the front itself produces (the service core produces the
// others, see local.APIError).
const (
	codeInvalidParameter  = "InvalidParameterValueException"
	codeInvalidContent    = "InvalidRequestContentException"
	codeTooLarge          = "RequestTooLargeException"
	codeTooManyRequests   = "TooManyRequestsException"
	codeResourceNotFound  = "ResourceNotFoundException"
	codeUnknownOperation  = "UnknownOperationException"
	codeMethodNotAllowed  = "MethodNotAllowedException"
	codeUnsupportedMedia  = "UnsupportedMediaTypeException"
	codeServiceException  = "ServiceException"
	codeAccessDenied      = "AccessDeniedException"
	headerErrorType       = "X-Amzn-ErrorType"
	headerRetryAfter      = "Retry-After"
	throttleReasonDefault = "CallerRateLimitExceeded"
)

// apiError is an error response: an HTTP status, the error code carried in
// the X-Amzn-ErrorType header, and a message.
type apiError struct {
	status     int
	code       string
	message    string
	retryAfter time.Duration
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

// messageKey returns how the error shape of code spells its message member:
// "message" for some, "Message" for the others, as the Lambda model does.
func messageKey(code string) string {
	switch code {
	case codeInvalidParameter, codeInvalidContent, codeTooLarge, codeTooManyRequests,
		codeUnsupportedMedia, "ResourceConflictException":
		return "message"
	}
	return "Message"
}

// writeError sends e the way the Lambda API does: the status, the
// X-Amzn-ErrorType header and a JSON body {"Type": "User"|"Service",
// "message": "..."} (or "Message", as the error's shape spells it).
func writeError(w http.ResponseWriter, e *apiError) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set(headerErrorType, e.code)
	if e.code == codeTooManyRequests {
		secs := int64((e.retryAfter + time.Second - 1) / time.Second)
		if secs < 1 {
			secs = 1
		}
		h.Set(headerRetryAfter, strconv.FormatInt(secs, 10))
	}
	w.WriteHeader(e.status)
	_, _ = w.Write(errorBody(e))
}

// errorBody is the JSON body of an error response.
func errorBody(e *apiError) []byte {
	body := map[string]string{"Type": "User"}
	if e.status >= 500 {
		body["Type"] = "Service"
	}
	body[messageKey(e.code)] = e.message
	if e.code == codeTooManyRequests {
		body["Reason"] = throttleReasonDefault
	}
	b, _ := json.Marshal(body) // a map of strings always encodes
	return b
}

func badRequest(code, msg string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: code, message: msg}
}
