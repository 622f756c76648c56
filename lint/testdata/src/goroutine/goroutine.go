package goroutine

import (
	"sync"

	"github.com/lambda-durable/durable"
)

func workflow(ctx durable.Context, in []int) (int, error) {
	results := make(chan int, 2) // making a channel is fine; using it is not
	go func() { results <- 1 }() // want `go statement in workflow code: what runs first depends on goroutine scheduling` `channel send in workflow code`
	v := <-results               // want `channel receive in workflow code: .*; use durable futures`
	select {                     // want `select statement in workflow code`
	case v = <-results:
	case results <- 2:
	case <-ctx.Done():
	}
	for range results { // want `range over a channel in workflow code`
	}
	return v, nil
}

// Negative cases.

func futures(ctx durable.Context, in []int) (int, error) {
	a := durable.StepAsync(ctx, "a", double)
	b := durable.StepAsync(ctx, "b", double)
	vs, err := durable.All(ctx, "both", a, b)
	if err != nil {
		return 0, err
	}
	// Goroutines inside a step body are ordinary code.
	sum, err := durable.Step(ctx, "sum", func(durable.StepContext) (int, error) {
		var wg sync.WaitGroup
		out := make(chan int, len(in))
		for _, x := range in {
			wg.Add(1)
			go func() { defer wg.Done(); out <- x }()
		}
		wg.Wait()
		close(out)
		total := 0
		for x := range out {
			total += x
		}
		return total, nil
	})
	return sum + vs[0], err
}

func double(durable.StepContext) (int, error) { return 2, nil }

// background has no durable.Context and no workflow code calls it.
func background() {
	done := make(chan struct{})
	go close(done)
	<-done
}
