package handlers

import (
	"strings"

	"github.com/lambda-durable/durable"
)

// largeInvokePayload is the size of requirement invoke/5-7's input: large,
// yet under the 256 KiB limit of one operation's payload.
const largeInvokePayload = 200 << 10

type sizeReport struct {
	Length int `json:"length"`
}

// measure is a durable function that reports the length of its input.
func measure(_ durable.Context, in string) (sizeReport, error) {
	return sizeReport{Length: len(in)}, nil
}

// invoke5_7: invoke a function with a large payload.
func invoke5_7(ctx durable.Context, _ any) (sizeReport, error) {
	return durable.Invoke[sizeReport](ctx, "", measureFunction, strings.Repeat("a", largeInvokePayload))
}
