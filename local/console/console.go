// Package console is a web console for the local durable execution
// service: a list of executions (filtered by status, searched by name) and,
// per execution, a Gantt timeline of its operations across invocations, the
// operation tree with each operation's input, result, error and retries,
// the history events and the invocations, with buttons that answer a
// waiting callback or stop the execution.
//
// Pages are rendered on the server with html/template, which escapes every
// payload (payloads are user data); a small embedded script refreshes a page
// while its execution runs. Nothing is fetched from outside, so the console
// works offline.
//
// The console reads from and acts through a *local.Service's Go API. Serve
// it next to the AWS API of local/httpapi (durable serve mounts it at "/"),
// behind the same protection against cross-site requests.
package console

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"

	"github.com/lambda-durable/durable/local"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// pages parses the templates once; they are embedded, so a parse error is
// a programming error caught by every test.
var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"statusClass": statusClass,
}).ParseFS(templateFiles, "templates/*.html"))

// Option configures New.
type Option interface{ apply(*Console) }

// optionFunc adapts a function to Option.
type optionFunc func(*Console)

func (f optionFunc) apply(t *Console) { f(t) }

// WithLogger sets where the console logs its own faults (a page that could
// not be rendered). By default they are not logged.
func WithLogger(l *slog.Logger) Option {
	return optionFunc(func(c *Console) {
		if l != nil {
			c.log = l
		}
	})
}

// WithMaxExecutions bounds how many executions the list shows, newest
// first (default 500). Filters apply before the bound.
func WithMaxExecutions(n int) Option {
	return optionFunc(func(c *Console) {
		if n > 0 {
			c.maxRows = n
		}
	})
}

// Console is an http.Handler serving the web console of one service. Its
// paths are relative to where it is mounted: "/" (the list), "/execution",
// "/callback", "/stop" and "/static/".
type Console struct {
	svc     *local.Service
	mux     *http.ServeMux
	log     *slog.Logger
	maxRows int
}

// New returns the console of svc.
func New(svc *local.Service, opts ...Option) *Console {
	c := &Console{svc: svc, mux: http.NewServeMux(), log: slog.New(slog.DiscardHandler), maxRows: 500}
	for _, o := range opts {
		o.apply(c)
	}
	static, err := fs.Sub(staticFiles, "static")
	if err != nil {
		panic(err) // the directory is embedded above
	}
	c.mux.HandleFunc("GET /{$}", c.list)
	c.mux.HandleFunc("GET /execution", c.execution)
	// Actions change state: refuse them from other sites, whatever guard
	// the console is mounted behind.
	c.mux.HandleFunc("POST /callback", c.sameSite(c.callback))
	c.mux.HandleFunc("POST /stop", c.sameSite(c.stop))
	c.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	return c
}

// securityHeaders are sent with every answer: scripts and styles only from
// the console itself, no framing, no referrer.
var securityHeaders = map[string]string{
	"Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
		"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
	"X-Content-Type-Options": "nosniff",
	"X-Frame-Options":        "DENY",
	"Referrer-Policy":        "no-referrer",
	"Cache-Control":          "no-store",
}

// ServeHTTP serves a console page, action or static file.
func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	for k, v := range securityHeaders {
		w.Header().Set(k, v)
	}
	c.mux.ServeHTTP(w, r)
}

// render writes a page with the given status code. The page is rendered
// into memory first, so that a template error never leaves half a page.
func (c *Console) render(w http.ResponseWriter, status int, name string, data any) {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, data); err != nil {
		c.log.Error("console: rendering a page", "page", name, "err", err)
		http.Error(w, "console: the page could not be rendered", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
