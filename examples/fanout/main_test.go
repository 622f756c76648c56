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

func TestSampleJob(t *testing.T) {
	var out bytes.Buffer
	if err := runLocal(context.Background(), &out, sampleJob); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"thumb/cat.png"`, `"thumb/dog-flaky.png"`, `"fish-corrupt.png"`, `"ALL_COMPLETED"`, "gallery with 4 thumbnails", "virtual time 30s"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %s:\n%s", want, out.String())
		}
	}
}

func TestTooManyFailures(t *testing.T) {
	r := durabletest.New(durable.NewHandler(Workflow, durable.WithLogHandler(slog.DiscardHandler)))
	defer r.Close()
	res, err := r.Run(context.Background(), Job{Images: []string{"a-corrupt", "b", "c-corrupt", "d"}, Parallel: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != local.ExecutionFailed || !strings.Contains(res.Error.ErrorMessage, "too many renders failed") {
		t.Fatalf("status %s, error %+v", res.Status, res.Error)
	}
	if _, ok := r.Operation("publish"); ok {
		t.Error("published despite the failures")
	}
}
