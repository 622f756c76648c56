package order

import (
	"time"

	"github.com/lambda-durable/durable"
)

// ShipmentTimeout is how long the warehouse has to confirm a shipment.
const ShipmentTimeout = 12 * time.Hour

// awaitShipment asks the warehouse to ship the order and waits for its
// answer on a callback: the request-shipment step hands the callback id to
// the warehouse (here it only logs it; the demo finds the callback in the
// execution's history), which answers with SendDurableExecutionCallbackSuccess
// and a Shipment as JSON.
func awaitShipment(ctx durable.Context, o Order) (Shipment, error) {
	return durable.WaitForCallback[Shipment](ctx, "shipment", func(sc durable.StepContext, callbackID string) error {
		sc.Logger().Info("shipment requested from the warehouse", "order", o.ID, "callbackId", callbackID)
		return nil
	}, durable.WithCallbackTimeout(ShipmentTimeout))
}
