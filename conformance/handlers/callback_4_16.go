package handlers

import (
	"strconv"
	"strings"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/serdes"
)

type countResult struct {
	Count   int `json:"count"`
	Doubled int `json:"doubled"`
}

// numberSerdes reads a callback's text answer as an integer.
func numberSerdes() serdes.Serdes {
	return serdes.Typed(
		func(_ serdes.Context, n int) (string, error) { return strconv.Itoa(n), nil },
		func(_ serdes.Context, data string) (int, error) { return strconv.Atoi(strings.TrimSpace(data)) },
	)
}

// callback4_16: a callback whose answer a custom serdes turns into a number.
func callback4_16(ctx durable.Context, name string) (countResult, error) {
	cb, err := durable.CreateCallback[int](ctx, name, durable.WithResultSerdes(numberSerdes()))
	if err != nil {
		return countResult{}, err
	}
	n, err := cb.Get()
	if err != nil {
		return countResult{}, err
	}
	return countResult{Count: n, Doubled: 2 * n}, nil
}
