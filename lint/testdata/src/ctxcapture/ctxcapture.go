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

// Negative cases.

func good(ctx durable.Context, in string) (string, error) {
	v, err := durable.Step(ctx, "a", func(sc durable.StepContext) (string, error) {
		sc.Logger().Info("in step")
		return in, nil
	})
	if err != nil {
		return "", err
	}
	// A child context body receives its own durable.Context.
	return durable.RunInChildContext(ctx, "child", func(c durable.Context) (string, error) {
		return durable.Step(c, "b", func(sc durable.StepContext) (string, error) { return v, nil })
	})
}
