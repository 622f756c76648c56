// Package ops is the home of the durable operations' documentation; it
// exports nothing.
//
// The operations themselves are called through the root package
// (durable.Step, durable.Wait, durable.Map, ...). The replay engine that runs
// them (event parsing, operation ids, the pipeline stages, suspension, the
// operation kinds) lives in internal/engine, where it can change without
// breaking users. What an interceptor sees of an operation is the descriptor
// in package middleware. The wire vocabulary (operation types, subtypes,
// statuses) is in package checkpoint.
//
// Nothing is exported here on purpose: the public surface of the SDK is
// listed, package by package, in the API test at the repository root, so
// that adding to it is a visible decision.
package ops
