package httpapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/lambda-durable/durable/local/httpapi"
)

// TestMalformedRequests sends broken requests of every kind over HTTP and
// checks that each gets a 4xx error the AWS clients can read.
func TestMalformedRequests(t *testing.T) {
	e := newEnv(t, nil, httpapi.WithMaxRequestBytes(64<<10))
	e.register(t, "greeter", greeter)
	arn := "arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Agreeter%3A%24LATEST%2Fdurable-execution%2Fa%2Fb"
	ex := "/2025-12-01/durable-executions/" + arn
	big := strings.Repeat("x", 65<<10)
	tests := []struct {
		name, method, path, body string
		header                   map[string]string
		chunked                  bool
		status                   int
		code                     string
	}{
		{"unknown path", "GET", "/nope", "", nil, false, 404, "UnknownOperationException"},
		{"unknown version", "GET", "/2099-01-01/durable-executions/x", "", nil, false, 404, "UnknownOperationException"},
		{"wrong method", "DELETE", ex, "", nil, false, 405, "MethodNotAllowedException"},
		{"empty label", "GET", "/2025-12-01/durable-executions//history", "", nil, false, 404, "UnknownOperationException"},
		{"checkpoint: not JSON", "POST", ex + "/checkpoint", "{", nil, false, 400, "InvalidRequestContentException"},
		{"checkpoint: empty body", "POST", ex + "/checkpoint", "", nil, false, 400, "InvalidRequestContentException"},
		{"checkpoint: wrong types", "POST", ex + "/checkpoint", `{"CheckpointToken":"t","Updates":[{"Id":1}]}`, nil, false, 400, "InvalidRequestContentException"},
		{"checkpoint: no token", "POST", ex + "/checkpoint", `{"Updates":[]}`, nil, false, 400, "InvalidParameterValueException"},
		{"checkpoint: update without Action", "POST", ex + "/checkpoint", `{"CheckpointToken":"t","Updates":[{"Id":"a","Type":"STEP"}]}`, nil, false, 400, "InvalidParameterValueException"},
		{"checkpoint: too large", "POST", ex + "/checkpoint", big, nil, false, 413, "RequestTooLargeException"},
		{"checkpoint: too large, chunked", "POST", ex + "/checkpoint", big, nil, true, 413, "RequestTooLargeException"},
		{"state: no token", "GET", ex + "/state", "", nil, false, 400, "InvalidParameterValueException"},
		{"state: bad MaxItems", "GET", ex + "/state?CheckpointToken=t&MaxItems=lots", "", nil, false, 400, "InvalidParameterValueException"},
		{"state: negative MaxItems", "GET", ex + "/state?CheckpointToken=t&MaxItems=-5", "", nil, false, 400, "InvalidParameterValueException"},
		{"history: bad bool", "GET", ex + "/history?ReverseOrder=maybe", "", nil, false, 400, "InvalidParameterValueException"},
		{"history: bad query", "GET", ex + "/history?a=%zz", "", nil, false, 400, "InvalidParameterValueException"},
		{"execution: bad bool", "GET", ex + "?IncludeExecutionData=1", "", nil, false, 400, "InvalidParameterValueException"},
		{"list: bad status", "GET", "/2025-12-01/functions/greeter/durable-executions?Statuses=DONE", "", nil, false, 400, "InvalidParameterValueException"},
		{"list: bad date", "GET", "/2025-12-01/functions/greeter/durable-executions?StartedAfter=yesterday", "", nil, false, 400, "InvalidParameterValueException"},
		{"fail: not an object", "POST", "/2025-12-01/durable-execution-callbacks/abc/fail", "[1]", nil, false, 400, "InvalidRequestContentException"},
		{"fail: unknown callback", "POST", "/2025-12-01/durable-execution-callbacks/abc/fail", `{"ErrorType":"x"}`, nil, false, 400, "CallbackTimeoutException"},
		{"succeed: too large", "POST", "/2025-12-01/durable-execution-callbacks/abc/succeed", big, nil, false, 413, "RequestTooLargeException"},
		{"stop: not JSON", "POST", ex + "/stop", "nope", nil, false, 400, "InvalidRequestContentException"},
		{"invoke: bad type", "POST", "/2015-03-31/functions/greeter/invocations", "{}", map[string]string{"X-Amz-Invocation-Type": "Later"}, false, 400, "InvalidParameterValueException"},
		{"invoke: bad payload", "POST", "/2015-03-31/functions/greeter/invocations", "{x", nil, false, 400, "InvalidRequestContentException"},
		{"invoke: bad name", "POST", "/2015-03-31/functions/greeter/invocations", "{}", map[string]string{"X-Amz-Durable-Execution-Name": "a b"}, false, 400, "InvalidParameterValueException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body io.Reader = strings.NewReader(tt.body)
			if tt.chunked {
				body = io.MultiReader(body) // hides the length: sent chunked
			}
			req, err := http.NewRequestWithContext(t.Context(), tt.method, e.srv.URL()+tt.path, body)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			raw, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status || resp.Header.Get("X-Amzn-ErrorType") != tt.code {
				t.Fatalf("got %d %q %s, want %d %s", resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), raw, tt.status, tt.code)
			}
			var msg map[string]string
			if err := json.Unmarshal(raw, &msg); err != nil || msg["Type"] != "User" || msg["message"]+msg["Message"] == "" {
				t.Fatalf("error body %s (%v)", raw, err)
			}
		})
	}
}

// FuzzServe sends arbitrary requests to the handler of a live service (with
// no function registered, so that Invoke never blocks): the answer is never
// a server fault, and an error always names its code.
func FuzzServe(f *testing.F) {
	arn := "arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Agreeter%3A%24LATEST%2Fdurable-execution%2Fa%2Fb"
	seeds := []struct {
		method uint8
		path   string
		query  string
		body   []byte
	}{
		{1, "/2025-12-01/durable-executions/" + arn + "/checkpoint", "", []byte(`{"CheckpointToken":"t","Updates":[{"Id":"a","Type":"STEP","Action":"START"}]}`)},
		{0, "/2025-12-01/durable-executions/" + arn + "/state", "CheckpointToken=t&MaxItems=2", nil},
		{0, "/2025-12-01/durable-executions/" + arn + "/history", "MaxItems=1&ReverseOrder=true&Marker=zz", nil},
		{0, "/2025-12-01/durable-executions/" + arn, "IncludeExecutionData=false", nil},
		{0, "/2025-12-01/functions/greeter/durable-executions", "Statuses=RUNNING&StartedAfter=2000-01-01T00%3A00%3A00Z", nil},
		{1, "/2025-12-01/durable-execution-callbacks/abc%2B%2F%3D/succeed", "", []byte("raw")},
		{1, "/2025-12-01/durable-execution-callbacks/abc/fail", "", []byte(`{"ErrorType":"x","StackTrace":["a"]}`)},
		{1, "/2025-12-01/durable-execution-callbacks/abc/heartbeat", "", nil},
		{1, "/2025-12-01/durable-executions/" + arn + "/stop", "", []byte(`{}`)},
		{1, "/2015-03-31/functions/nobody/invocations", "Qualifier=1", []byte(`{}`)},
		{2, "/", "", nil},
	}
	for _, s := range seeds {
		f.Add(s.method, s.path, s.query, s.body)
	}
	h := httpapi.NewHandler(newEnv(f, nil).svc)
	methods := []string{"GET", "POST", "PUT", "DELETE", "HEAD", "PATCH"}
	f.Fuzz(func(t *testing.T, m uint8, path, query string, body []byte) {
		req, err := http.NewRequest(methods[int(m)%len(methods)], "http://local"+path, bytes.NewReader(body))
		if err != nil {
			return // not a request a client could send
		}
		req.URL.RawQuery = query
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s?%s: status %d %s", req.Method, path, query, rec.Code, rec.Body)
		}
		if rec.Code >= 400 && rec.Header().Get("X-Amzn-ErrorType") == "" {
			t.Fatalf("%s %s?%s: status %d without X-Amzn-ErrorType", req.Method, path, query, rec.Code)
		}
	})
}
