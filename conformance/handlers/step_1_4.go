package handlers

import "github.com/lambda-durable/durable"

type profile struct {
	Name string   `json:"name"`
	Tags []string `json:"tags"`
}

type profileResponse struct {
	User  profile `json:"user"`
	Count int     `json:"count"`
}

// step1_4: a step returns a nested object with arrays and mixed types.
func step1_4(ctx durable.Context, in profile) (profileResponse, error) {
	return durable.Step(ctx, "", func(durable.StepContext) (profileResponse, error) {
		return profileResponse{User: in, Count: len(in.Tags)}, nil
	})
}
