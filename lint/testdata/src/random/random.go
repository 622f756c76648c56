package random

import (
	crand "crypto/rand"
	"math/rand"
	randv2 "math/rand/v2"

	"github.com/lambda-durable/durable"
)

func workflow(ctx durable.Context, in string) (int, error) {
	n := rand.Intn(3)   // want `rand.Intn is random in workflow code: a replay draws a different value and can take another path; use durable.Rand\(ctx\) or durable.UUID\(ctx\)`
	m := randv2.IntN(3) // want `rand.IntN is random`
	b := make([]byte, 16)
	crand.Read(b)          // want `rand.Read is random`
	_ = crand.Reader       // want `rand.Reader is random`
	randv2.Shuffle(1, nil) // want `rand.Shuffle is random`
	return n + m, nil
}

// Negative cases.

func replaySafe(ctx durable.Context) (int, error) {
	n := durable.Rand(ctx).IntN(3)
	id := durable.UUID(ctx)
	seeded := randv2.New(randv2.NewPCG(1, 2)) // a fixed seed replays the same sequence
	_ = seeded.IntN(10)
	_ = id
	v, err := durable.Step(ctx, "draw", func(durable.StepContext) (int, error) {
		return rand.Intn(6), nil
	})
	return n + v, err
}

func notWorkflow() int { return rand.Intn(3) }
