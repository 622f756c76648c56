package handlers

import (
	"fmt"
	"strings"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/serdes"
)

// tagSerdes stores a string state behind a "state:" tag.
func tagSerdes() serdes.Serdes {
	const tag = "state:"
	return serdes.Typed(
		func(_ serdes.Context, s string) (string, error) { return tag + s, nil },
		func(_ serdes.Context, data string) (string, error) {
			s, ok := strings.CutPrefix(data, tag)
			if !ok {
				return "", fmt.Errorf("state %q lacks the %q tag", data, tag)
			}
			return s, nil
		},
	)
}

// waitForCondition6_11: the state, a string stored with a custom serdes,
// gains an "x" per check until it is two characters long.
func waitForCondition6_11(ctx durable.Context, _ any) (string, error) {
	return durable.WaitForCondition(ctx, "", func(_ durable.StepContext, s string) (string, error) {
		return s + "x", nil
	}, durable.WithWaitStrategy(durable.WaitUntil(func(s string) bool { return len(s) >= 2 }, nil)), durable.WithStateSerdes[string](tagSerdes()))
}
