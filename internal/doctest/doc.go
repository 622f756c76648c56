// Package doctest checks the Go code in the repository's Markdown: every
// ```go block of README.md and docs/ type-checks against the current SDK,
// and the README's quick start builds and passes its test in a fresh module
// outside the repository, set up the way the README says.
//
// Markdown annotations (HTML comments, invisible when rendered) steer it:
//
//	<!-- doctest: file main.go -->    the next block is a whole file of the
//	                                  README's quick-start module
//	<!-- doctest: func(ctx durable.Context) (string, error) -->
//	                                  the next block is the body of a
//	                                  function with this signature
//	<!-- doctest: skip REASON -->     the next block is not checked
//	<!-- doctest-scope
//	var users []string                declarations the fragments of this
//	-->                               Markdown file may use
//
// A block without an annotation is checked as top-level declarations when it
// parses as such, else as the body of func(ctx durable.Context). Imports are
// added for the packages a block names (durable, time, slog, ...); unused
// variables and imports are not reported, since a fragment shows part of a
// program.
package doctest
