// Package harness runs conformance requirements and judges them.
//
// A Harness takes each requirement file through the same steps: load and
// resolve it (package spec), find the handler registered under its id, build
// it, hand it to a Runner that drives one execution to a terminal status, and
// check the Observation (package match): result, history, logs. Every step
// that fails makes the requirement fail with a reason; a requirement without a
// registered handler fails with ErrNoHandler, naming the id.
//
// The Runner is the seam to the system under test: the harness does not know
// how an execution is started, invoked or driven. The real Runner starts the
// execution on the local durable execution service through its HTTP front with
// the aws-sdk-go-v2 Lambda client.
package harness
