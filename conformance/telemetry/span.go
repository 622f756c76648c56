package telemetry

import (
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	semconv "go.opentelemetry.io/otel/semconv/v1.37.0"
)

// Span is one exported span in the checker's canonical form.
type Span struct {
	TraceID string // 32 lower-case hex digits
	SpanID  string // 16 lower-case hex digits
	// ParentSpanID is "" when the span has no valid parent (null in the
	// assertions); a remote parent counts as a parent.
	ParentSpanID string
	Name         string
	Kind         string // UNSPECIFIED, INTERNAL, SERVER, CLIENT, PRODUCER, CONSUMER
	Start, End   time.Time
	Status       string // UNSET, OK, ERROR
	// Attributes are the resource's attributes overlaid by the span's:
	// string, bool, int64, float64 or []any values.
	Attributes  map[string]any
	Links       []Link
	ServiceName string // the resource's service.name
}

// Link is a span link.
type Link struct{ TraceID, SpanID string }

// FromStubs converts the spans an OpenTelemetry exporter received.
func FromStubs(stubs tracetest.SpanStubs) []Span {
	out := make([]Span, 0, len(stubs))
	for _, s := range stubs {
		sp := Span{
			TraceID: s.SpanContext.TraceID().String(), SpanID: s.SpanContext.SpanID().String(),
			Name: s.Name, Kind: strings.ToUpper(s.SpanKind.String()),
			Start: s.StartTime, End: s.EndTime, Status: strings.ToUpper(s.Status.Code.String()),
			Attributes: map[string]any{},
		}
		if s.Parent.IsValid() {
			sp.ParentSpanID = s.Parent.SpanID().String()
		}
		if s.Resource != nil {
			for _, kv := range s.Resource.Attributes() {
				sp.Attributes[string(kv.Key)] = plainValue(kv.Value)
			}
			if v, ok := s.Resource.Set().Value(semconv.ServiceNameKey); ok {
				sp.ServiceName = v.AsString()
			}
		}
		for _, kv := range s.Attributes {
			sp.Attributes[string(kv.Key)] = plainValue(kv.Value)
		}
		for _, l := range s.Links {
			sp.Links = append(sp.Links, Link{TraceID: l.SpanContext.TraceID().String(), SpanID: l.SpanContext.SpanID().String()})
		}
		out = append(out, sp)
	}
	return out
}

// plainValue converts an attribute value to the form YAML values take.
func plainValue(v attribute.Value) any {
	switch v.Type() {
	case attribute.BOOL:
		return v.AsBool()
	case attribute.INT64:
		return v.AsInt64()
	case attribute.FLOAT64:
		return v.AsFloat64()
	case attribute.STRING:
		return v.AsString()
	}
	var out []any
	switch v.Type() {
	case attribute.BOOLSLICE:
		for _, x := range v.AsBoolSlice() {
			out = append(out, x)
		}
	case attribute.INT64SLICE:
		for _, x := range v.AsInt64Slice() {
			out = append(out, x)
		}
	case attribute.FLOAT64SLICE:
		for _, x := range v.AsFloat64Slice() {
			out = append(out, x)
		}
	case attribute.STRINGSLICE:
		for _, x := range v.AsStringSlice() {
			out = append(out, x)
		}
	default:
		return v.Emit()
	}
	return out
}

// canonical is the span as the assertions see it.
func (s *Span) canonical() map[string]any {
	var parent any
	if s.ParentSpanID != "" {
		parent = s.ParentSpanID
	}
	links := make([]any, 0, len(s.Links))
	for _, l := range s.Links {
		links = append(links, map[string]any{"trace_id": l.TraceID, "span_id": l.SpanID})
	}
	return map[string]any{
		"trace_id": s.TraceID, "span_id": s.SpanID, "parent_span_id": parent,
		"name": s.Name, "kind": s.Kind, "start_time": s.Start.UnixNano(), "end_time": s.End.UnixNano(),
		"status": s.Status, "attributes": s.Attributes, "links": links, "service_name": s.ServiceName,
	}
}

// contains reports whether s lies within other's time range.
func (s *Span) inside(other *Span) bool {
	return !other.Start.After(s.Start) && !s.End.After(other.End)
}
