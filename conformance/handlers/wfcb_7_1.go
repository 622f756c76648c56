package handlers

import "github.com/lambda-durable/durable"

// submitNothing is a wait-for-callback submitter that hands the callback id
// to nobody: the requirement's external system finds it in the history.
func submitNothing(sc durable.StepContext, callbackID string) error {
	sc.Logger().Info("callback ready", "callbackId", callbackID)
	return nil
}

// waitForCallback7_1: a wait-for-callback named after the input; the handler
// returns the answer.
func waitForCallback7_1(ctx durable.Context, name string) (string, error) {
	return durable.WaitForCallback[string](ctx, name, submitNothing)
}
