package serdes_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/lambda-durable/durable/serdes"
)

func ExampleJSON() {
	sc := serdes.Context{OperationID: "1"}
	data, _ := serdes.JSON{}.Serialize(sc, map[string]any{"orderId": "o-7", "qty": 2})
	fmt.Println(data)

	var back struct {
		OrderID string `json:"orderId"`
		Qty     int    `json:"qty"`
	}
	_ = serdes.JSON{}.Deserialize(sc, data, &back)
	fmt.Println(back.OrderID, back.Qty)
	// Output:
	// {"orderId":"o-7","qty":2}
	// o-7 2
}

func ExampleRaw() {
	var result string
	_ = serdes.Raw{}.Deserialize(serdes.Context{}, `approved by alice`, &result)
	fmt.Println(result)
	// Output: approved by alice
}

func ExampleTyped() {
	upper := serdes.Typed(
		func(_ serdes.Context, s string) (string, error) { return strings.ToUpper(s), nil },
		func(_ serdes.Context, d string) (string, error) { return strings.ToLower(d), nil },
	)
	data, _ := upper.Serialize(serdes.Context{}, "hello")
	var back string
	_ = upper.Deserialize(serdes.Context{}, data, &back)
	fmt.Println(data, back)
	// Output: HELLO hello
}

func ExampleError() {
	var n int
	err := serdes.JSON{}.Deserialize(serdes.Context{OperationID: "step-3"}, `"not a number"`, &n)
	var se *serdes.Error
	if errors.As(err, &se) {
		fmt.Println(se.Op, se.OperationID)
	}
	// Output: deserialize step-3
}
