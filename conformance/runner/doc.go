// Package runner runs conformance requirements on the local durable execution
// service through its HTTP front, as the harness.Runner of TestConformance.
//
// Every run gets its own service (package local) on a virtual clock and its
// own HTTP server on 127.0.0.1:0 (package local/httpapi). The requirement's
// durable functions are registered with the service but checkpoint through a
// real aws-sdk-go-v2 Lambda client pointed at that server, and the runner
// starts the execution, reads its history, and answers its callbacks with the
// same kind of client, so the whole wire path is exercised.
//
// Time is driven by the runner, not skipped blindly: whenever nothing runs,
// the runner reads the history, sends the callback actions that are due, and
// otherwise moves the virtual clock to whatever comes first, the service's
// next timer (a wait, a retry, a callback timeout) or the next callback
// action. Waits of an hour take no real time, and a callback answered after
// one second arrives before a five-second wait ends, as it would for real.
package runner
