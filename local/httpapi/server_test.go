package httpapi_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/lambda-durable/durable/local/httpapi"
)

func TestListenRefusesOtherInterfaces(t *testing.T) {
	h := http.NotFoundHandler()
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0", "192.0.2.1:0"} {
		if _, err := httpapi.Listen(addr, h); !errors.Is(err, httpapi.ErrNotLoopback) {
			t.Errorf("Listen(%q) = %v, want ErrNotLoopback", addr, err)
		}
	}
	if _, err := httpapi.Listen("no-port", h); err == nil {
		t.Error("Listen without a port succeeded")
	}
}

func TestListenAndShutdown(t *testing.T) {
	for _, addr := range []string{"", "localhost:0", "127.0.0.1:0"} {
		srv, err := httpapi.Listen(addr, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusTeapot)
		}))
		if err != nil {
			t.Fatalf("Listen(%q): %v", addr, err)
		}
		if !strings.HasPrefix(srv.URL(), "http://127.0.0.1:") {
			t.Errorf("URL = %q", srv.URL())
		}
		resp, err := http.Get(srv.URL())
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusTeapot {
			t.Errorf("status %d", resp.StatusCode)
		}
		if err := srv.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
		if _, err := http.Get(srv.URL()); err == nil {
			t.Error("the server still answers after Shutdown")
		}
	}
}
