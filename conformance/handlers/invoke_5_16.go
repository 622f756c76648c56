package handlers

import (
	"strings"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/serdes"
)

// upperResultSerdes reads a result as its text in upper case.
func upperResultSerdes() serdes.Serdes {
	return serdes.Typed(
		func(_ serdes.Context, s string) (string, error) { return s, nil },
		func(_ serdes.Context, data string) (string, error) { return strings.ToUpper(data), nil },
	)
}

// invoke5_16: invoke the echo function, reading its result with a serdes that
// upper-cases it.
func invoke5_16(ctx durable.Context, input string) (string, error) {
	return durable.Invoke[string](ctx, "", echoFunction, input, durable.WithResultSerdes(upperResultSerdes()))
}
