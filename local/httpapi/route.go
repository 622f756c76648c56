package httpapi

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// The path prefixes of the two API versions the server speaks.
const (
	durablePrefix = "2025-12-01"
	invokePrefix  = "2015-03-31"
)

// A route matches a method and a path pattern. Pattern segments written
// "{}" are labels: they match any non-empty segment and are handed to the
// endpoint unescaped, in order.
type route struct {
	op      string // API operation name, for errors and throttling
	method  string
	pattern []string
	serve   func(h *handler, w http.ResponseWriter, r *http.Request, labels []string)
}

// newRoutes lists every endpoint the server answers.
func newRoutes() []route {
	return []route{
		{"CheckpointDurableExecution", http.MethodPost, split(durablePrefix + "/durable-executions/{}/checkpoint"), (*handler).checkpoint},
		{"GetDurableExecutionState", http.MethodGet, split(durablePrefix + "/durable-executions/{}/state"), (*handler).getState},
		{"GetDurableExecutionHistory", http.MethodGet, split(durablePrefix + "/durable-executions/{}/history"), (*handler).getHistory},
		{"StopDurableExecution", http.MethodPost, split(durablePrefix + "/durable-executions/{}/stop"), (*handler).stop},
		{"GetDurableExecution", http.MethodGet, split(durablePrefix + "/durable-executions/{}"), (*handler).getExecution},
		{"ListDurableExecutionsByFunction", http.MethodGet, split(durablePrefix + "/functions/{}/durable-executions"), (*handler).listExecutions},
		{"SendDurableExecutionCallbackSuccess", http.MethodPost, split(durablePrefix + "/durable-execution-callbacks/{}/succeed"), (*handler).callbackSuccess},
		{"SendDurableExecutionCallbackFailure", http.MethodPost, split(durablePrefix + "/durable-execution-callbacks/{}/fail"), (*handler).callbackFailure},
		{"SendDurableExecutionCallbackHeartbeat", http.MethodPost, split(durablePrefix + "/durable-execution-callbacks/{}/heartbeat"), (*handler).callbackHeartbeat},
		{"Invoke", http.MethodPost, split(invokePrefix + "/functions/{}/invocations"), (*handler).invoke},
	}
}

func split(pattern string) []string { return strings.Split(pattern, "/") }

// splitPath splits an escaped URL path on "/" and unescapes each segment, so
// that a percent-encoded "/" inside an ARN or callback id stays inside its
// segment. A leading "/" is dropped; empty segments are kept so that they
// never match a label.
func splitPath(escaped string) ([]string, error) {
	escaped = strings.TrimPrefix(escaped, "/")
	parts := strings.Split(escaped, "/")
	for i, p := range parts {
		s, err := url.PathUnescape(p)
		if err != nil {
			return nil, fmt.Errorf("path segment %d %q: %w", i+1, p, err)
		}
		parts[i] = s
	}
	return parts, nil
}

// match reports whether segs fit the pattern and returns the labels.
func (rt *route) match(segs []string) ([]string, bool) {
	if len(segs) != len(rt.pattern) {
		return nil, false
	}
	var labels []string
	for i, p := range rt.pattern {
		switch {
		case p == "{}":
			if segs[i] == "" {
				return nil, false
			}
			labels = append(labels, segs[i])
		case p != segs[i]:
			return nil, false
		}
	}
	return labels, true
}

// lookup finds the route for a request. It returns the matching route and
// its labels; when the path matches but the method does not, it returns the
// route with ok false so the caller can answer 405.
func lookup(routes []route, method string, segs []string) (rt *route, labels []string, ok bool) {
	var pathMatch *route
	for i := range routes {
		l, m := routes[i].match(segs)
		if !m {
			continue
		}
		if routes[i].method == method {
			return &routes[i], l, true
		}
		pathMatch = &routes[i]
	}
	return pathMatch, nil, false
}
