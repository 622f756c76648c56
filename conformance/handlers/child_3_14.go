package handlers

import (
	"strings"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/serdes"
)

// upperSerdes stores a string in upper case, as is, and reads it back as is.
func upperSerdes() serdes.Serdes {
	return serdes.Typed(
		func(_ serdes.Context, s string) (string, error) { return strings.ToUpper(s), nil },
		func(_ serdes.Context, data string) (string, error) { return data, nil },
	)
}

// child3_14: a child context with a serdes that upper-cases its result.
func child3_14(ctx durable.Context, input string) (string, error) {
	return durable.RunInChildContext(ctx, "shout", func(ctx durable.Context) (string, error) {
		return durable.Step(ctx, "", func(durable.StepContext) (string, error) {
			return input, nil
		})
	}, durable.WithSerdes(upperSerdes()))
}
