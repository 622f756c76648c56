package otel

import (
	"context"
	"encoding/hex"
	"os"
	"strings"

	"go.opentelemetry.io/otel/trace"
)

// lambdaTraceHeaderKey is the context key under which aws-lambda-go puts an
// invocation's X-Ray trace header.
const lambdaTraceHeaderKey = "x-amzn-trace-id"

// ambientParent returns the span context the Invocation span is a child of:
// the span active in ctx, else the X-Ray header of the invocation (the
// context value aws-lambda-go sets, else _X_AMZN_TRACE_ID) as a remote
// parent; invalid when there is none.
func ambientParent(ctx context.Context) trace.SpanContext {
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		return sc
	}
	header, _ := ctx.Value(lambdaTraceHeaderKey).(string)
	if header == "" {
		header = os.Getenv("_X_AMZN_TRACE_ID")
	}
	return parseXRayHeader(header)
}

// parseXRayHeader reads "Root=1-<8 hex>-<24 hex>;Parent=<16 hex>;Sampled=1".
// It returns an invalid span context when Root or Parent is missing or
// malformed.
func parseXRayHeader(header string) trace.SpanContext {
	var cfg trace.SpanContextConfig
	for _, field := range strings.Split(header, ";") {
		key, value, _ := strings.Cut(strings.TrimSpace(field), "=")
		switch key {
		case "Root":
			parts := strings.Split(value, "-")
			if len(parts) != 3 || parts[0] != "1" || len(parts[1]) != 8 || len(parts[2]) != 24 {
				return trace.SpanContext{}
			}
			b, err := hex.DecodeString(strings.ToLower(parts[1] + parts[2]))
			if err != nil {
				return trace.SpanContext{}
			}
			copy(cfg.TraceID[:], b)
		case "Parent":
			b, err := hex.DecodeString(strings.ToLower(value))
			if err != nil || len(b) != 8 {
				return trace.SpanContext{}
			}
			copy(cfg.SpanID[:], b)
		case "Sampled":
			if value == "1" {
				cfg.TraceFlags = trace.FlagsSampled
			}
		}
	}
	cfg.Remote = true
	sc := trace.NewSpanContext(cfg)
	if !sc.IsValid() {
		return trace.SpanContext{}
	}
	return sc
}
