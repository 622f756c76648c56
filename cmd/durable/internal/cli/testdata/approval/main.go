// Command approval is a user's durable function, built by the tests into a
// Lambda executable that `durable serve -fn` runs behind a Runtime API: it
// waits for an approval callback and returns the approver's answer.
package main

import (
	"github.com/lambda-durable/durable"
)

type request struct {
	Item string `json:"item"`
}

type decision struct {
	Approved bool   `json:"approved"`
	By       string `json:"by"`
}

func approve(ctx durable.Context, in request) (string, error) {
	d, err := durable.WaitForCallback[decision](ctx, "approval", func(sc durable.StepContext, callbackID string) error {
		sc.Logger().Info("approval requested", "item", in.Item, "callbackId", callbackID)
		return nil
	})
	if err != nil {
		return "", err
	}
	if !d.Approved {
		return in.Item + " rejected by " + d.By, nil
	}
	return in.Item + " approved by " + d.By, nil
}

func main() { durable.Start(approve) }
