package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/retry"
)

// Request asks for an export of a dataset.
type Request struct {
	Dataset string `json:"dataset"`
}

// Job is the state of an export job, as the export service reports it and
// as each poll records it.
type Job struct {
	ID       string `json:"id"`
	State    string `json:"state"` // RUNNING, DONE or FAILED
	Progress int    `json:"progress"`
	URL      string `json:"url,omitempty"`
	Error    string `json:"error,omitempty"`
}

// Finished reports whether the job will not change any more.
func (j Job) Finished() bool { return j.State == "DONE" || j.State == "FAILED" }

// Exporter is the export service the workflow drives.
type Exporter interface {
	Start(ctx context.Context, dataset string) (jobID string, err error)
	Status(ctx context.Context, jobID string) (Job, error)
}

// ErrExportFailed is wrapped by the error of an export the service failed.
var ErrExportFailed = errors.New("export failed")

// MaxChecks bounds the polling: 30 checks, 10 s apart at first, growing
// x1.5 up to 2 minutes (about 45 minutes in all).
const MaxChecks = 30

// Workflow returns the export workflow: start a job, poll it with
// durable.WaitForCondition until it finishes (the invocation suspends
// between checks, so waiting costs nothing), then publish its link.
func Workflow(x Exporter) func(ctx durable.Context, r Request) (string, error) {
	return func(ctx durable.Context, r Request) (string, error) {
		id, err := durable.Step(ctx, "start-export", func(sc durable.StepContext) (string, error) {
			return x.Start(sc, r.Dataset)
		})
		if err != nil {
			return "", err
		}

		job, err := durable.WaitForCondition(ctx, "await-export",
			func(sc durable.StepContext, j Job) (Job, error) {
				return x.Status(sc, j.ID)
			},
			durable.WithWaitStrategy(durable.WaitUntil(Job.Finished, retry.Exponential(MaxChecks, 10*time.Second, 2*time.Minute))),
			durable.WithInitialState(Job{ID: id, State: "RUNNING"}))
		var se *durable.StepError
		if errors.As(err, &se) && se.ErrorType() == durable.ErrorTypeConditionExhausted {
			return "", fmt.Errorf("export %s did not finish after %d checks", id, MaxChecks)
		}
		if err != nil {
			return "", err
		}
		if job.State == "FAILED" {
			return "", fmt.Errorf("%w: %s: %s", ErrExportFailed, id, job.Error)
		}

		return durable.Step(ctx, "publish", func(sc durable.StepContext) (string, error) {
			sc.Logger().Info("export ready", "job", id, "url", job.URL)
			return job.URL, nil
		})
	}
}
