package httpapi_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lambda-durable/durable/local/httpapi"
)

// TestFaultOversizedRequestsRefusedBeforeReading talks raw HTTP to the
// server on a real socket. A request that announces a body over the limit
// is answered 413 at once, although its body never comes: the server did
// not wait to read it. A chunked body that crosses the limit is cut off
// with 413 too, long before the client finishes sending it.
func TestFaultOversizedRequestsRefusedBeforeReading(t *testing.T) {
	const limit = 1 << 10
	e := newEnv(t, nil, httpapi.WithMaxRequestBytes(limit))
	addr := strings.TrimPrefix(e.srv.URL(), "http://")
	path := "/2025-12-01/durable-executions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Afn/checkpoint"

	t.Run("announced", func(t *testing.T) {
		conn := dial(t, addr)
		fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", path, addr, 512<<20)
		res := readResponse(t, conn)
		if res.StatusCode != http.StatusRequestEntityTooLarge || res.Header.Get("X-Amzn-ErrorType") != "RequestTooLargeException" {
			t.Fatalf("status %d %s", res.StatusCode, res.Header.Get("X-Amzn-ErrorType"))
		}
	})
	t.Run("chunked", func(t *testing.T) {
		conn := dial(t, addr)
		fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n", path, addr)
		chunk := strings.Repeat("x", 512)
		for i := 0; i < 4; i++ { // 2 KiB, over the limit; the client would go on for ever
			fmt.Fprintf(conn, "%x\r\n%s\r\n", len(chunk), chunk)
		}
		res := readResponse(t, conn)
		if res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d", res.StatusCode)
		}
	})
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	// A guard against a server that waits for the body: never reached
	// when it answers at once.
	if err := conn.SetDeadline(time.Now().Add(10 * time.Second)); err != nil {
		t.Fatal(err)
	}
	return conn
}

func readResponse(t *testing.T, conn net.Conn) *http.Response {
	t.Helper()
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer before the body was sent: %v", err)
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		t.Fatalf("reading the answer: %v", err)
	}
	res.Body = io.NopCloser(bytes.NewReader(body))
	return res
}

// TestFaultEndpointBodyLimitsBeforeReading announces, on a raw socket, a
// body one byte over each endpoint's own limit and sends none of it: each
// is answered 413 RequestTooLargeException without waiting for the body
// (beyond the short drain that lets a sending client read the answer), so a
// caller cannot make the server hold a 6 MiB buffer for a 256 KiB callback
// result.
func TestFaultEndpointBodyLimitsBeforeReading(t *testing.T) {
	e := newEnv(t, nil)
	addr := strings.TrimPrefix(e.srv.URL(), "http://")
	lim := e.svc.Limits()
	arn := "arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Afn%3A%24LATEST%2Fdurable-execution%2Fa%2Fb"
	tests := []struct {
		name, path string
		limit      int
	}{
		{"callback result", "/2025-12-01/durable-execution-callbacks/abc/succeed", lim.MaxOperationPayload},
		{"callback failure", "/2025-12-01/durable-execution-callbacks/abc/fail", 2 * lim.MaxOperationPayload},
		{"heartbeat", "/2025-12-01/durable-execution-callbacks/abc/heartbeat", 1 << 10},
		{"stop", "/2025-12-01/durable-executions/" + arn + "/stop", 2 * lim.MaxOperationPayload},
		{"invoke", "/2015-03-31/functions/fn/invocations", lim.MaxInputPayload},
		{"checkpoint", "/2025-12-01/durable-executions/" + arn + "/checkpoint", httpapi.DefaultMaxRequestBytes},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn := dial(t, addr)
			fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n\r\n", tt.path, addr, tt.limit+1)
			res := readResponse(t, conn)
			if res.StatusCode != http.StatusRequestEntityTooLarge || res.Header.Get("X-Amzn-ErrorType") != "RequestTooLargeException" {
				t.Fatalf("status %d %s", res.StatusCode, res.Header.Get("X-Amzn-ErrorType"))
			}
		})
	}
}
