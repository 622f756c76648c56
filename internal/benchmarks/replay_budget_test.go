package benchmarks

import (
	"fmt"
	"testing"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
)

// TestReplayAllocBudget checks the allocations of a replay (Replay3000's
// shape, 1,000 steps): at most 6 per replayed step, the workflow's own
// included (the step's name and its closure, about 2.5). Before issue 12's
// replay work it was 14: the event's strings and details, encoding/json's
// decoder state, each per operation.
func TestReplayAllocBudget(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocation counts")
	}
	const n = 1000
	recorded := make([]checkpoint.Operation, n)
	for i := range recorded {
		recorded[i] = succeededStep(i+1, StepName(i), fmt.Sprintf(`{"i":%d,"ok":true}`, i))
	}
	ev := event(t, recorded...)
	h := durable.NewHandler(Sequential(n, nil), quiet)
	ctx := lambdaContext(t, &memClient{})
	perStep := testing.AllocsPerRun(5, func() {
		invoke(t, ctx, h, ev, checkpoint.InvocationSucceeded)
	}) / n
	t.Logf("%.2f allocations per replayed step", perStep)
	if perStep > 6 {
		t.Errorf("%.2f allocations per replayed step, budget 6", perStep)
	}
}
