package httpapi

import (
	"cmp"
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
type ListenOption interface{ apply(*listenConfig) }

// listenOptionFunc adapts a function to ListenOption.
type listenOptionFunc func(*listenConfig)

func (f listenOptionFunc) apply(t *listenConfig) { f(t) }

type listenConfig struct {
	allowNonLoopback bool
	hosts            []string
	timeouts         Timeouts
}

// AllowNonLoopback lets Listen bind an address outside the loopback
// interface (e.g. "0.0.0.0:9014"). Without it such an address is refused.
// Requests must still name an allowed host (see AllowHosts).
func AllowNonLoopback() ListenOption {
	return listenOptionFunc(func(c *listenConfig) { c.allowNonLoopback = true })
}

// AllowHosts adds host names or IP addresses (without a port) that
// requests may name in their Host header or Origin, on top of the loopback
// ones (see Guard). The host of an explicit listen address is allowed
// without it.
func AllowHosts(hosts ...string) ListenOption {
	return listenOptionFunc(func(c *listenConfig) { c.hosts = append(c.hosts, hosts...) })
}

// Timeouts bound how long a connection may take; a zero field takes its
// default.
type Timeouts struct {
	// ReadHeader bounds reading a request's headers. Default 10 s.
	ReadHeader time.Duration
	// Read bounds reading a whole request, headers and body. Once the body
	// is read the handler may take as long as it needs (a synchronous
	// Invoke waits for its execution to end). Default 30 s.
	Read time.Duration
	// Idle bounds how long a kept-alive connection waits for its next
	// request. Default 120 s.
	Idle time.Duration
}

// DefaultTimeouts returns the timeouts Listen uses unless WithTimeouts
// says otherwise.
func DefaultTimeouts() Timeouts {
	return Timeouts{ReadHeader: 10 * time.Second, Read: 30 * time.Second, Idle: 120 * time.Second}
}

// WithTimeouts sets the server's connection timeouts.
func WithTimeouts(t Timeouts) ListenOption {
	return listenOptionFunc(func(c *listenConfig) { c.timeouts = t })
}

// DefaultMaxHeaderBytes bounds the request line and headers of a request
// (net/http allows 4 KiB more): larger ones get 431 RequestTooLargeException.
const DefaultMaxHeaderBytes = 64 << 10

// Listen starts serving h on addr ("" means DefaultAddr) in the background.
// It refuses an address that is not a loopback address unless
// AllowNonLoopback is given, so that the local service is never exposed by
// accident.
//
// The server protects what it serves: h runs behind Guard (loopback and
// AllowHosts Host names only, no cross-site writes); requests are bounded
// by timeouts (see Timeouts) and by DefaultMaxHeaderBytes; and the requests
// net/http refuses before any handler runs (a malformed request line or
// path escape, a bad Content-Length, oversized headers) are answered in the
// AWS error shape too (X-Amzn-ErrorType and a JSON body), not in plain text.
func Listen(addr string, h http.Handler, opts ...ListenOption) (*Server, error) {
	cfg := listenConfig{timeouts: DefaultTimeouts()}
	for _, o := range opts {
		o.apply(&cfg)
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
	if ip := net.ParseIP(host); host != "" && (ip == nil || !ip.IsUnspecified()) {
		cfg.hosts = append(cfg.hosts, host)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("httpapi: %w", err)
	}
	t, d := cfg.timeouts, DefaultTimeouts()
	s := &Server{
		ln: ln,
		srv: &http.Server{
			Handler:           unboundAfterBody(Guard(h, GuardOptions{AllowedHosts: cfg.hosts})),
			ReadHeaderTimeout: cmp.Or(t.ReadHeader, d.ReadHeader),
			ReadTimeout:       cmp.Or(t.Read, d.Read),
			IdleTimeout:       cmp.Or(t.Idle, d.Idle),
			MaxHeaderBytes:    DefaultMaxHeaderBytes,
		},
		url: "http://" + ln.Addr().String(),
	}
	go func() { _ = s.srv.Serve(refusalListener{ln}) }()
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
