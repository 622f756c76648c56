package httpapi

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"
)

// refusalListener hands out connections whose net/http refusals are
// rewritten in the AWS error shape (see refusalConn).
type refusalListener struct{ net.Listener }

func (l refusalListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return refusalConn{c}, nil
}

// refusalConn rewrites the answers net/http writes on its own, before any
// handler runs, to requests it cannot parse (a malformed request line or
// path escape, a bad Content-Length, oversized headers, an unsupported
// transfer encoding): those are one write of a status line followed by
// exactly refusalHeaders and a plain-text body. Answers written by
// handlers never match: net/http writes their headers in sorted order, so
// Connection never follows Content-Type there.
type refusalConn struct{ net.Conn }

// refusalHeaders are the headers net/http gives its own refusals.
const refusalHeaders = "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n"

func (c refusalConn) Write(p []byte) (int, error) {
	if b, ok := rewriteRefusal(p); ok {
		if _, err := c.Conn.Write(b); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	return c.Conn.Write(p)
}

// CloseWrite half-closes the connection, as net/http does after refusing
// oversized headers, when the underlying connection can.
func (c refusalConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// rewriteRefusal turns one of net/http's own refusals into the same status
// in the AWS error shape. ok is false for anything else.
func rewriteRefusal(p []byte) (_ []byte, ok bool) {
	const proto = "HTTP/1.1 "
	if !bytes.HasPrefix(p, []byte(proto)) {
		return nil, false
	}
	end := bytes.Index(p, []byte("\r\n"))
	if end < len(proto)+3 || !bytes.HasPrefix(p[end:], []byte(refusalHeaders)) {
		return nil, false
	}
	status, err := strconv.Atoi(string(p[len(proto) : len(proto)+3]))
	if err != nil || status < 400 {
		return nil, false
	}
	detail := string(bytes.TrimSpace(p[end+len(refusalHeaders):]))
	e := &apiError{status: status, code: codeInvalidContent,
		message: "the request could not be parsed (" + detail + "): check the request line, the path escapes, the headers and Content-Length"}
	if status == http.StatusRequestHeaderFieldsTooLarge {
		e.code = codeTooLarge
		e.message = fmt.Sprintf("the request line and headers exceed the limit of %d bytes", DefaultMaxHeaderBytes)
	}
	body := errorBody(e)
	return fmt.Appendf(nil, "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n%s: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s",
		status, http.StatusText(status), headerErrorType, e.code, len(body), body), true
}

// unboundAfterBody lifts the server's read deadline once the request body
// has been read (at once when there is none). The read timeout then bounds
// how long a client may take to send its request, not how long the handler
// may take: net/http cancels the request's context when the deadline passes
// during the handler, which would end a synchronous Invoke waiting for its
// execution.
func unboundAfterBody(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		if r.Body == nil || r.Body == http.NoBody {
			_ = rc.SetReadDeadline(time.Time{})
		} else {
			r.Body = &unboundAtEOF{ReadCloser: r.Body, rc: rc}
		}
		h.ServeHTTP(w, r)
	})
}

// unboundAtEOF is a request body that lifts the read deadline when it ends.
type unboundAtEOF struct {
	io.ReadCloser
	rc   *http.ResponseController
	done bool
}

func (b *unboundAtEOF) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF && !b.done {
		b.done = true
		_ = b.rc.SetReadDeadline(time.Time{})
	}
	return n, err
}
