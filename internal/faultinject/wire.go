package faultinject

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// requestHeader carries the id Transport gives each request, so that HTTP
// can make that request time out.
const requestHeader = "X-Faultinject-Request"

// ErrTimedOut is wrapped by the error Transport returns for a request that
// HTTP made time out.
var ErrTimedOut = errors.New("faultinject: request timed out")

// timeoutError is what the client sees when its request times out: a
// net.Error whose Timeout is true, like the one http.Client returns when
// its deadline passes.
type timeoutError struct{}

func (timeoutError) Error() string {
	return "faultinject: request timed out (injected): context deadline exceeded"
}
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }
func (timeoutError) Unwrap() []error {
	return []error{ErrTimedOut, ErrInjected, context.DeadlineExceeded}
}

// Transport wraps the client's round tripper (nil: http.DefaultTransport)
// so that HTTP can inject Timeout: each request gets an id, and when HTTP
// chooses to time that request out, its deadline passes at once (no wall
// clock is involved) and the client gets a timeout error before any answer,
// as if the service had not answered in time. The service never sees the
// request.
func (in *Injector) Transport(next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return roundTripper(func(r *http.Request) (*http.Response, error) {
		ctx, cancel := context.WithCancelCause(r.Context())
		defer cancel(nil)
		in.mu.Lock()
		if in.expire == nil {
			in.expire = map[string]context.CancelCauseFunc{}
		}
		in.requests++
		id := strconv.Itoa(in.requests)
		in.expire[id] = cancel
		in.mu.Unlock()
		defer func() {
			in.mu.Lock()
			delete(in.expire, id)
			in.mu.Unlock()
		}()
		r = r.Clone(ctx)
		r.Header.Set(requestHeader, id)
		res, err := next.RoundTrip(r)
		if errors.Is(context.Cause(ctx), ErrTimedOut) {
			if res != nil {
				_ = res.Body.Close()
			}
			return nil, timeoutError{}
		}
		return res, err
	})
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// timeOut makes the request r time out on the client (see Transport); it
// reports false if r did not come through Transport.
func (in *Injector) timeOut(r *http.Request) bool {
	in.mu.Lock()
	cancel, ok := in.expire[r.Header.Get(requestHeader)]
	in.mu.Unlock()
	if ok {
		cancel(timeoutError{})
	}
	return ok
}

// register notes a live invocation (its context, which Kill takes) under
// its execution, so that HTTP can kill it (payload is the invocation event).
func (in *Injector) register(payload []byte, inv context.Context) (unregister func()) {
	var ev struct{ DurableExecutionArn string }
	if json.Unmarshal(payload, &ev) != nil || ev.DurableExecutionArn == "" {
		return func() {}
	}
	arn := ev.DurableExecutionArn
	in.mu.Lock()
	if in.live == nil {
		in.live = map[string]map[context.Context]bool{}
	}
	if in.live[arn] == nil {
		in.live[arn] = map[context.Context]bool{}
	}
	in.live[arn][inv] = true
	in.mu.Unlock()
	return func() {
		in.mu.Lock()
		delete(in.live[arn], inv)
		in.mu.Unlock()
	}
}

// killExecution kills the live invocations of the execution whose API
// request r is; it reports whether there was one.
func (in *Injector) killExecution(r *http.Request) bool {
	arn := requestARN(r)
	in.mu.Lock()
	var invs []context.Context
	for inv := range in.live[arn] {
		invs = append(invs, inv)
	}
	in.mu.Unlock()
	for _, inv := range invs {
		Kill(inv)
	}
	return len(invs) > 0
}

// requestARN returns the execution ARN in the path of a durable execution
// API request ("" if there is none).
func requestARN(r *http.Request) string {
	p := r.URL.EscapedPath()
	i := strings.Index(p, "/durable-executions/")
	if i < 0 {
		return ""
	}
	rest := p[i+len("/durable-executions/"):]
	j := strings.LastIndex(rest, "/")
	if j < 0 {
		return ""
	}
	arn, err := url.PathUnescape(rest[:j])
	if err != nil {
		return ""
	}
	return arn
}

// wireFault injects the faults HTTP delivers by acting on the client
// (Timeout, Crash) before the service sees r; it reports whether it
// answered r.
func (in *Injector) wireFault(w http.ResponseWriter, r *http.Request, k Kind) bool {
	var problem error
	switch k {
	case Timeout:
		if !in.timeOut(r) {
			problem = fmt.Errorf("faultinject: %s over HTTP needs the client to use Injector.Transport", k)
		}
	case Crash:
		problem = in.crash(r, k)
	default:
		return false
	}
	if problem != nil {
		in.problem(problem)
		writeAPIError(w, http.StatusInternalServerError, "ServiceException", problem.Error(), 0)
		return true
	}
	hangUp(w)
	return true
}

// crash kills the invocation of r's execution (fault k); the error says
// why it could not.
func (in *Injector) crash(r *http.Request, k Kind) error {
	if in.killExecution(r) {
		return nil
	}
	return fmt.Errorf("faultinject: %s over HTTP: no live invocation of %q (wrap the function with Injector.Function)", k, requestARN(r))
}
