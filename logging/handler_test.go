package logging_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"testing/slogtest"
	"time"

	"github.com/lambda-durable/durable/logging"
)

var testTime = time.Date(2025, 12, 1, 10, 0, 0, 0, time.UTC)

// replaying is a ReplayState a test flips.
type replaying struct{ on atomic.Bool }

func (r *replaying) IsReplaying() bool { return r.on.Load() }

// jsonLines decodes the JSON objects written to buf, one per line.
func jsonLines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for line := range strings.SplitSeq(strings.TrimSpace(buf.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("bad JSON line %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

func TestSlogtestLive(t *testing.T) {
	var buf bytes.Buffer
	h := logging.NewHandler(slog.NewJSONHandler(&buf, nil), &replaying{}, logging.Options{})
	if err := slogtest.TestHandler(h, func() []map[string]any { return jsonLines(t, &buf) }); err != nil {
		t.Fatal(err)
	}
}

func TestSlogtestShownReplays(t *testing.T) {
	var buf bytes.Buffer
	state := &replaying{}
	state.on.Store(true)
	h := logging.NewHandler(slog.NewJSONHandler(&buf, nil), state, logging.Options{ShowReplays: true})
	results := func() []map[string]any {
		ms := jsonLines(t, &buf)
		for _, m := range ms {
			if m[logging.KeyReplay] != true {
				t.Errorf("replayed record without replay=true: %v", m)
			}
			delete(m, logging.KeyReplay)
		}
		return ms
	}
	if err := slogtest.TestHandler(h, results); err != nil {
		t.Fatal(err)
	}
}

func TestSuppressionSurvivesWith(t *testing.T) {
	var buf bytes.Buffer
	state := &replaying{}
	base := slog.New(logging.NewHandler(slog.NewJSONHandler(&buf, nil), state, logging.Options{}))
	derived := []*slog.Logger{
		base,
		base.With(logging.KeyOperationID, "op-1"),
		base.WithGroup("g"),
		base.WithGroup("g").With("k", "v").WithGroup("h"),
	}

	state.on.Store(true)
	for _, l := range derived {
		if l.Enabled(context.Background(), slog.LevelError) {
			t.Error("Enabled = true while replaying")
		}
		l.Error("during replay")
		// Handle called directly (bypassing Enabled) must drop the record too.
		_ = l.Handler().Handle(context.Background(), slog.NewRecord(testTime, slog.LevelError, "direct", 0))
	}
	if buf.Len() != 0 {
		t.Fatalf("records leaked while replaying: %s", buf.String())
	}

	state.on.Store(false)
	for _, l := range derived {
		l.Info("live")
	}
	lines := jsonLines(t, &buf)
	if len(lines) != len(derived) {
		t.Fatalf("got %d live lines, want %d: %s", len(lines), len(derived), buf.String())
	}
	if lines[1][logging.KeyOperationID] != "op-1" {
		t.Errorf("With attrs lost: %v", lines[1])
	}
	g, _ := lines[3]["g"].(map[string]any)
	if g == nil || g["k"] != "v" {
		t.Errorf("groups lost: %v", lines[3])
	}
	for _, m := range lines {
		if _, ok := m[logging.KeyReplay]; ok {
			t.Errorf("live record marked replay: %v", m)
		}
	}
}

func TestShowReplays(t *testing.T) {
	var buf bytes.Buffer
	state := &replaying{}
	l := slog.New(logging.NewHandler(slog.NewJSONHandler(&buf, nil), state, logging.Options{ShowReplays: true})).
		With(logging.KeyOperationID, "op-2").WithGroup("req")

	state.on.Store(true)
	l.Info("replayed", "n", 1)
	state.on.Store(false)
	l.Info("live", "n", 2)

	lines := jsonLines(t, &buf)
	if len(lines) != 2 {
		t.Fatalf("got %d lines, want 2: %s", len(lines), buf.String())
	}
	if lines[0][logging.KeyReplay] != true || lines[0][logging.KeyOperationID] != "op-2" {
		t.Errorf("replayed line = %v, want top-level replay=true and operationId", lines[0])
	}
	if req, _ := lines[0]["req"].(map[string]any); req["n"] != 1.0 {
		t.Errorf("replayed line lost its group: %v", lines[0])
	}
	if _, ok := lines[1][logging.KeyReplay]; ok {
		t.Errorf("live line marked replay: %v", lines[1])
	}
}

func TestLevelStillApplies(t *testing.T) {
	var buf bytes.Buffer
	l := slog.New(logging.NewHandler(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelWarn}), nil, logging.Options{}))
	l.Info("dropped by level")
	l.Warn("kept")
	if lines := jsonLines(t, &buf); len(lines) != 1 || lines[0][slog.MessageKey] != "kept" {
		t.Fatalf("lines = %v", lines)
	}
}

func TestReplayFunc(t *testing.T) {
	var buf bytes.Buffer
	on := true
	l := slog.New(logging.NewHandler(slog.NewJSONHandler(&buf, nil), logging.ReplayFunc(func() bool { return on }), logging.Options{}))
	l.Info("a")
	on = false
	l.Info("b")
	if lines := jsonLines(t, &buf); len(lines) != 1 || lines[0][slog.MessageKey] != "b" {
		t.Fatalf("lines = %v", lines)
	}
}

func BenchmarkSuppressed(b *testing.B) {
	state := &replaying{}
	state.on.Store(true)
	var buf bytes.Buffer
	l := slog.New(logging.NewHandler(slog.NewJSONHandler(&buf, nil), state, logging.Options{})).
		With(logging.KeyOperationID, "op-1")
	b.ReportAllocs()
	for b.Loop() {
		l.Info("suppressed", "attempt", 3)
	}
	if buf.Len() != 0 {
		b.Fatal("suppressed record written")
	}
}
