package handlers

import (
	"fmt"
	"strings"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/serdes"
)

// wrappedSerdes stores a string behind a "wrapped:" prefix.
func wrappedSerdes() serdes.Serdes {
	const prefix = "wrapped:"
	return serdes.Typed(
		func(_ serdes.Context, s string) (string, error) { return prefix + s, nil },
		func(_ serdes.Context, data string) (string, error) {
			s, ok := strings.CutPrefix(data, prefix)
			if !ok {
				return "", fmt.Errorf("%q lacks the %q prefix", data, prefix)
			}
			return s, nil
		},
	)
}

// upper returns item in upper case.
func upper(_ durable.Context, _ int, item string) (string, error) { return strings.ToUpper(item), nil }

// map9_14: each item's result is stored with a custom serdes.
func map9_14(ctx durable.Context, _ any) ([]string, error) {
	r, err := durable.Map(ctx, "", []string{"x", "y"}, upper,
		durable.WithMaxConcurrency(1), durable.WithItemSerdes(wrappedSerdes()))
	if err != nil {
		return nil, err
	}
	return r.Results(), nil
}
