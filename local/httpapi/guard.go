package httpapi

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// GuardOptions configures Guard.
type GuardOptions struct {
	// AllowedHosts are host names or IP addresses, without a port, that
	// are accepted in the Host header and in the Origin of a write on top
	// of the loopback ones (localhost, 127.0.0.0/8 and ::1). They are
	// compared without regard to case; a trailing dot is ignored. Name
	// here only hosts that resolve to this machine for the clients you
	// mean to serve (for example the address given to -addr with -public).
	AllowedHosts []string
}

// Guard wraps h so that only clients on the developer's machine (or on
// the hosts configured in opts) can drive it, and a web page the
// developer happens to visit cannot:
//
//   - Host: every request must name a loopback host (localhost,
//     127.0.0.0/8 or [::1], with any port) or one of opts.AllowedHosts in
//     its Host header. This defeats DNS rebinding, where a page on
//     attacker.example re-points its name at 127.0.0.1 and reads the
//     answers as same-origin.
//   - Cross-origin writes: a request with another method than GET or HEAD
//     is refused when a browser marks it as coming from another site: it is
//     let through when Sec-Fetch-Site is "same-origin" or "none" (typed or
//     bookmarked), or when its Origin names an allowed host (any port);
//     otherwise an Origin (including "null") or a Sec-Fetch-Site such as
//     "cross-site" or "same-site" refuses it. Clients that are not
//     browsers (the AWS SDKs, curl, the durable CLI) send neither header
//     and pass. This defeats cross-site request forgery, such as a
//     text/plain form POST that starts or stops executions.
//
// A refused request gets 403 AccessDeniedException in the AWS error shape
// ({"Type":"User","Message":...} with X-Amzn-ErrorType) and its connection
// is closed without reading its body.
//
// GET and HEAD pass from any origin (a browser does not let a page of
// another origin read the answer, since no CORS header is ever sent), so a
// handler behind Guard must not change state on GET or HEAD. Anything
// served on the same address as the API, such as a web console, must sit
// behind the same Guard: Listen applies it to the handler it serves (with
// the hosts given by AllowHosts), so mount such handlers on the handler
// given to Listen; use Guard directly only with another http.Server.
func Guard(h http.Handler, opts GuardOptions) http.Handler {
	g := &guard{next: h, hosts: make(map[string]bool, len(opts.AllowedHosts))}
	for _, host := range opts.AllowedHosts {
		g.hosts[normalHost(host)] = true
	}
	return g
}

// guard is the handler Guard returns.
type guard struct {
	next  http.Handler
	hosts map[string]bool // normalized, beyond the loopback ones
}

func (g *guard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if host := hostOf(r.Host); !g.allowed(host) {
		g.refuse(w, fmt.Sprintf("the Host %q is not served here: the local service answers requests for localhost, 127.0.0.1 and [::1] and for the hosts it is configured with", clip(r.Host)))
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		if why := g.crossSite(r); why != "" {
			g.refuse(w, "cross-origin "+r.Method+" refused: "+why)
			return
		}
	}
	g.next.ServeHTTP(w, r)
}

// crossSite says why a write comes from a page of another site, "" when
// it does not.
func (g *guard) crossSite(r *http.Request) string {
	site := r.Header.Get("Sec-Fetch-Site")
	if site == "same-origin" || site == "none" {
		return ""
	}
	if origin := r.Header.Get("Origin"); origin != "" {
		u, err := url.Parse(origin)
		if err != nil || origin == "null" || !g.allowed(normalHost(u.Hostname())) {
			return fmt.Sprintf("Origin %q is not an allowed host", clip(origin))
		}
		return ""
	}
	if site != "" {
		return fmt.Sprintf("Sec-Fetch-Site is %q and the request has no Origin", clip(site))
	}
	return ""
}

// allowed reports whether a normalized host name may be served.
func (g *guard) allowed(host string) bool {
	if host == "" {
		return false
	}
	return isLoopback(host) || g.hosts[host]
}

func (g *guard) refuse(w http.ResponseWriter, msg string) {
	w.Header().Set("Connection", "close")
	writeError(w, &apiError{status: http.StatusForbidden, code: codeAccessDenied, message: msg})
}

// hostOf returns the normalized host name of a Host header, without port
// or brackets.
func hostOf(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return normalHost(h)
	}
	return normalHost(strings.TrimSuffix(strings.TrimPrefix(hostport, "["), "]"))
}

// normalHost lowercases a host name and drops a trailing dot.
func normalHost(h string) string {
	return strings.TrimSuffix(strings.ToLower(h), ".")
}

// clip shortens what a client sent for an error message.
func clip(s string) string {
	const max = 100
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}
