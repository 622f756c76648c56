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
	set := &attrSet{}
	if n := len(prev) + len(attrs); n <= len(set.inline) {
		set.list = set.inline[:0]
	} else {
		set.list = make([]slog.Attr, 0, n)
	}
	for _, a := range prev {
		if !hasKey(attrs, a.Key) {
			set.list = append(set.list, a)
		}
	}
	set.list = append(set.list, attrs...)
	return context.WithValue(ctx, attrsKey{}, set)
}

// attrSet is the value ContextWithAttrs stores: a pointer (nothing to box)
// whose few attributes live in the same allocation.
type attrSet struct {
	list   []slog.Attr
	inline [4]slog.Attr
}

// AttrsFromContext returns the attributes ctx carries (see
// ContextWithAttrs), nil if none. The slice must not be modified.
func AttrsFromContext(ctx context.Context) []slog.Attr {
	if set, _ := ctx.Value(attrsKey{}).(*attrSet); set != nil {
		return set.list
	}
	return nil
}

func hasKey(attrs []slog.Attr, key string) bool {
	for _, a := range attrs {
		if a.Key == key {
			return true
		}
	}
	return false
}
