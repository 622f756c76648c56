package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// DefaultAddr is where a Server listens unless told otherwise: an
// OS-chosen port on the loopback interface only.
const DefaultAddr = "127.0.0.1:0"

// Server serves a handler over HTTP on a loopback address.
type Server struct {
	ln  net.Listener
	srv *http.Server
	url string
}

// ListenOption configures Listen.
type ListenOption func(*listenConfig)

type listenConfig struct{ allowNonLoopback bool }

// AllowNonLoopback lets Listen bind an address outside the loopback
// interface (e.g. "0.0.0.0:9014"). Without it such an address is refused.
func AllowNonLoopback() ListenOption {
	return func(c *listenConfig) { c.allowNonLoopback = true }
}

// Listen starts serving h on addr ("" means DefaultAddr) in the background.
// It refuses an address that is not a loopback address unless
// AllowNonLoopback is given, so that the local service is never exposed by
// accident.
func Listen(addr string, h http.Handler, opts ...ListenOption) (*Server, error) {
	var cfg listenConfig
	for _, o := range opts {
		o(&cfg)
	}
	if addr == "" {
		addr = DefaultAddr
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("httpapi: listen address %q: %w", addr, err)
	}
	if !cfg.allowNonLoopback && !isLoopback(host) {
		return nil, fmt.Errorf("httpapi: listen address %q: %w", addr, ErrNotLoopback)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("httpapi: %w", err)
	}
	s := &Server{
		ln: ln,
		srv: &http.Server{
			Handler:           h,
			ReadHeaderTimeout: 10 * time.Second,
		},
		url: "http://" + ln.Addr().String(),
	}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// ErrNotLoopback is returned by Listen for an address outside the loopback
// interface when that was not explicitly allowed.
var ErrNotLoopback = errors.New("not a loopback address (use AllowNonLoopback to listen on other interfaces)")

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// URL returns the server's base URL, e.g. "http://127.0.0.1:41234".
func (s *Server) URL() string { return s.url }

// Addr returns the address the server listens on.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Shutdown stops accepting requests and waits for those in flight to
// finish, or for ctx to end (then the remaining connections are closed).
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.srv.Shutdown(ctx)
	if err != nil {
		_ = s.srv.Close()
	}
	return err
}

// Close stops the server at once.
func (s *Server) Close() error { return s.srv.Close() }
