// Package benchmarks holds the SDK's performance suite (issue 7): Go
// benchmarks of the operation pipeline, replay, checkpoint modes,
// middleware, logging and payload sizes, and end-to-end workloads (W2-W5)
// run through the in-process local service.
//
// The package's only API is the workloads' workflows (Sequential,
// MapWorkflow, ParallelWorkflow), shared with the peakmem command, which
// runs one workload once in a process of its own to measure its peak
// resident memory; the benchmarks live in its _test.go files. Run the
// suite with
//
//	make bench
//	go test -run '^$' -bench . -benchmem ./internal/benchmarks
//
// and see docs/performance.md for the numbers, the budgets and how to read
// them. The normal test run executes every benchmark once (TestSmoke), so
// the suite keeps compiling and its correctness checks keep passing; it
// asserts no timings.
package benchmarks
