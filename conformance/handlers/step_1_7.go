package handlers

import "github.com/lambda-durable/durable"

// step1_7: a step logs through its step context logger.
func step1_7(ctx durable.Context, name string) (string, error) {
	return durable.Step(ctx, "", func(sc durable.StepContext) (string, error) {
		sc.Logger().Info("Greeting step started for: " + name)
		greeting := "Hello, " + name + "!"
		sc.Logger().Info("Greeting step completed with: " + greeting)
		return greeting, nil
	})
}
