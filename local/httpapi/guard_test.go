package httpapi_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lambda-durable/durable/local/httpapi"
)

// TestGuard checks which Host, Origin and Sec-Fetch-Site combinations reach
// the wrapped handler, and that every refusal is a 403 in the AWS shape.
func TestGuard(t *testing.T) {
	var reached atomic.Int32
	h := httpapi.Guard(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		reached.Add(1)
	}), httpapi.GuardOptions{AllowedHosts: []string{"Dev.Example.", "192.0.2.7"}})
	tests := []struct {
		name, method, host string
		header             map[string]string
		ok                 bool
	}{
		{"localhost", "GET", "localhost:9014", nil, true},
		{"localhost without port", "GET", "localhost", nil, true},
		{"LOCALHOST", "GET", "LOCALHOST:1", nil, true},
		{"127.0.0.1", "POST", "127.0.0.1:9014", nil, true},
		{"127.8.9.10", "GET", "127.8.9.10", nil, true},
		{"[::1]", "POST", "[::1]:9014", nil, true},
		{"configured name", "GET", "dev.example:80", nil, true},
		{"configured address", "GET", "192.0.2.7:9014", nil, true},
		{"foreign name", "GET", "attacker.example", nil, false},
		{"foreign name on loopback port", "GET", "attacker.example:9014", nil, false},
		{"localhost suffix", "GET", "localhost.attacker.example", nil, false},
		{"other address", "GET", "192.0.2.8:9014", nil, false},
		{"no host", "GET", "", nil, false},
		{"same-origin write", "POST", "localhost:9014", map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost:9014"}, true},
		{"typed URL", "POST", "localhost:9014", map[string]string{"Sec-Fetch-Site": "none"}, true},
		{"loopback origin, other port", "POST", "localhost:9014", map[string]string{"Sec-Fetch-Site": "same-site", "Origin": "http://127.0.0.1:3000"}, true},
		{"configured origin", "PUT", "localhost:9014", map[string]string{"Origin": "https://dev.example"}, true},
		{"cross-site form post", "POST", "localhost:9014", map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://attacker.example"}, false},
		{"cross-site, no fetch metadata", "POST", "127.0.0.1:9014", map[string]string{"Origin": "https://attacker.example"}, false},
		{"null origin", "POST", "127.0.0.1:9014", map[string]string{"Origin": "null"}, false},
		{"cross-site without origin", "DELETE", "127.0.0.1:9014", map[string]string{"Sec-Fetch-Site": "cross-site"}, false},
		{"same-site without origin", "POST", "127.0.0.1:9014", map[string]string{"Sec-Fetch-Site": "same-site"}, false},
		{"cross-site read", "GET", "127.0.0.1:9014", map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://attacker.example"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := reached.Load()
			r := httptest.NewRequest(tt.method, "/2025-12-01/functions/f/durable-executions", strings.NewReader("{}"))
			r.Host = tt.host
			for k, v := range tt.header {
				r.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			if got := reached.Load() > before; got != tt.ok {
				t.Fatalf("reached the handler: %v, want %v (%d %s)", got, tt.ok, rec.Code, rec.Body)
			}
			if !tt.ok {
				wantAWSError(t, rec.Code, rec.Header(), rec.Body.Bytes(), http.StatusForbidden, "AccessDeniedException")
			}
		})
	}
}

// wantAWSError checks an answer in the AWS error shape.
func wantAWSError(t *testing.T, status int, h http.Header, body []byte, wantStatus int, wantCode string) {
	t.Helper()
	if status != wantStatus || h.Get("X-Amzn-ErrorType") != wantCode || h.Get("Content-Type") != "application/json" {
		t.Fatalf("got %d %q %q %s, want %d %s", status, h.Get("X-Amzn-ErrorType"), h.Get("Content-Type"), body, wantStatus, wantCode)
	}
	var msg map[string]string
	if err := json.Unmarshal(body, &msg); err != nil || msg["Type"] == "" || msg["message"]+msg["Message"] == "" {
		t.Fatalf("error body %s (%v)", body, err)
	}
}

// TestFaultRefusalsBeforeTheHandler sends, on a raw socket, requests that
// net/http refuses before any handler runs: each is answered in the AWS
// error shape, not in net/http's plain text.
func TestFaultRefusalsBeforeTheHandler(t *testing.T) {
	e := newEnv(t, nil)
	addr := strings.TrimPrefix(e.srv.URL(), "http://")
	cb := "/2025-12-01/durable-execution-callbacks/abc/succeed"
	tests := []struct {
		name, request string
		status        int
		code          string
	}{
		{"bad escape in the path", "GET /2025-12-01/durable-executions/%zz HTTP/1.1\r\nHost: " + addr + "\r\n\r\n", 400, "InvalidRequestContentException"},
		{"cut escape in the path", "GET /2025-12-01/durable-executions/a%2 HTTP/1.1\r\nHost: " + addr + "\r\n\r\n", 400, "InvalidRequestContentException"},
		{"negative Content-Length", "POST " + cb + " HTTP/1.1\r\nHost: " + addr + "\r\nContent-Length: -1\r\n\r\n", 400, "InvalidRequestContentException"},
		{"overflowing Content-Length", "POST " + cb + " HTTP/1.1\r\nHost: " + addr + "\r\nContent-Length: 99999999999999999999999\r\n\r\n", 400, "InvalidRequestContentException"},
		{"two Content-Lengths", "POST " + cb + " HTTP/1.1\r\nHost: " + addr + "\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400, "InvalidRequestContentException"},
		{"oversized headers", "GET / HTTP/1.1\r\nHost: " + addr + "\r\nX-Big: " + strings.Repeat("x", httpapi.DefaultMaxHeaderBytes+8<<10) + "\r\n\r\n", 431, "RequestTooLargeException"},
		{"unknown transfer encoding", "POST " + cb + " HTTP/1.1\r\nHost: " + addr + "\r\nTransfer-Encoding: rot13\r\n\r\n", 501, "InvalidRequestContentException"},
		{"no Host", "GET / HTTP/1.1\r\n\r\n", 400, "InvalidRequestContentException"},
		{"foreign Host", "GET /2025-12-01/functions/f/durable-executions HTTP/1.1\r\nHost: attacker.example\r\n\r\n", 403, "AccessDeniedException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn := dial(t, addr)
			go func() { _, _ = io.WriteString(conn, tt.request) }() // may block once the server stops reading
			res := readResponse(t, conn)
			wantAWSError(t, res.StatusCode, res.Header, readBodyOf(t, res), tt.status, tt.code)
		})
	}
}

// TestServeSlowBodyIsCutOff sends headers that announce a body and then
// only part of it: the server gives up once its read timeout passes and
// answers in the AWS shape, instead of holding the connection for ever.
func TestServeSlowBodyIsCutOff(t *testing.T) {
	svc := newEnv(t, nil).svc
	srv, err := httpapi.Listen("", httpapi.NewHandler(svc), httpapi.WithTimeouts(httpapi.Timeouts{Read: 100 * time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL(), "http://")
	conn := dial(t, addr) // 10 s guard: the server must answer well before
	fmt.Fprintf(conn, "POST /2025-12-01/durable-execution-callbacks/abc/succeed HTTP/1.1\r\nHost: %s\r\nContent-Length: 1000\r\n\r\nonly a start", addr)
	res := readResponse(t, conn)
	wantAWSError(t, res.StatusCode, res.Header, readBodyOf(t, res), 400, "InvalidRequestContentException")
}

// TestReadTimeoutSparesLongHandlers checks that the read timeout does not
// cancel a handler that runs longer than it once the request is read (a
// synchronous Invoke waits for its execution).
func TestReadTimeoutSparesLongHandlers(t *testing.T) {
	const timeout = 50 * time.Millisecond
	srv, err := httpapi.Listen("", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		select {
		case <-r.Context().Done():
			w.WriteHeader(http.StatusGatewayTimeout)
		case <-time.After(4 * timeout):
			w.WriteHeader(http.StatusOK)
		}
	}), httpapi.WithTimeouts(httpapi.Timeouts{Read: timeout}))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for _, body := range []io.Reader{nil, strings.NewReader(`{"a":1}`)} {
		resp, err := http.Post(srv.URL(), "application/json", body)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d: the request context was cancelled by the read timeout", resp.StatusCode)
		}
	}
}

// readBodyOf returns the body readResponse kept.
func readBodyOf(t *testing.T, res *http.Response) []byte {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
