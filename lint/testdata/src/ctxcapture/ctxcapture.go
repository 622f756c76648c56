package ctxcapture

import "github.com/lambda-durable/durable"

func workflow(ctx durable.Context, in string) (string, error) {
	return durable.Step(ctx, "outer", func(sc durable.StepContext) (string, error) {
		ctx.Logger().Info("in step")                   // want `durable.Context ctx used inside a step body: a step is the unit that is recorded.*; use the durable.StepContext the step receives`
		return durable.Step[string](ctx, "inner", nil) // the first use per step is reported
	})
}

func callback(ctx durable.Context) (string, error) {
	return durable.WaitForCallback[string](ctx, "approve", func(sc durable.StepContext, id string) error {
		_ = durable.UUID(ctx) // want `durable.Context ctx used inside a step body`
		return nil
	})
}

func goroutines(ctx durable.Context) {
	go func() {
		_ = durable.Wait(ctx, "w", 0) // want `durable.Context ctx captured by a goroutine: operations started from it race`
	}()
	go durable.Wait(ctx, "w2", 0) // want `durable.Context ctx passed to a goroutine: operations started from it race`
}

func child(ctx durable.Context, items []int) error {
	_, err := durable.RunInChildContext(ctx, "child", func(c durable.Context) (int, error) {
		_ = durable.Wait(ctx, "outer", 0) // want `durable.Context ctx of the enclosing function used inside a function literal that receives its own \(c\): its operations belong to the enclosing context.*; use c`
		_ = durable.Wait(ctx, "again", 0) // the first use per literal is reported
		return 0, nil
	})
	if err != nil {
		return err
	}
	_, err = durable.Map(ctx, "items", items, func(_ durable.Context, _ int, item int) (int, error) {
		return durable.Step(ctx, "item", func(durable.StepContext) (int, error) { return item, nil }) // want `durable.Context ctx of the enclosing function used inside a function literal that receives its own \(_\)`
	})
	return err
}

// Negative cases.

func good(ctx durable.Context, in string) (string, error) {
	v, err := durable.Step(ctx, "a", func(sc durable.StepContext) (string, error) {
		sc.Logger().Info("in step")
		return in, nil
	})
	if err != nil {
		return "", err
	}
	// A child context body receives its own durable.Context and uses it;
	// the parent's logger is not an operation.
	return durable.RunInChildContext(ctx, "child", func(c durable.Context) (string, error) {
		ctx.Logger().Info("child")
		return durable.Step(c, "b", func(sc durable.StepContext) (string, error) { return v, nil })
	})
}
