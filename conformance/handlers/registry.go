// Package handlers holds the Go handler of every conformance requirement,
// written from the prose of its YAML file with the SDK's public API, one small
// file per requirement, and the registry that maps requirement ids to them.
package handlers

import "github.com/lambda-durable/durable/conformance/harness"

// Registry returns the handler factory of every requirement, by id. Entries
// are listed here explicitly; nothing registers itself.
func Registry() harness.Registry {
	return harness.Registry{}
}
