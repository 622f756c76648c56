package benchmarks

import (
	"fmt"
	"strconv"

	"github.com/lambda-durable/durable"
)

// The workflows of the end-to-end workloads, shared by the benchmarks and
// by the peakmem command (which runs one of them in a process of its own).

// StepResult is what the workloads' steps return.
type StepResult struct {
	I  int  `json:"i"`
	OK bool `json:"ok"`
}

// StepName is the name of W2's step i: step-<i>.
func StepName(i int) string { return "step-" + strconv.Itoa(i) }

// Sequential is W2's workflow: n steps step-<i> returning {i, ok:true},
// then (if not nil) then. It returns n.
func Sequential(n int, then func(durable.Context) error) func(durable.Context, struct{}) (int, error) {
	return func(ctx durable.Context, _ struct{}) (int, error) {
		for i := range n {
			r, err := durable.Step(ctx, StepName(i), func(durable.StepContext) (StepResult, error) {
				return StepResult{I: i, OK: true}, nil
			})
			if err != nil {
				return 0, err
			}
			if r.I != i || !r.OK {
				return 0, fmt.Errorf("step %d returned %+v", i, r)
			}
		}
		if then != nil {
			if err := then(ctx); err != nil {
				return 0, err
			}
		}
		return n, nil
	}
}

// MapWorkflow is W4's workflow: a map over m items, one step item-<i>
// each, all at once. It returns the number of items that succeeded.
func MapWorkflow(m int) func(durable.Context, struct{}) (int, error) {
	items := make([]int, m)
	for i := range items {
		items[i] = i
	}
	return func(ctx durable.Context, _ struct{}) (int, error) {
		res, err := durable.Map(ctx, "map", items, func(ctx durable.Context, i, item int) (StepResult, error) {
			return durable.Step(ctx, "item-"+strconv.Itoa(i), func(durable.StepContext) (StepResult, error) {
				return StepResult{I: item, OK: true}, nil
			})
		})
		if err != nil {
			return 0, err
		}
		if err := res.Err(); err != nil {
			return 0, err
		}
		return res.SuccessCount(), nil
	}
}

// ParallelWorkflow is W5's workflow: 10 branches of 10 steps. It returns
// the number of steps run.
func ParallelWorkflow(ctx durable.Context, _ struct{}) (int, error) {
	branches := make([]durable.Branch[int], 10)
	for i := range branches {
		branches[i] = durable.Branch[int]{Name: "branch-" + strconv.Itoa(i), Func: func(ctx durable.Context) (int, error) {
			n, err := Sequential(10, nil)(ctx, struct{}{})
			return n, err
		}}
	}
	res, err := durable.Parallel(ctx, "parallel", branches)
	if err != nil {
		return 0, err
	}
	if err := res.Err(); err != nil {
		return 0, err
	}
	sum := 0
	for _, n := range res.Results() {
		sum += n
	}
	return sum, nil
}
