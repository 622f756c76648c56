// Package durable is a Go SDK for AWS Lambda durable functions.
//
// A durable function is an ordinary Lambda handler whose work is split into
// durable operations (steps, waits, child contexts, ...). Every operation is
// checkpointed to the Lambda durable execution service; when the function is
// invoked again (after a wait, a retry delay, a crash) the SDK replays the
// recorded operations instead of running them again and continues where the
// execution left off.
//
//	func main() {
//		durable.Start(func(ctx durable.Context, name string) (string, error) {
//			greeting, err := durable.Step(ctx, "greet", func(sc durable.StepContext) (string, error) {
//				return "Hello, " + name + "!", nil
//			})
//			if err != nil {
//				return "", err
//			}
//			if err := durable.Wait(ctx, "pause", durable.Minutes(5)); err != nil {
//				return "", err
//			}
//			return greeting, nil
//		})
//	}
//
// Workflow code must be deterministic between operations: see
// docs/determinism.md. Every operation flows through a middleware pipeline
// (package middleware) composed once in NewHandler; checkpoints are sent
// according to a checkpoint mode (checkpoint.Eager, Batched, Optimistic).
package durable
