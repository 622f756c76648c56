package runtimeapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
)

// MaxResponseBytes is the largest response or error body the runtime may
// post, Lambda's 6 MB synchronous payload limit.
const MaxResponseBytes = 6 << 20

const prefix = "/2018-06-01/runtime"

// routes is the Runtime API of one process.
func (p *process) routes(arn string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+prefix+"/invocation/next", func(w http.ResponseWriter, r *http.Request) {
		inv, ok := p.waitNext(r.Context())
		if !ok {
			return
		}
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("Lambda-Runtime-Aws-Request-Id", inv.id)
		h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(inv.deadline.UnixMilli(), 10))
		h.Set("Lambda-Runtime-Invoked-Function-Arn", arn)
		h.Set("Lambda-Runtime-Trace-Id", traceId(inv.id))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(inv.payload)
	})
	mux.HandleFunc("POST "+prefix+"/invocation/{id}/response", func(w http.ResponseWriter, r *http.Request) {
		inv := p.lookup(r.PathValue("id"))
		if inv == nil {
			unknownRequest(w, r.PathValue("id"))
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxResponseBytes))
		if err != nil {
			e := &FunctionError{Type: "Function.ResponseSizeTooLarge", Message: err.Error()}
			var tooLarge *http.MaxBytesError
			if !errors.As(err, &tooLarge) {
				e.Type = "Runtime.ResponseReadError"
			}
			inv.answer(outcome{err: e})
			writeRuntimeError(w, http.StatusRequestEntityTooLarge, e.Type, e.Message)
			return
		}
		inv.answer(outcome{body: body})
		accepted(w)
	})
	mux.HandleFunc("POST "+prefix+"/invocation/{id}/error", func(w http.ResponseWriter, r *http.Request) {
		inv := p.lookup(r.PathValue("id"))
		if inv == nil {
			unknownRequest(w, r.PathValue("id"))
			return
		}
		inv.answer(outcome{err: readFunctionError(w, r)})
		accepted(w)
	})
	mux.HandleFunc("POST "+prefix+"/init/error", func(w http.ResponseWriter, r *http.Request) {
		p.setInitError(readFunctionError(w, r))
		accepted(w)
	})
	return mux
}

// readFunctionError reads the runtime's error document
// ({"errorMessage","errorType","stackTrace"}); the
// Lambda-Runtime-Function-Error-Type header names the type when the body
// does not.
func readFunctionError(w http.ResponseWriter, r *http.Request) *FunctionError {
	var doc struct {
		Message    string            `json:"errorMessage"`
		Type       string            `json:"errorType"`
		StackTrace []json.RawMessage `json:"stackTrace"`
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxResponseBytes))
	e := &FunctionError{Type: r.Header.Get("Lambda-Runtime-Function-Error-Type")}
	switch {
	case err != nil:
		e.Message = "reading the error report: " + err.Error()
	case json.Unmarshal(body, &doc) != nil:
		e.Message = string(body)
	default:
		e.Message = doc.Message
		if doc.Type != "" {
			e.Type = doc.Type
		}
		for _, frame := range doc.StackTrace {
			var s string
			if json.Unmarshal(frame, &s) != nil {
				s = string(frame) // aws-lambda-go sends {"path","line","label"} objects
			}
			e.StackTrace = append(e.StackTrace, s)
		}
	}
	if e.Type == "" {
		e.Type = "Unhandled"
	}
	return e
}

func accepted(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	_, _ = io.WriteString(w, `{"status":"OK"}`)
}

func unknownRequest(w http.ResponseWriter, id string) {
	writeRuntimeError(w, http.StatusBadRequest, "InvalidRequestID", fmt.Sprintf("no invocation in flight with request id %q", id))
}

func writeRuntimeError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"errorType": typ, "errorMessage": msg})
}

// traceId makes an X-Ray style trace header from the request id.
func traceId(requestId string) string {
	hexOnly := make([]byte, 0, 32)
	for i := 0; i < len(requestId); i++ {
		if requestId[i] != '-' {
			hexOnly = append(hexOnly, requestId[i])
		}
	}
	return fmt.Sprintf("Root=1-%s-%s;Sampled=0", hexOnly[:8], hexOnly[8:32])
}
