package order_test

import (
	"context"
	"fmt"
	"io"
	"log"

	"github.com/lambda-durable/durable/examples/order"
)

// RunDemo runs the order workflow on an embedded local service; here the
// narration and timeline are discarded and the result is printed.
func ExampleRunDemo() {
	res, err := order.RunDemo(context.Background(), io.Discard, order.DemoOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Status, res.Receipt.Status, res.Receipt.TotalCents)
	// Output: SUCCEEDED SHIPPED 9248
}
