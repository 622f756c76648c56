package durable

import (
	"bytes"
	"strings"
	"testing"
)

func noWorkflow(Context, string) (string, error) { return "", nil }

// A misconfigured handler stops the function at cold start, once and
// clearly, instead of serving invocations that all fail.
func TestStartRefusesMisconfiguredHandler(t *testing.T) {
	var stderr bytes.Buffer
	served, exitCode := false, -1
	startHandler(NewHandler(noWorkflow, WithMaxPayloadBytes(-1)),
		func(any) { served = true }, &stderr, func(code int) { exitCode = code })
	if served {
		t.Fatal("the Lambda loop started with a misconfigured handler")
	}
	if exitCode != 1 {
		t.Fatalf("exit code = %d, want 1", exitCode)
	}
	msg := stderr.String()
	if !strings.Contains(msg, "misconfigured") || !strings.Contains(msg, "limits") || strings.Count(msg, "\n") != 1 {
		t.Fatalf("stderr = %q, want one line naming the configuration error", msg)
	}
}

func TestStartServesValidHandler(t *testing.T) {
	var stderr bytes.Buffer
	var served any
	startHandler(NewHandler(noWorkflow), func(h any) { served = h }, &stderr,
		func(code int) { t.Fatalf("exit(%d) for a valid handler", code) })
	if _, ok := served.(*Handler); !ok || stderr.Len() != 0 {
		t.Fatalf("served %T, stderr %q; want the handler served silently", served, stderr.String())
	}
}
