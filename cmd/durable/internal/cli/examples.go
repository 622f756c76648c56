package cli

import (
	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/examples/order"
)

// example is a workflow that `durable serve` registers.
type example struct {
	name    string
	summary string
	input   string // a sample input for the usage text
	handler func(opts ...durable.HandlerOption) *durable.Handler
}

// examples returns the workflows `durable serve` registers.
func examples() []example {
	return []example{
		{
			name:    order.FunctionName,
			summary: "order workflow: steps, a retried step, a child context, a wait and a shipment callback",
			input:   `{"id":"1001","customer":"ada@example.com","items":[{"sku":"MUG","quantity":1,"priceCents":1250}],"reviewWindowSeconds":5}`,
			handler: order.NewHandler,
		},
	}
}
