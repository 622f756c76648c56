package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/retry"
)

// Job is the workflow's input: images to render as thumbnails.
type Job struct {
	Images []string `json:"images"`
	// Parallel bounds the renders running at once (0: 4).
	Parallel int `json:"parallel,omitempty"`
}

// Report is the workflow's result.
type Report struct {
	Thumbnails []string `json:"thumbnails"`
	Failed     []string `json:"failed,omitempty"`
	Reason     string   `json:"reason"`
	Published  string   `json:"published"`
}

// errCorrupt is a render failure that retrying cannot fix.
var errCorrupt = errors.New("corrupt image")

// render fetches and resizes one image. Images whose name contains
// "corrupt" fail for good; "flaky" ones fail on their first attempt.
func render(ctx durable.Context, _ int, image string) (string, error) {
	data, err := durable.Step(ctx, "fetch", func(sc durable.StepContext) (string, error) {
		if strings.Contains(image, "corrupt") {
			return "", errCorrupt
		}
		return "bytes-of-" + image, nil
	}, durable.WithRetry(retry.None()))
	if err != nil {
		return "", err
	}
	return durable.Step(ctx, "resize", func(sc durable.StepContext) (string, error) {
		if strings.Contains(image, "flaky") && sc.Attempt() == 1 {
			return "", errors.New("renderer busy")
		}
		return "thumb/" + strings.TrimPrefix(data, "bytes-of-"), nil
	}, durable.WithRetry(retry.Fixed(3, 30*time.Second)))
}

// Workflow renders every image of the job concurrently (a Map), tolerating
// up to a quarter of failures, then publishes the thumbnails.
func Workflow(ctx durable.Context, job Job) (Report, error) {
	if len(job.Images) == 0 {
		return Report{}, errors.New("no images")
	}
	parallel := job.Parallel
	if parallel == 0 {
		parallel = 4
	}
	res, err := durable.Map(ctx, "render", job.Images, render,
		durable.WithMaxConcurrency(parallel),
		durable.WithToleratedFailurePercentage(25),
		durable.WithItemNamer(func(i int) string { return "render " + job.Images[i] }))
	if err != nil {
		return Report{}, err
	}
	rep := Report{Thumbnails: res.Results(), Reason: string(res.CompletionReason)}
	for _, it := range res.Failed() {
		rep.Failed = append(rep.Failed, job.Images[it.Index])
	}
	if res.CompletionReason == durable.CompletionFailureToleranceExceeded {
		return rep, fmt.Errorf("too many renders failed: %w", res.Err())
	}
	rep.Published, err = durable.Step(ctx, "publish", func(durable.StepContext) (string, error) {
		return fmt.Sprintf("gallery with %d thumbnails", len(rep.Thumbnails)), nil
	})
	return rep, err
}
