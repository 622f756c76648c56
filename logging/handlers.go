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

// NewJSONHandler returns a handler writing one JSON object per line to w,
// the format CloudWatch Logs indexes. A nil level means slog.LevelInfo.
func NewJSONHandler(w io.Writer, level slog.Leveler) slog.Handler {
	return slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level})
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
	return tint.NewHandler(w, &tint.Options{
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
