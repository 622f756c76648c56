package logging

import (
	"context"
	"log/slog"
)

// attrsKey carries the attributes of ContextWithAttrs.
type attrsKey struct{}

// ContextWithAttrs returns a copy of ctx that carries attrs, which replace
// the attributes of the same keys ctx already carries. The loggers the SDK builds for code running under such a
// context (a durable context's Logger, a step's Logger) add them to every
// record. A plugin uses it to correlate records with what it observes, for
// example a tracing plugin adds the active span's ids.
func ContextWithAttrs(ctx context.Context, attrs ...slog.Attr) context.Context {
	if len(attrs) == 0 {
		return ctx
	}
	prev := AttrsFromContext(ctx)
	all := make([]slog.Attr, 0, len(prev)+len(attrs))
	for _, a := range prev {
		if !hasKey(attrs, a.Key) {
			all = append(all, a)
		}
	}
	all = append(all, attrs...)
	return context.WithValue(ctx, attrsKey{}, all)
}

// AttrsFromContext returns the attributes ctx carries (see
// ContextWithAttrs), nil if none. The slice must not be modified.
func AttrsFromContext(ctx context.Context) []slog.Attr {
	attrs, _ := ctx.Value(attrsKey{}).([]slog.Attr)
	return attrs
}

func hasKey(attrs []slog.Attr, key string) bool {
	for _, a := range attrs {
		if a.Key == key {
			return true
		}
	}
	return false
}
