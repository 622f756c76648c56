package logging

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestDefaultHandlerInLambdaWritesJSON(t *testing.T) {
	var buf bytes.Buffer
	h := defaultHandler(&buf, nil, env(map[string]string{EnvLambdaFunctionName: "fn"}))
	slog.New(h).Info("hello", KeyRequestID, "r-1")
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatalf("not JSON: %q: %v", buf.String(), err)
	}
	if m[KeyMessage] != "hello" || m[KeyRequestID] != "r-1" {
		t.Fatalf("record = %v", m)
	}
}

func TestJSONHandlerWritesLambdaFormat(t *testing.T) {
	var buf bytes.Buffer
	at := time.Date(2026, 3, 4, 5, 6, 7, 891_000_000, time.FixedZone("X", 3600))
	r := slog.NewRecord(at, slog.LevelWarn, "charged", 0)
	r.AddAttrs(slog.String(KeyRequestID, "r-1"), slog.Group("g", slog.String("msg", "kept")))
	if err := NewJSONHandler(&buf, nil).Handle(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatalf("not JSON: %q: %v", buf.String(), err)
	}
	want := map[string]any{
		"timestamp": "2026-03-04T04:06:07.891Z", "level": "WARN", "message": "charged",
		"requestId": "r-1", "g": map[string]any{"msg": "kept"},
	}
	if !reflect.DeepEqual(m, want) {
		t.Fatalf("record\n %v\nwant\n %v", m, want)
	}
	if !strings.HasPrefix(buf.String(), `{"timestamp":`) {
		t.Errorf("timestamp is not the first key: %s", buf.String())
	}
}

func TestDefaultHandlerLocallyWritesText(t *testing.T) {
	var buf bytes.Buffer
	h := defaultHandler(&buf, slog.LevelDebug, env(nil))
	slog.New(h).Debug("hello", KeyOperationID, "op-1")
	out := buf.String()
	if strings.HasPrefix(out, "{") || !strings.Contains(out, "hello") || !strings.Contains(out, "operationId=op-1") {
		t.Fatalf("want tint text, got %q", out)
	}
	if strings.Contains(out, "\x1b[") {
		t.Fatalf("colour codes written to a non-terminal: %q", out)
	}
}

func TestDefaultHandlerReadsEnvironmentAtCallTime(t *testing.T) {
	t.Setenv(EnvLambdaFunctionName, "fn")
	var buf bytes.Buffer
	slog.New(DefaultHandler(&buf, nil)).Info("x")
	if !strings.HasPrefix(buf.String(), "{") {
		t.Fatalf("want JSON with %s set, got %q", EnvLambdaFunctionName, buf.String())
	}
	t.Setenv(EnvLambdaFunctionName, "")
	buf.Reset()
	slog.New(DefaultHandler(&buf, nil)).Info("x")
	if strings.HasPrefix(buf.String(), "{") {
		t.Fatalf("want text with %s empty, got %q", EnvLambdaFunctionName, buf.String())
	}
}

func TestHandlersHonourLevel(t *testing.T) {
	for name, h := range map[string]func(*bytes.Buffer) slog.Handler{
		"json": func(b *bytes.Buffer) slog.Handler { return NewJSONHandler(b, slog.LevelWarn) },
		"text": func(b *bytes.Buffer) slog.Handler { return NewTextHandler(b, slog.LevelWarn) },
	} {
		var buf bytes.Buffer
		l := slog.New(h(&buf))
		l.Info("quiet")
		if buf.Len() != 0 {
			t.Errorf("%s: info written at warn level: %q", name, buf.String())
		}
		l.Warn("loud")
		if !strings.Contains(buf.String(), "loud") {
			t.Errorf("%s: warn not written: %q", name, buf.String())
		}
	}
}
