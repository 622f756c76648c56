// Package otel traces durable executions with OpenTelemetry.
package otel
