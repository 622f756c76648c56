package plugin_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/plugin"
)

// faulty is a plugin whose every hook notes its name and then fails: odd
// hooks return an error, even ones panic.
func faulty(rec *recorder) plugin.Plugin {
	n := 0
	fail := func(hook string) error {
		rec.note("FAULTY " + hook)
		n++
		if n%2 == 0 {
			panic("hook " + hook + " panicked")
		}
		return errors.New("hook " + hook + " failed")
	}
	step := func(t checkpoint.OperationType, hook string) error {
		if t != checkpoint.TypeStep {
			return nil
		}
		return fail(hook)
	}
	return plugin.Plugin{
		Name:            "faulty",
		InvocationStart: func(context.Context, plugin.InvocationInfo) error { return fail("invocation-start") },
		InvocationEnd:   func(context.Context, plugin.InvocationInfo) error { return fail("invocation-end") },
		OperationStart:  func(_ context.Context, o plugin.OperationInfo) error { return step(o.Type, "operation-start") },
		OperationEnd:    func(_ context.Context, o plugin.OperationInfo) error { return step(o.Type, "operation-end") },
		AttemptStart:    func(_ context.Context, a plugin.AttemptInfo) error { return step(a.Type, "attempt-start") },
		AttemptEnd:      func(_ context.Context, a plugin.AttemptInfo) error { return step(a.Type, "attempt-end") },
		OperationChange: func(context.Context, plugin.ChangeInfo) error { return fail("operation-change") },
	}
}

// 10-4 and 10-17: failing hooks change nothing, and the healthy plugin
// registered after the faulty one sees every hook.
func TestErrorIsolation(t *testing.T) {
	clean := &recorder{}
	rClean, want, _ := run(t, greet(clean), "cy", true, clean.plugin())

	rec := &recorder{}
	r, res, logs := run(t, greet(rec), "cy", true, faulty(rec), rec.plugin())
	if res.Status != want.Status || res.Result != want.Result {
		t.Fatalf("with a faulty plugin: %s %s, want %s %s", res.Status, res.Result, want.Status, want.Result)
	}
	if got, wantH := eventTypes(r.History()), eventTypes(rClean.History()); !slices.Equal(got, wantH) {
		t.Errorf("history %v, want %v", got, wantH)
	}
	id := opID(t, r, "greet")
	wantLines(t, rec.Lines(), []string{
		"FAULTY invocation-start", "invocation-start first=true",
		"FAULTY operation-start", "operation-start STEP " + id + " name=greet replay=false",
		"FAULTY attempt-start", "attempt-start STEP " + id + " name=greet attempt=1 children=false",
		"step running for cy",
		"FAULTY attempt-end", "attempt-end STEP " + id + " SUCCEEDED",
		"FAULTY operation-change", "operation-change STEP " + id + " SUCCEEDED in_full_map=true",
		"FAULTY operation-end", "operation-end STEP " + id + " SUCCEEDED parent=NONE result=\"Hello, cy!\" error=NONE",
		"FAULTY invocation-end", "invocation-end first=true status=SUCCEEDED terminal=true",
	})
	// Every failure is reported once, as a warning naming plugin and hook.
	out := logs.String()
	for _, hook := range []string{"InvocationStart", "OperationStart", "AttemptStart", "AttemptEnd", "OperationChange", "OperationEnd", "InvocationEnd"} {
		if n := strings.Count(out, `"hook":"`+hook+`"`); n != 1 {
			t.Errorf("%d reports for %s in\n%s", n, hook, out)
		}
	}
	if !strings.Contains(out, `"plugin":"faulty"`) || !strings.Contains(out, "panic: hook") || !strings.Contains(out, "failed") {
		t.Errorf("reports lack plugin name, panic or error:\n%s", out)
	}
}

// 10-5: several plugins all receive the hooks, in registration order.
func TestMultiplePlugins(t *testing.T) {
	rec := &recorder{}
	named := func(name string) plugin.Plugin {
		return plugin.Plugin{
			Name: name,
			InvocationStart: func(context.Context, plugin.InvocationInfo) error {
				rec.note(name + " invocation-start")
				return nil
			},
			InvocationEnd: func(_ context.Context, i plugin.InvocationInfo) error {
				rec.note(fmt.Sprintf("%s invocation-end %s", name, i.Status))
				return nil
			},
		}
	}
	_, res, _ := run(t, greet(rec), "di", false, named("A"), named("B"))
	if res.Status != local.ExecutionSucceeded {
		t.Fatalf("status %s", res.Status)
	}
	wantLines(t, rec.Lines(), []string{
		"A invocation-start", "B invocation-start",
		"step running for di",
		"A invocation-end SUCCEEDED", "B invocation-end SUCCEEDED",
	})
}

func eventTypes(evs []local.Event) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = string(e.EventType)
		if e.SubType != "" { // an operation's event (the execution's id is random)
			out[i] += " " + e.SubType + " " + e.Id + " " + e.Name
		}
	}
	return out
}
