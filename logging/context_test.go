package logging_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/lambda-durable/durable/logging"
)

func TestContextWithAttrsReplacesSameKeys(t *testing.T) {
	ctx := context.Background()
	if got := logging.AttrsFromContext(ctx); got != nil {
		t.Fatalf("empty context carries %v", got)
	}
	outer := logging.ContextWithAttrs(ctx, slog.String("traceId", "a"), slog.String("spanId", "1"))
	inner := logging.ContextWithAttrs(outer, slog.String("spanId", "2"))
	got := logging.AttrsFromContext(inner)
	want := []slog.Attr{slog.String("traceId", "a"), slog.String("spanId", "2")}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if !got[i].Equal(want[i]) {
			t.Errorf("attr %d: got %v, want %v", i, got[i], want[i])
		}
	}
	if o := logging.AttrsFromContext(outer); len(o) != 2 || o[1].Value.String() != "1" {
		t.Errorf("the outer context changed: %v", o)
	}
}
