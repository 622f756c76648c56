package handlers

import (
	"strings"

	"github.com/lambda-durable/durable"
)

type successTotal struct {
	SuccessCount int `json:"successCount"`
	TotalCount   int `json:"totalCount"`
}

// map9_16: four items of about 70 KB each make a map result over the
// payload limit, stored with ReplayChildren.
func map9_16(ctx durable.Context, _ any) (successTotal, error) {
	r, err := durable.Map(ctx, "", []string{"a", "b", "c", "d"},
		func(_ durable.Context, _ int, item string) (string, error) {
			return strings.Repeat(item, 70*1000), nil
		}, durable.WithMaxConcurrency(1))
	if err != nil {
		return successTotal{}, err
	}
	return successTotal{SuccessCount: r.SuccessCount(), TotalCount: r.TotalCount()}, nil
}
