package faultinject

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
)

// Exchange is one CheckpointDurableExecution request seen by HTTP.
type Exchange struct {
	// ClientToken and CheckpointToken are the request's tokens.
	ClientToken, CheckpointToken string
	// Status and Body are the service's answer (before any fault).
	Status int
	Body   []byte
	// Fault is the fault injected into this request (0: none).
	Fault Kind
}

// Traffic returns the checkpoint requests HTTP saw, in order.
func (in *Injector) Traffic() []Exchange {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]Exchange(nil), in.traffic...)
}

// HTTP wraps the local service's HTTP front (local/httpapi) so that the
// requests the rules select fail on the wire: service errors are answered
// as the API writes them (status, X-Amzn-ErrorType, JSON body, Retry-After),
// NetworkReset drops the connection before the service sees the request,
// LostResponse and LostResponseRetried let the service answer and drop the
// connection instead of sending the answer (the AWS client's retryer then
// resends the request with the same client token), NoToken removes the
// CheckpointToken from the answer. Timeout makes the request time out on
// the client before the service sees it (the client must use Transport).
// Crash kills the invocation of the request's execution before the service
// sees the request, CrashAfterApply once the service has applied it (the
// function must be wrapped by Function); the connection is then dropped.
//
// Only CheckpointDurableExecution and GetDurableExecutionState requests are
// counted; the others pass through.
func (in *Injector) HTTP(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		op := httpOp(r)
		if op == "" {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		var cp *checkpoint.CheckpointInput
		if op == OpCheckpoint {
			cp = &checkpoint.CheckpointInput{}
			_ = json.Unmarshal(body, cp) // a malformed body is the service's to refuse
		}
		k, faulty := in.decide(op, cp)
		if faulty {
			if ae := k.APIError(); ae != nil {
				writeAPIError(w, ae.HTTPStatus, ae.Code, ae.Message, ae.RetryAfter)
				in.record(op, body, nil, k)
				return
			}
			if k == NetworkReset || in.wireFault(w, r, k) {
				in.record(op, body, nil, k)
				if k == NetworkReset {
					hangUp(w)
				}
				return
			}
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		res := rec.Result()
		answer := rec.Body.Bytes()
		in.record(op, body, &recorded{status: res.StatusCode, body: answer}, k)
		switch {
		case faulty && k == CrashAfterApply:
			if err := in.crash(r, k); err != nil {
				in.problem(err)
			}
			hangUp(w)
			return
		case faulty && (k == LostResponse || k == LostResponseRetried):
			hangUp(w)
			return
		case faulty && k == NoToken && res.StatusCode == http.StatusOK:
			answer = withoutToken(answer)
		}
		for key, vals := range res.Header {
			if strings.EqualFold(key, "Content-Length") {
				continue
			}
			w.Header()[key] = vals
		}
		w.WriteHeader(res.StatusCode)
		_, _ = w.Write(answer)
	})
}

type recorded struct {
	status int
	body   []byte
}

// record notes a checkpoint request (reads are not recorded).
func (in *Injector) record(op string, reqBody []byte, res *recorded, k Kind) {
	if op != OpCheckpoint {
		return
	}
	var req checkpoint.CheckpointInput
	_ = json.Unmarshal(reqBody, &req)
	ex := Exchange{ClientToken: req.ClientToken, CheckpointToken: req.CheckpointToken, Fault: k}
	if res != nil {
		ex.Status, ex.Body = res.status, res.body
	}
	in.mu.Lock()
	in.traffic = append(in.traffic, ex)
	in.mu.Unlock()
}

// httpOp names the durable execution API operation of r, or "".
func httpOp(r *http.Request) string {
	p := r.URL.EscapedPath()
	if !strings.Contains(p, "/durable-executions/") {
		return ""
	}
	switch {
	case r.Method == http.MethodPost && strings.HasSuffix(p, "/checkpoint"):
		return OpCheckpoint
	case r.Method == http.MethodGet && strings.HasSuffix(p, "/state"):
		return OpGetState
	}
	return ""
}

// writeAPIError answers the way the Lambda API does.
func writeAPIError(w http.ResponseWriter, status int, code, msg string, retryAfter time.Duration) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Amzn-ErrorType", code)
	if retryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(int((retryAfter+time.Second-1)/time.Second)))
	}
	kind := "User"
	if status >= 500 {
		kind = "Service"
	}
	b, _ := json.Marshal(map[string]string{"Type": kind, "message": msg})
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// hangUp closes the connection without answering.
func hangUp(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler) // net/http closes the connection
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// withoutToken removes CheckpointToken from a JSON answer.
func withoutToken(body []byte) []byte {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return body
	}
	delete(m, "CheckpointToken")
	b, err := json.Marshal(m)
	if err != nil {
		return body
	}
	return b
}
