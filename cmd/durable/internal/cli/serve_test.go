package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/local/httpapi"
)

// TestServeRejectsForeignHost drives `durable serve` (the API and the
// console) the way a web page the developer visits could: through DNS
// rebinding (a foreign Host header) and through cross-site form posts. Neither reads nor changes anything, while
// local clients and an -allow-host name still get through.
func TestServeRejectsForeignHost(t *testing.T) {
	srv := testServer(t, false)
	arn, _ := cli(t, srv, 0, "start", "order-processor", "-name", "o-1", "-input", orderInput)
	arn = strings.TrimSpace(arn)
	addr := strings.TrimPrefix(srv.url(), "http://")
	list := "/2025-12-01/functions/order-processor/durable-executions"
	invoke := "/2015-03-31/functions/order-processor/invocations"
	stop := "/2025-12-01/durable-executions/" + url.PathEscape(arn) + "/stop"
	tests := []struct {
		name, method, path, host, body string
		header                         map[string]string
	}{
		{"rebinding: list executions", "GET", list, "attacker.example", "", nil},
		{"rebinding: start", "POST", invoke, "attacker.example:" + portOf(addr), "{}", nil},
		{"form post: start", "POST", invoke, addr, "{}",
			map[string]string{"Content-Type": "text/plain", "Origin": "https://attacker.example", "Sec-Fetch-Site": "cross-site"}},
		{"form post without fetch metadata: stop", "POST", stop, addr, "",
			map[string]string{"Content-Type": "text/plain", "Origin": "https://attacker.example"}},
		{"sandboxed page: stop", "POST", stop, addr, "", map[string]string{"Origin": "null"}},
		{"rebinding: console page", "GET", "/", "attacker.example", "", nil},
		{"form post: console stop", "POST", "/stop", addr, "arn=" + url.QueryEscape(arn),
			map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Origin": "https://attacker.example", "Sec-Fetch-Site": "cross-site"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := rawRequest(t, addr, tt.method, tt.path, tt.host, tt.body, tt.header)
			if res.status != http.StatusForbidden || res.header.Get("X-Amzn-ErrorType") != "AccessDeniedException" ||
				!strings.HasPrefix(res.body, `{"`) || strings.Contains(res.body, "DurableExecutions") {
				t.Fatalf("got %d %q %s", res.status, res.header.Get("X-Amzn-ErrorType"), res.body)
			}
		})
	}
	out, err := srv.svc.ListExecutions(t.Context(), &local.ListExecutionsInput{FunctionName: "order-processor"})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.DurableExecutions) != 1 || out.DurableExecutions[0].Status != local.ExecutionRunning {
		t.Fatalf("executions after the refused requests: %+v (want the one started, still running)", out.DurableExecutions)
	}

	// The CLI, a same-origin page and a loopback name with any port pass.
	cli(t, srv, 0, "list", "order-processor")
	for _, host := range []string{"localhost:" + portOf(addr), "127.0.0.1", "[::1]:80"} {
		for _, path := range []string{list, "/"} {
			if res := rawRequest(t, addr, "GET", path, host, "", nil); res.status != http.StatusOK {
				t.Errorf("Host %s, %s: %d %s", host, path, res.status, res.body)
			}
		}
	}
	res := rawRequest(t, addr, "POST", stop, addr, "", map[string]string{"Origin": srv.url(), "Sec-Fetch-Site": "same-origin"})
	if res.status != http.StatusOK {
		t.Errorf("same-origin stop: %d %s", res.status, res.body)
	}

	// -allow-host adds names.
	named, err := startServer(serverConfig{addr: "127.0.0.1:0", clock: local.NewVirtualClock(t0), hosts: []string{"durable.test"}})
	if err != nil {
		t.Fatal(err)
	}
	defer named.close(context.Background())
	if res := rawRequest(t, strings.TrimPrefix(named.url(), "http://"), "GET", list, "durable.test:9014", "", nil); res.status != http.StatusOK {
		t.Errorf("allowed host: %d %s", res.status, res.body)
	}
}

// TestServeSlowBody checks that `durable serve` does not wait for ever on a
// client that announces a body and sends it slowly, and that it refuses a
// callback result over 256 KiB before reading it.
func TestServeSlowBody(t *testing.T) {
	srv, err := startServer(serverConfig{addr: "127.0.0.1:0", clock: local.NewVirtualClock(t0),
		timeouts: httpapi.Timeouts{Read: 200 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.close(context.Background())
	addr := strings.TrimPrefix(srv.url(), "http://")
	succeed := "/2025-12-01/durable-execution-callbacks/abc/succeed"

	conn := dialServer(t, addr)
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Length: 1000\r\n\r\n\"a trickle", succeed, addr)
	res := readRaw(t, conn)
	if res.status != http.StatusBadRequest || res.header.Get("X-Amzn-ErrorType") != "InvalidRequestContentException" {
		t.Fatalf("slow body: %d %q %s", res.status, res.header.Get("X-Amzn-ErrorType"), res.body)
	}

	conn = dialServer(t, addr)
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n\r\n", succeed, addr, 256<<10+1)
	res = readRaw(t, conn)
	if res.status != http.StatusRequestEntityTooLarge || res.header.Get("X-Amzn-ErrorType") != "RequestTooLargeException" {
		t.Fatalf("oversized callback result: %d %q %s", res.status, res.header.Get("X-Amzn-ErrorType"), res.body)
	}
}

// rawAnswer is an HTTP answer read off a raw connection.
type rawAnswer struct {
	status int
	header http.Header
	body   string
}

// rawRequest sends one request with exactly the given Host header on a new
// connection and reads the answer.
func rawRequest(t *testing.T, addr, method, path, host, body string, header map[string]string) rawAnswer {
	t.Helper()
	conn := dialServer(t, addr)
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n", method, path, host, len(body))
	for k, v := range header {
		fmt.Fprintf(&b, "%s: %s\r\n", k, v)
	}
	b.WriteString("\r\n" + body)
	if _, err := io.WriteString(conn, b.String()); err != nil {
		t.Fatal(err)
	}
	return readRaw(t, conn)
}

// dialServer connects to addr, with a deadline so that a server that never
// answers fails the test instead of hanging it.
func dialServer(t *testing.T, addr string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if err := conn.SetDeadline(time.Now().Add(10 * time.Second)); err != nil {
		t.Fatal(err)
	}
	return conn
}

func readRaw(t *testing.T, conn net.Conn) rawAnswer {
	t.Helper()
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer: %v", err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("reading the answer: %v", err)
	}
	return rawAnswer{status: res.StatusCode, header: res.Header, body: string(body)}
}

func portOf(addr string) string {
	_, port, _ := net.SplitHostPort(addr)
	return port
}
