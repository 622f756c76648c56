// Package conformance runs AWS's language-neutral conformance requirements for
// durable execution SDKs (testdata/<suite>/<id>.yaml) against this SDK and its
// local durable execution service.
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
// Runner and judges it, handlers holds one handler per requirement.
//
// Adding a requirement takes a YAML file under testdata/<suite>/ and a handler
// file under handlers/ listed in handlers.Registry: a file without a handler
// fails, naming its id.
package conformance
