package httpapi

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// The path prefixes of the two API versions the server speaks.
const (
	durablePrefix = "/2025-12-01"
	invokePrefix  = "/2015-03-31"
)

// A route is one API operation: its method, its http.ServeMux path pattern
// (with exactly one wildcard, named by label, that ServeMux hands over
// unescaped: a percent-encoded "/" stays inside it) and the endpoint that
// serves it.
type route struct {
	op      string // API operation name, for errors
	method  string
	path    string
	label   string
	serve   func(h *handler, w http.ResponseWriter, r *http.Request, label string, body []byte)
	maxBody func(h *handler) int64 // the endpoint's body limit; nil: it reads no body
}

// pattern is the route's http.ServeMux pattern.
func (rt *route) pattern() string { return rt.method + " " + rt.path }

// newRoutes lists every endpoint the server answers.
func newRoutes() []route {
	return []route{
		{"CheckpointDurableExecution", http.MethodPost, durablePrefix + "/durable-executions/{arn}/checkpoint", "arn", (*handler).checkpoint, (*handler).checkpointLimit},
		{"GetDurableExecutionState", http.MethodGet, durablePrefix + "/durable-executions/{arn}/state", "arn", (*handler).getState, nil},
		{"GetDurableExecutionHistory", http.MethodGet, durablePrefix + "/durable-executions/{arn}/history", "arn", (*handler).getHistory, nil},
		{"StopDurableExecution", http.MethodPost, durablePrefix + "/durable-executions/{arn}/stop", "arn", (*handler).stop, (*handler).errorObjectLimit},
		{"GetDurableExecution", http.MethodGet, durablePrefix + "/durable-executions/{arn}", "arn", (*handler).getExecution, nil},
		{"ListDurableExecutionsByFunction", http.MethodGet, durablePrefix + "/functions/{function}/durable-executions", "function", (*handler).listExecutions, nil},
		{"SendDurableExecutionCallbackSuccess", http.MethodPost, durablePrefix + "/durable-execution-callbacks/{callbackId}/succeed", "callbackId", (*handler).callbackSuccess, (*handler).callbackResultLimit},
		{"SendDurableExecutionCallbackFailure", http.MethodPost, durablePrefix + "/durable-execution-callbacks/{callbackId}/fail", "callbackId", (*handler).callbackFailure, (*handler).errorObjectLimit},
		{"SendDurableExecutionCallbackHeartbeat", http.MethodPost, durablePrefix + "/durable-execution-callbacks/{callbackId}/heartbeat", "callbackId", (*handler).callbackHeartbeat, (*handler).emptyBodyLimit},
		{"Invoke", http.MethodPost, invokePrefix + "/functions/{function}/invocations", "function", (*handler).invoke, (*handler).invokeLimit},
	}
}

// newMux registers every route on an http.ServeMux, with a catch-all that
// answers unknown paths and wrong methods in the AWS error shape (ServeMux's
// own answers are plain text). A route that takes a body gets it read up to
// the route's own limit (and never more than WithMaxRequestBytes): a larger
// body is refused with 413 before it is read when Content-Length announces
// it, and as soon as it crosses the limit otherwise. It returns the mux and
// the routes by pattern.
func (h *handler) newMux() (*http.ServeMux, map[string]*route) {
	mux := http.NewServeMux()
	routes := newRoutes()
	byPattern := make(map[string]*route, len(routes))
	for i := range routes {
		rt := &routes[i]
		byPattern[rt.pattern()] = rt
		var limit int64
		if rt.maxBody != nil {
			limit = min(rt.maxBody(h), h.maxBody)
		}
		mux.HandleFunc(rt.pattern(), func(w http.ResponseWriter, r *http.Request) {
			var body []byte
			if limit > 0 {
				var e *apiError
				if body, e = readBody(w, r, limit); e != nil {
					writeError(w, e)
					return
				}
			}
			rt.serve(h, w, r, r.PathValue(rt.label), body)
		})
	}
	mux.HandleFunc("/", h.noRoute)
	return mux, byPattern
}

// match returns the route that serves method at the request's path, nil
// when there is none.
func (h *handler) match(r *http.Request, method string) *route {
	if notFound, err := checkPath(r.URL.EscapedPath()); notFound || err != nil {
		return nil
	}
	probe := *r
	probe.Method = method
	_, pattern := h.mux.Handler(&probe)
	return h.byPattern[pattern]
}

// noRoute answers a request no route took: 405 MethodNotAllowedException
// (with Allow) when another method serves the path, 404
// UnknownOperationException otherwise.
func (h *handler) noRoute(w http.ResponseWriter, r *http.Request) {
	for _, m := range []string{http.MethodGet, http.MethodPost} {
		if m == r.Method {
			continue
		}
		if rt := h.match(r, m); rt != nil {
			w.Header().Set("Allow", rt.method)
			writeError(w, &apiError{status: http.StatusMethodNotAllowed, code: codeMethodNotAllowed,
				message: fmt.Sprintf("%s takes %s, not %s", rt.op, rt.method, r.Method)})
			return
		}
	}
	writeError(w, unknownOperation(r))
}

func unknownOperation(r *http.Request) *apiError {
	return &apiError{status: http.StatusNotFound, code: codeUnknownOperation,
		message: fmt.Sprintf("no operation at %s %s", r.Method, r.URL.EscapedPath())}
}

// checkPath checks an escaped URL path before routing: every escape must be
// valid (400 InvalidParameterValueException otherwise), and the path must be
// clean, with no empty, "." or ".." segment, which ServeMux would answer
// with a redirect (404 UnknownOperationException: no operation has such a
// path). It does not allocate.
func checkPath(escaped string) (notFound bool, err error) {
	if !strings.HasPrefix(escaped, "/") {
		return true, nil
	}
	rest := escaped[1:]
	for i := 1; ; i++ {
		seg, more, found := strings.Cut(rest, "/")
		if strings.IndexByte(seg, '%') >= 0 {
			if _, err := url.PathUnescape(seg); err != nil {
				return false, fmt.Errorf("path segment %d %q: %w", i, seg, err)
			}
		}
		if seg == "." || seg == ".." || (seg == "" && (found || i > 1)) {
			notFound = true
		}
		if !found {
			return notFound, nil
		}
		rest = more
	}
}
