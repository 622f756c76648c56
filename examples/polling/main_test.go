package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/local"
)

func TestRun(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out); err != nil {
		t.Fatal(err)
	}
	want := "check 1: RUNNING 25%\ncheck 2: RUNNING 50%\ncheck 3: RUNNING 75%\ncheck 4: DONE 100%\n" +
		"ready: https://exports.example.com/job-orders-2025.csv\n4 invocations;"
	if !strings.HasPrefix(out.String(), want) {
		t.Errorf("output:\n%s\nwant it to begin with:\n%s", out.String(), want)
	}
}

func runSim(t *testing.T, sim *simulated) *durabletest.Result {
	t.Helper()
	r := durabletest.New(durable.NewHandler(Workflow(sim), durable.WithLogHandler(slog.DiscardHandler)))
	t.Cleanup(func() { r.Close() })
	res, err := r.Run(context.Background(), Request{Dataset: "d"})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestFailedJob(t *testing.T) {
	res := runSim(t, &simulated{step: 30, failAt: 60})
	if res.Status != local.ExecutionFailed || !strings.Contains(res.Error.ErrorMessage, "disk full") {
		t.Errorf("status %s, error %+v", res.Status, res.Error)
	}
}

func TestJobThatNeverFinishes(t *testing.T) {
	sim := &simulated{step: 0}
	res := runSim(t, sim)
	if res.Status != local.ExecutionFailed || !strings.Contains(res.Error.ErrorMessage, "did not finish after 30 checks") {
		t.Errorf("status %s, error %+v", res.Status, res.Error)
	}
	if sim.checks != MaxChecks {
		t.Errorf("%d checks, want %d", sim.checks, MaxChecks)
	}
}
