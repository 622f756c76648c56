package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/lambda-durable/durable/local"
)

// DefaultMaxRequestBytes bounds a request body unless WithMaxRequestBytes
// says otherwise: 6 MiB, the Lambda API's request cap. Most endpoints have a
// smaller limit of their own (see NewHandler).
const DefaultMaxRequestBytes = 6 << 20

// Option configures NewHandler.
type Option interface{ apply(*handler) }

// optionFunc adapts a function to Option.
type optionFunc func(*handler)

func (f optionFunc) apply(t *handler) { f(t) }

// WithMaxRequestBytes bounds every request body (default
// DefaultMaxRequestBytes), on top of each endpoint's own limit. A larger
// request gets 413 RequestTooLargeException without being read.
func WithMaxRequestBytes(n int64) Option {
	return optionFunc(func(h *handler) {
		if n > 0 {
			h.maxBody = n
		}
	})
}

// WithLogger sets where server faults (errors answered with a 5xx status)
// are logged. By default they are not logged.
func WithLogger(l *slog.Logger) Option {
	return optionFunc(func(h *handler) {
		if l != nil {
			h.log = l
		}
	})
}

// handler serves the API of a local.Service.
type handler struct {
	svc       *local.Service
	mux       *http.ServeMux
	byPattern map[string]*route
	maxBody   int64
	log       *slog.Logger
}

// NewHandler returns an http.Handler that serves the durable execution API
// of svc (restJson1, the paths of the Lambda API version 2025-12-01) and the
// Lambda Invoke operation (2015-03-31), so that the aws-sdk-go-v2 Lambda
// client pointed at it (see LambdaClient) can start executions, checkpoint,
// read state and history, answer callbacks and stop executions.
//
// Every malformed request gets a 4xx answer that names the problem; errors
// carry the X-Amzn-ErrorType header the AWS clients read.
//
// Each endpoint bounds its body before reading it, from svc's Limits: a
// callback result by MaxOperationPayload (256 KiB), a callback failure or
// stop error by twice that (room for the JSON quoting of a full-size
// error), an Invoke payload by MaxInputPayload, a heartbeat by 1 KiB (it
// has no body), and a checkpoint by the API's request cap
// (DefaultMaxRequestBytes); WithMaxRequestBytes caps them all.
//
// The handler does not check who is calling: serve it with Listen, or
// behind Guard, so that only local clients reach it.
func NewHandler(svc *local.Service, opts ...Option) http.Handler {
	h := &handler{
		svc:     svc,
		maxBody: DefaultMaxRequestBytes,
		log:     slog.New(slog.DiscardHandler),
	}
	for _, o := range opts {
		o.apply(h)
	}
	h.mux, h.byPattern = h.newMux()
	return h
}

// heartbeatBodyLimit bounds the body of a heartbeat, which has none.
const heartbeatBodyLimit = 1 << 10

// The body limits of the endpoints that read one (see NewHandler).
func (h *handler) checkpointLimit() int64     { return DefaultMaxRequestBytes }
func (h *handler) callbackResultLimit() int64 { return int64(h.svc.Limits().MaxOperationPayload) }
func (h *handler) errorObjectLimit() int64    { return 2 * int64(h.svc.Limits().MaxOperationPayload) }
func (h *handler) invokeLimit() int64         { return int64(h.svc.Limits().MaxInputPayload) }
func (h *handler) emptyBodyLimit() int64      { return heartbeatBodyLimit }

// ServeHTTP routes a request to its endpoint.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			h.log.Error("httpapi: panic while serving a request", "method", r.Method, "path", r.URL.Path, "panic", v)
			writeError(w, &apiError{status: http.StatusInternalServerError, code: codeServiceException, message: "internal error"})
		}
	}()
	notFound, err := checkPath(r.URL.EscapedPath())
	switch {
	case err != nil:
		writeError(w, badRequest(codeInvalidParameter, "malformed request path: "+err.Error()))
	case notFound:
		writeError(w, unknownOperation(r))
	default:
		h.mux.ServeHTTP(w, r)
	}
}

// fail answers with err: an *apiError or *local.APIError as it says, a
// request its client cancelled with a 400 nobody reads, anything else as a
// 500 ServiceException.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	var ae *apiError
	if errors.As(err, &ae) {
		writeError(w, ae)
		return
	}
	var le *local.APIError
	if errors.As(err, &le) {
		status := le.HTTPStatus
		if status < 400 || status > 599 {
			status = http.StatusInternalServerError
		}
		if status >= 500 {
			h.log.Error("httpapi: service fault", "method", r.Method, "path", r.URL.Path, "err", err)
		}
		writeError(w, &apiError{status: status, code: le.Code, message: le.Message, retryAfter: le.RetryAfter})
		return
	}
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		// The caller went away; nobody reads this answer.
		writeError(w, badRequest(codeInvalidParameter, "request cancelled by the client"))
		return
	}
	h.log.Error("httpapi: service fault", "method", r.Method, "path", r.URL.Path, "err", err)
	writeError(w, &apiError{status: http.StatusInternalServerError, code: codeServiceException, message: err.Error()})
}

// reply writes a 200 JSON answer encoded for the API (epoch-second timestamps).
func (h *handler) reply(w http.ResponseWriter, r *http.Request, v any) {
	b, err := encodeAPI(v)
	if err != nil {
		h.fail(w, r, fmt.Errorf("encoding the response: %w", err))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}
