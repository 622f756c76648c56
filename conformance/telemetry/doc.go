// Package telemetry checks exported OpenTelemetry spans against the
// TelemetryAssertions of AWS's OpenTelemetry conformance requirements, with
// the semantics of the validator of AWS's suite (../shared/docs/otel-contract.md,
// section 8): the correlated view of one execution's spans, the top-level
// checks, and span_assertions with select/expect, count, $any_of,
// $occurrence, $linked, $allow_outside, parent containment, before/after/
// inside, require_all_spans and exact_attribute_prefixes.
//
// Spans are canonical Span values (FromStubs converts what an in-memory
// exporter holds); assertions are plain YAML values as package spec reads
// them. Check never loosens a comparison: booleans and integers compare
// typed, and times are compared with no tolerance.
package telemetry
