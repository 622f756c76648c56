//go:build race

package cli

// raceEnabled: tests build helper executables with -race too, so that they
// reuse the race-instrumented build cache of the test itself.
const raceEnabled = true
