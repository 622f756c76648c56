package handlers

import (
	"fmt"
	"strings"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/serdes"
)

// joinedSerdes stores a map result of strings that all succeeded as
// "OPSERDE:" and the comma-joined results, and reads it back.
func joinedSerdes() serdes.Serdes {
	const prefix = "OPSERDE:"
	return serdes.Typed(
		func(_ serdes.Context, r durable.BatchResult[string]) (string, error) {
			if r.HasFailure() || r.StartedCount() > 0 {
				return "", fmt.Errorf("only a map whose items all succeeded can be stored as %s...", prefix)
			}
			return prefix + strings.Join(r.Results(), ","), nil
		},
		func(_ serdes.Context, data string) (durable.BatchResult[string], error) {
			joined, ok := strings.CutPrefix(data, prefix)
			if !ok {
				return durable.BatchResult[string]{}, fmt.Errorf("%q lacks the %q prefix", data, prefix)
			}
			r := durable.BatchResult[string]{CompletionReason: durable.CompletionAllCompleted}
			if joined != "" {
				for i, s := range strings.Split(joined, ",") {
					r.Items = append(r.Items, durable.BatchItem[string]{Index: i, Status: durable.ItemSucceeded, Result: s})
				}
			}
			return r, nil
		},
	)
}

// map9_19: the whole map result is stored with a custom serdes.
func map9_19(ctx durable.Context, _ any) ([]string, error) {
	r, err := durable.Map(ctx, "", []string{"x", "y"}, upper,
		durable.WithMaxConcurrency(1), durable.WithSerdes(joinedSerdes()))
	if err != nil {
		return nil, err
	}
	return r.Results(), nil
}
