package console

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/local"
)

// maxFormBytes bounds an action's form: a callback result may be as large
// as an operation payload (256 KiB), plus room for the other fields.
const maxFormBytes = 1 << 20

// callback answers a waiting callback (form fields arn, callbackId, action
// = succeed, fail or heartbeat; result for succeed; errorType, errorMessage
// and errorData for fail), then shows the execution again.
func (c *Console) callback(w http.ResponseWriter, r *http.Request) {
	if !c.parseForm(w, r) {
		return
	}
	arn, id := r.PostForm.Get("arn"), r.PostForm.Get("callbackId")
	var err error
	switch action := r.PostForm.Get("action"); action {
	case "succeed":
		err = c.svc.SendCallbackSuccess(r.Context(), &local.SendCallbackSuccessInput{
			CallbackId: id, Result: []byte(r.PostForm.Get("result"))})
	case "fail":
		err = c.svc.SendCallbackFailure(r.Context(), &local.SendCallbackFailureInput{
			CallbackId: id, Error: formError(r.PostForm)})
	case "heartbeat":
		err = c.svc.SendCallbackHeartbeat(r.Context(), &local.SendCallbackHeartbeatInput{CallbackId: id})
	default:
		err = &local.APIError{Code: local.CodeInvalidParameterValue, HTTPStatus: http.StatusBadRequest,
			Message: "unknown callback action " + clip(action, 40) + " (want succeed, fail or heartbeat)"}
	}
	c.afterAction(w, r, arn, err)
}

// stop stops a running execution (form fields arn, and optionally
// errorType, errorMessage and errorData), then shows it again.
func (c *Console) stop(w http.ResponseWriter, r *http.Request) {
	if !c.parseForm(w, r) {
		return
	}
	arn := r.PostForm.Get("arn")
	_, err := c.svc.StopExecution(r.Context(), &local.StopExecutionInput{DurableExecutionArn: arn, Error: formError(r.PostForm)})
	c.afterAction(w, r, arn, err)
}

// sameSite refuses (403) an action a browser sent from another site: its
// Sec-Fetch-Site header says so, or, from a browser without that header,
// its Origin is not the console's host. Requests without either header
// (scripts, curl) are not from a browser page and pass.
func (c *Console) sameSite(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if crossSite(r) {
			c.render(w, http.StatusForbidden, "error.html", errorPage{Status: http.StatusText(http.StatusForbidden),
				Message: "console: a page of another site may not act on executions"})
			return
		}
		next(w, r)
	}
}

// crossSite reports whether a browser sent r from a page of another origin.
func crossSite(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-origin", "none":
		return false
	case "":
	default:
		return true
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false
	}
	u, err := url.Parse(origin)
	return err != nil || u.Host != r.Host
}

// parseForm reads a bounded url-encoded form, answering 400 or 413 when it
// cannot.
func (c *Console) parseForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		status := http.StatusBadRequest
		if tooLarge := new(http.MaxBytesError); errors.As(err, &tooLarge) {
			status = http.StatusRequestEntityTooLarge
		}
		c.render(w, status, "error.html", errorPage{Status: http.StatusText(status), Message: "console: reading the form: " + err.Error()})
		return false
	}
	return true
}

// formError returns the error object the form describes, or nil when its
// error fields are empty.
func formError(form url.Values) *checkpoint.ErrorObject {
	typ, msg, data := form.Get("errorType"), form.Get("errorMessage"), form.Get("errorData")
	if typ == "" && msg == "" && data == "" {
		return nil
	}
	return &checkpoint.ErrorObject{ErrorType: typ, ErrorMessage: msg, ErrorData: data}
}

// afterAction sends the browser back to the execution page when the action
// worked (303, so that reloading does not repeat it), or shows the page
// again with the error and its status when it did not.
func (c *Console) afterAction(w http.ResponseWriter, r *http.Request, arn string, err error) {
	if err == nil {
		// A relative Location (not http.Redirect, which makes it absolute)
		// keeps working when the console is mounted under a prefix.
		w.Header().Set("Location", "execution?"+url.Values{"arn": {arn}}.Encode())
		w.WriteHeader(http.StatusSeeOther)
		return
	}
	page, perr := c.executionPage(r.Context(), arn)
	if perr != nil {
		c.renderError(w, err)
		return
	}
	page.Notice = err.Error()
	c.render(w, httpStatus(err), "execution.html", page)
}
