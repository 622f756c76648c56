package logging_test

import (
	"log/slog"
	"os"

	"github.com/lambda-durable/durable/logging"
)

// dropTime removes the time attribute so the example output is stable.
func dropTime(groups []string, a slog.Attr) slog.Attr {
	if a.Key == slog.TimeKey && len(groups) == 0 {
		return slog.Attr{}
	}
	return a
}

func ExampleNewHandler() {
	replaying := true
	inner := slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: dropTime})
	logger := slog.New(logging.NewHandler(inner, logging.ReplayFunc(func() bool { return replaying }), logging.Options{})).
		With(logging.KeyOperationID, "op-1")

	logger.Info("charging card") // replaying: dropped
	replaying = false
	logger.Info("card charged")
	// Output:
	// {"level":"INFO","msg":"card charged","operationId":"op-1"}
}

func ExampleNewHandler_showReplays() {
	inner := slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: dropTime})
	logger := slog.New(logging.NewHandler(inner, logging.ReplayFunc(func() bool { return true }), logging.Options{ShowReplays: true}))
	logger.Info("charging card")
	// Output:
	// {"level":"INFO","msg":"charging card","replay":true}
}

func ExampleDefaultHandler() {
	// JSON lines in Lambda, colourful text on a developer's terminal.
	logger := slog.New(logging.DefaultHandler(os.Stderr, slog.LevelInfo))
	logger.Info("started")
}
