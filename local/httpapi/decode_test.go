package httpapi

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestDecodeCheckpoint(t *testing.T) {
	in, e := decodeCheckpoint([]byte(`{"CheckpointToken":"t","ClientToken":"c","Updates":[{"Id":"1","Type":"STEP","Action":"START","SubType":"Step","ChainedInvokeOptions":{"FunctionName":"f","XAmznTraceId":"x"}}]}`))
	if e != nil {
		t.Fatal(e)
	}
	if *in.CheckpointToken != "t" || in.ClientToken != "c" || len(in.Updates) != 1 || in.Updates[0].Id != "1" {
		t.Fatalf("decoded %+v", in)
	}
}

func TestDecodeCheckpointRejects(t *testing.T) {
	tests := []struct {
		body, code, inMessage string
	}{
		{``, codeInvalidContent, "CheckpointToken is required"},
		{`{`, codeInvalidContent, "JSON"},
		{`[]`, codeInvalidContent, "JSON"},
		{`{"CheckpointToken":5}`, codeInvalidContent, "CheckpointToken"},
		{`{"Updates":[]}`, codeInvalidParameter, "CheckpointToken is required"},
		{`{"CheckpointToken":"t","Updates":{}}`, codeInvalidContent, "Updates"},
		{`{"CheckpointToken":"t","Updates":[{"Type":"STEP","Action":"START"}]}`, codeInvalidParameter, "Updates[0]: missing required member(s) Id"},
		{`{"CheckpointToken":"t","Updates":[{"Id":"a","Type":"STEP","Action":"START","ChainedInvokeOptions":{}}]}`, codeInvalidParameter, "ChainedInvokeOptions.FunctionName"},
		{`{"CheckpointToken":"t","Updates":[{"Id":"a","Type":"STEP","Action":"START","WaitOptions":{"WaitSeconds":1e99}}]}`, codeInvalidContent, "WaitSeconds"},
		{`{"CheckpointToken":"t"} trailing`, codeInvalidContent, "JSON"},
	}
	for _, tt := range tests {
		_, e := decodeCheckpoint([]byte(tt.body))
		if e == nil {
			t.Errorf("%s: no error", tt.body)
			continue
		}
		if e.status != http.StatusBadRequest || e.code != tt.code || !strings.Contains(e.message, tt.inMessage) {
			t.Errorf("%s: got %d %s %q, want 400 %s containing %q", tt.body, e.status, e.code, e.message, tt.code, tt.inMessage)
		}
	}
}

func TestDecodeErrorObject(t *testing.T) {
	eo, e := decodeErrorObject(nil)
	if e != nil || eo != nil {
		t.Fatalf("empty body: %v %v", eo, e)
	}
	eo, e = decodeErrorObject([]byte(`{"ErrorType":"T","ErrorMessage":"m","StackTrace":["a"]}`))
	if e != nil || eo.ErrorType != "T" || eo.ErrorMessage != "m" || len(eo.StackTrace) != 1 {
		t.Fatalf("got %+v %v", eo, e)
	}
	if _, e := decodeErrorObject([]byte(`{"StackTrace":"a"}`)); e == nil || e.code != codeInvalidContent {
		t.Fatalf("want InvalidRequestContentException, got %v", e)
	}
}

func TestQuery(t *testing.T) {
	q := parseQuery("MaxItems=5&ReverseOrder=true&StartedAfter=2000-01-01T00%3A00%3A00Z&Statuses=RUNNING&Statuses=FAILED&StartedBefore=946684800.5")
	if q.err != nil {
		t.Fatal(q.err)
	}
	if q.count("MaxItems") != 5 || !q.boolean("ReverseOrder") || q.optBool("IncludeExecutionData") != nil {
		t.Fatal("wrong values")
	}
	if got := q.timestamp("StartedAfter"); !got.Equal(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("StartedAfter = %v", got)
	}
	if got := q.timestamp("StartedBefore"); !got.Equal(time.UnixMilli(946684800500)) {
		t.Fatalf("StartedBefore = %v", got)
	}
	if st := q.statuses("Statuses"); len(st) != 2 || st[1] != "FAILED" || q.err != nil {
		t.Fatalf("statuses %v err %v", st, q.err)
	}
	for _, raw := range []string{"MaxItems=-1", "MaxItems=x", "MaxItems=99999999999", "ReverseOrder=yes", "StartedAfter=yesterday", "Marker=a&Marker=b", "Statuses=DONE", "a=%zz"} {
		q := parseQuery(raw)
		q.statuses("Statuses")
		q.count("MaxItems")
		q.boolean("ReverseOrder")
		q.timestamp("StartedAfter")
		q.str("Marker")
		if q.err == nil || q.err.code != codeInvalidParameter {
			t.Errorf("%s: want InvalidParameterValueException, got %v", raw, q.err)
		}
	}
}

func TestReadBodyLimits(t *testing.T) {
	// Announced too large: refused before reading.
	r := httptest.NewRequest("POST", "/", strings.NewReader(strings.Repeat("x", 11)))
	if _, e := readBody(httptest.NewRecorder(), r, 10); e == nil || e.status != http.StatusRequestEntityTooLarge || e.code != codeTooLarge {
		t.Fatalf("announced: got %v", e)
	}
	// Not announced (chunked): refused once the limit is crossed.
	r = httptest.NewRequest("POST", "/", errReader{bytes.NewReader(bytes.Repeat([]byte("x"), 11))})
	r.ContentLength = -1
	if _, e := readBody(httptest.NewRecorder(), r, 10); e == nil || e.status != http.StatusRequestEntityTooLarge {
		t.Fatalf("chunked: got %v", e)
	}
	// A broken body is a 400.
	r = httptest.NewRequest("POST", "/", errReader{nil})
	r.ContentLength = -1
	if _, e := readBody(httptest.NewRecorder(), r, 10); e == nil || e.status != http.StatusBadRequest {
		t.Fatalf("broken: got %v", e)
	}
	r = httptest.NewRequest("POST", "/", strings.NewReader("0123456789"))
	if b, e := readBody(httptest.NewRecorder(), r, 10); e != nil || string(b) != "0123456789" {
		t.Fatalf("at the limit: %q %v", b, e)
	}
}

// errReader reads from r, then fails instead of reporting EOF when r is nil.
type errReader struct{ r *bytes.Reader }

func (e errReader) Read(p []byte) (int, error) {
	if e.r == nil {
		return 0, errors.New("connection reset")
	}
	return e.r.Read(p)
}
