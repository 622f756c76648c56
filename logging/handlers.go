package logging

import (
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/lmittmann/tint"
)

// EnvLambdaFunctionName is set by the Lambda runtime; DefaultHandler uses it
// to tell Lambda from a local run.
const EnvLambdaFunctionName = "AWS_LAMBDA_FUNCTION_NAME"

// The keys of Lambda's JSON log format that NewJSONHandler writes in place of
// log/slog's "time" and "msg".
const (
	KeyTimestamp = "timestamp"
	KeyMessage   = "message"
)

// NewJSONHandler returns a handler writing one JSON object per line to w in
// Lambda's JSON log format, the one CloudWatch Logs indexes and AWS's durable
// SDKs write: "timestamp" (UTC, RFC 3339 with milliseconds), "level",
// "message", then the record's attributes (the SDK adds "requestId",
// "executionArn" and, inside an operation, "operationId"). A nil level means
// slog.LevelInfo.
func NewJSONHandler(w io.Writer, level slog.Leveler) slog.Handler {
	return slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level, ReplaceAttr: lambdaJSONKeys})
}

// lambdaTimeFormat is the timestamp layout of Lambda's JSON log records.
const lambdaTimeFormat = "2006-01-02T15:04:05.000Z"

// lambdaJSONKeys renames log/slog's built-in keys to Lambda's.
func lambdaJSONKeys(groups []string, a slog.Attr) slog.Attr {
	if len(groups) > 0 {
		return a
	}
	switch a.Key {
	case slog.TimeKey:
		if t, ok := a.Value.Any().(time.Time); ok {
			return slog.String(KeyTimestamp, t.UTC().Format(lambdaTimeFormat))
		}
		a.Key = KeyTimestamp
	case slog.MessageKey:
		a.Key = KeyMessage
	}
	return a
}

// NewTextHandler returns a human-friendly handler (tint) for local runs.
// Colours are used only when w is a terminal and NO_COLOR is unset. A nil
// level means slog.LevelInfo.
func NewTextHandler(w io.Writer, level slog.Leveler) slog.Handler {
	return newTextHandler(w, level, os.Getenv)
}

func newTextHandler(w io.Writer, level slog.Leveler, getenv func(string) string) slog.Handler {
	if level == nil {
		level = slog.LevelInfo
	}
	return tint.NewTextHandler(w, &tint.Options{
		Level:      level,
		TimeFormat: time.TimeOnly + ".000",
		NoColor:    getenv("NO_COLOR") != "" || !isTerminal(w),
	})
}

// DefaultHandler returns NewJSONHandler when running in Lambda (the
// AWS_LAMBDA_FUNCTION_NAME environment variable is set, read at call time)
// and NewTextHandler otherwise.
func DefaultHandler(w io.Writer, level slog.Leveler) slog.Handler {
	return defaultHandler(w, level, os.Getenv)
}

func defaultHandler(w io.Writer, level slog.Leveler, getenv func(string) string) slog.Handler {
	if getenv(EnvLambdaFunctionName) != "" {
		return NewJSONHandler(w, level)
	}
	return newTextHandler(w, level, getenv)
}

// isTerminal reports whether w is a character device such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
