// Package spec reads the conformance requirement files (testdata/<suite>/<id>.yaml)
// into typed Requirements and resolves their Variables.
//
// A requirement is loaded in two steps. Load (or LoadDir) parses and validates a
// file, keeping the ${...} references as written. Resolve then generates the
// file's Variables (${GEN_STR:n} is a random string of n characters drawn from
// a seeded generator, so a run is reproducible from its seed), substitutes
// every ${NAME} that names a variable, and encodes the Input and the callback
// payloads the way AWS's Python runner sends them. Placeholders that do not
// name a variable (${ID1}, ${CTX1}, ...) are left in place: the history
// matcher binds them.
package spec
