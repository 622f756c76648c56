package cli

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestFrontServesAPIAndConsole checks that one address serves the AWS API
// under its version prefixes and the console everywhere else.
func TestFrontServesAPIAndConsole(t *testing.T) {
	srv, err := startServer(serverConfig{addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.close(context.Background()) })
	get := func(path string) (*http.Response, string) {
		t.Helper()
		resp, err := http.Get(srv.url() + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, string(body)
	}
	resp, body := get("/")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(body, "<h1>Executions</h1>") {
		t.Errorf("GET /: status %d, type %q:\n%.300s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	resp, body = get("/2025-12-01/durable-executions/nope")
	if resp.StatusCode != http.StatusNotFound || resp.Header.Get("X-Amzn-ErrorType") == "" || strings.Contains(body, "<html") {
		t.Errorf("GET an unknown execution through the API: status %d, error type %q:\n%.300s",
			resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), body)
	}
}

func TestServePrintsTheConsoleAddress(t *testing.T) {
	b := serveInBackground(t, "-addr", "127.0.0.1:0")
	defer b.stop(t)
	if want := "console: " + b.srv.url() + "/"; !strings.Contains(b.out.String(), want) {
		t.Errorf("serve output lacks %q:\n%s", want, b.out.String())
	}
}
