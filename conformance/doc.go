// Package conformance runs AWS's language-neutral conformance requirements for
// durable execution SDKs (testdata/<suite>/<id>.yaml) against this SDK and its
// local durable execution service, through the service's HTTP front and the
// real aws-sdk-go-v2 Lambda client.
//
// Each requirement is the subtest TestConformance/<suite>/<id>:
//
//	go test ./...                                   # everything, as make test does
//	go test -run 'TestConformance/step/1-1' .       # one requirement
//	go test -run TestConformance . -args -conformance.report=report.txt
//	go test -v -run TestConformance . -args -conformance.report=-   # table on stdout
//	go test -run TestConformance . -args -conformance.seed=42       # replay a run's variables
//
// The packages: spec reads the files and resolves their Variables, match
// checks histories, results and logs, harness runs a requirement through a
// Runner and judges it, runner is the Runner on the local service, handlers
// holds one handler per requirement.
//
// Adding a requirement takes a YAML file under testdata/<suite>/ and a handler
// file under handlers/ listed in handlers.Registry: a file without a handler
// fails, naming its id. known_failures.txt lists the requirements expected to
// fail, with the reason: they are skipped while they fail, and fail the test
// once they pass, until they are removed from the list. See
// docs/conformance.md for the results.
package conformance
