package durabletest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/local"
)

// line records, in *at, the line of the workflow that calls it, and
// returns name: `durable.Step(ctx, at(&l, "charge"), fn)` names the step
// and remembers where it was requested.
func at(l *int, name string) string {
	_, _, *l, _ = runtime.Caller(1)
	return name
}

// Where the incompatible versions below ask for their operations.
var reorderedLine, renamedLine, addedLine, appendedLine int

func constant(v string) func(durable.StepContext) (string, error) {
	return func(durable.StepContext) (string, error) { return v, nil }
}

// orderV1 is version 1 of the workflow the replay tests record.
func orderV1(ctx durable.Context, item string) (string, error) {
	reserved, err := durable.Step(ctx, "reserve", constant("reserved "+item))
	if err != nil {
		return "", err
	}
	charged, err := durable.Step(ctx, "charge", constant("charged"))
	if err != nil {
		return "", err
	}
	if err := durable.Wait(ctx, "cool-off", time.Hour); err != nil {
		return "", err
	}
	shipped, err := durable.Step(ctx, "ship", constant("shipped"))
	if err != nil {
		return "", err
	}
	return reserved + ", " + charged + ", " + shipped, nil
}

// compatible changes the step bodies and the final result, not the
// operations: recorded executions replay.
func compatible(ctx durable.Context, item string) (string, error) {
	reserved, err := durable.Step(ctx, "reserve", constant("RESERVED "+item))
	if err != nil {
		return "", err
	}
	charged, err := durable.Step(ctx, "charge", constant("CHARGED"))
	if err != nil {
		return "", err
	}
	if err := durable.Wait(ctx, "cool-off", time.Hour); err != nil {
		return "", err
	}
	shipped, err := durable.Step(ctx, "ship", constant("SHIPPED"))
	if err != nil {
		return "", err
	}
	return strings.ToUpper(reserved + " / " + charged + " / " + shipped), nil
}

// reordered charges before reserving.
func reordered(ctx durable.Context, item string) (string, error) {
	if _, err := durable.Step(ctx, at(&reorderedLine, "charge"), constant("charged")); err != nil {
		return "", err
	}
	if _, err := durable.Step(ctx, "reserve", constant("reserved "+item)); err != nil {
		return "", err
	}
	if err := durable.Wait(ctx, "cool-off", time.Hour); err != nil {
		return "", err
	}
	return durable.Step(ctx, "ship", constant("shipped"))
}

// renamed calls the last step "dispatch".
func renamed(ctx durable.Context, item string) (string, error) {
	if _, err := durable.Step(ctx, "reserve", constant("reserved "+item)); err != nil {
		return "", err
	}
	if _, err := durable.Step(ctx, "charge", constant("charged")); err != nil {
		return "", err
	}
	if err := durable.Wait(ctx, "cool-off", time.Hour); err != nil {
		return "", err
	}
	return durable.Step(ctx, at(&renamedLine, "dispatch"), constant("shipped"))
}

// added validates before charging.
func added(ctx durable.Context, item string) (string, error) {
	if _, err := durable.Step(ctx, "reserve", constant("reserved "+item)); err != nil {
		return "", err
	}
	if _, err := durable.Step(ctx, at(&addedLine, "validate"), constant("ok")); err != nil {
		return "", err
	}
	if _, err := durable.Step(ctx, "charge", constant("charged")); err != nil {
		return "", err
	}
	if err := durable.Wait(ctx, "cool-off", time.Hour); err != nil {
		return "", err
	}
	return durable.Step(ctx, "ship", constant("shipped"))
}

// appended notifies after shipping: new executions do more than finished
// ones recorded.
func appended(ctx durable.Context, item string) (string, error) {
	out, err := orderV1(ctx, item)
	if err != nil {
		return "", err
	}
	return durable.Step(ctx, at(&appendedLine, "notify"), constant(out))
}

// record runs orderV1 to its end (or, with suspend, to the wait) and
// returns the recording.
func record(t *testing.T, suspend bool) *durabletest.Recording {
	t.Helper()
	r := durabletest.New(durable.NewHandler(orderV1, quiet))
	t.Cleanup(func() { r.Close() })
	ctx := context.Background()
	if suspend {
		if err := r.Start(ctx, "pen"); err != nil {
			t.Fatal(err)
		}
		if _, err := r.RunInvocation(ctx); err != nil {
			t.Fatal(err)
		}
		if st := r.Result().Status; st != local.ExecutionRunning {
			t.Fatalf("status %s, want RUNNING at the wait", st)
		}
	} else if res, err := r.Run(ctx, "pen"); err != nil || res.Status != local.ExecutionSucceeded {
		t.Fatalf("run: %+v, %v", res, err)
	}
	rec, err := r.Recording()
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func TestReplayAcceptsTheRecordingCodeAndCompatibleChanges(t *testing.T) {
	for _, suspend := range []bool{false, true} {
		rec := record(t, suspend)
		for name, fn := range map[string]func(durable.Context, string) (string, error){"v1": orderV1, "compatible": compatible} {
			if err := durabletest.Replay(context.Background(), durable.NewHandler(fn, quiet), rec); err != nil {
				t.Errorf("suspended=%v, %s: %v", suspend, name, err)
			}
		}
	}
}

// TestReplayReportsIncompatibleChanges replays a finished and a suspended
// execution of version 1 against each incompatible change.
func TestReplayReportsIncompatibleChanges(t *testing.T) {
	cases := []struct {
		name     string
		fn       func(durable.Context, string) (string, error)
		line     *int
		id       string
		recorded string // the recorded operation's name ("" for none)
		new      string
		// suspended: whether the suspended execution (recorded up to the
		// wait, id 3) also detects the change.
		suspended bool
	}{
		{"reordered steps", reordered, &reorderedLine, "1", "reserve", "charge", true},
		{"renamed step", renamed, &renamedLine, "4", "ship", "dispatch", false},
		{"added step before a recorded one", added, &addedLine, "2", "charge", "validate", true},
		{"added step after the end", appended, &appendedLine, "5", "", "notify", false},
	}
	for _, suspend := range []bool{false, true} {
		rec := record(t, suspend)
		for _, tc := range cases {
			err := durabletest.Replay(context.Background(), durable.NewHandler(tc.fn, quiet), rec)
			if suspend && !tc.suspended {
				// The change is past what the suspended execution
				// recorded: it will simply take the new code.
				if err != nil {
					t.Errorf("suspended, %s: %v", tc.name, err)
				}
				continue
			}
			var nd *durable.NonDeterministicExecutionError
			if !errors.As(err, &nd) {
				t.Fatalf("suspended=%v, %s: got %v, want a NonDeterministicExecutionError", suspend, tc.name, err)
			}
			wantSource := fmt.Sprintf("replay_test.go:%d", *tc.line)
			if nd.OperationID != tc.id || nd.Recorded.Name != tc.recorded || nd.Requested.Name != tc.new ||
				nd.Requested.Type != checkpoint.TypeStep || !strings.HasSuffix(nd.Source, wantSource) {
				t.Errorf("suspended=%v, %s: got %+v, want operation %s recorded %q requested STEP %q at %s",
					suspend, tc.name, nd, tc.id, tc.recorded, tc.new, wantSource)
			}
			if tc.recorded != "" && nd.Recorded.Type != checkpoint.TypeStep {
				t.Errorf("%s: recorded %+v, want a STEP", tc.name, nd.Recorded)
			}
			if !strings.Contains(err.Error(), wantSource) || !strings.Contains(err.Error(), `name="`+tc.new+`"`) {
				t.Errorf("%s: message %q does not name the operation and line", tc.name, err)
			}
		}
	}
}

// TestReplayReportsAChangedResultType: a recorded payload that no longer
// decodes ends the replay FAILED where the execution had succeeded.
func TestReplayReportsAChangedResultType(t *testing.T) {
	rec := record(t, false)
	changed := func(ctx durable.Context, item string) (string, error) {
		n, err := durable.Step(ctx, "reserve", func(durable.StepContext) (int, error) { return 1, nil })
		return fmt.Sprint(n), err
	}
	err := durabletest.Replay(context.Background(), durable.NewHandler(changed, quiet), rec)
	var oe *durabletest.ReplayOutcomeError
	if !errors.As(err, &oe) || oe.Recorded != local.ExecutionSucceeded || oe.Replayed != checkpoint.InvocationFailed || oe.Failure == nil {
		t.Fatalf("got %v, want a ReplayOutcomeError (recorded SUCCEEDED, replayed FAILED)", err)
	}
}

// TestReplayRunsNoStepBody: a replay answers steps from history; the frontier
// of a suspended execution is not run either.
func TestReplayRunsNoStepBody(t *testing.T) {
	rec := record(t, true)
	ran := 0
	counting := func(ctx durable.Context, item string) (string, error) {
		body := func(durable.StepContext) (string, error) { ran++; return "x", nil }
		for _, name := range []string{"reserve", "charge"} {
			if _, err := durable.Step(ctx, name, body); err != nil {
				return "", err
			}
		}
		if err := durable.Wait(ctx, "cool-off", time.Hour); err != nil {
			return "", err
		}
		return durable.Step(ctx, "ship", body)
	}
	if err := durabletest.Replay(context.Background(), durable.NewHandler(counting, quiet), rec); err != nil {
		t.Fatal(err)
	}
	if ran != 0 {
		t.Fatalf("%d step bodies ran during the replay", ran)
	}
}

// TestRecordingFromHistoryMatchesTheService: the operations rebuilt from
// history are the ones the service holds.
// It compares after every invocation of the order example (a retry
// pending, a wait started, a child context, the end).
func TestRecordingFromHistoryMatchesTheService(t *testing.T) {
	r := durabletest.New(durable.NewHandler(order, quiet))
	defer r.Close()
	ctx := context.Background()
	if err := r.Start(ctx, "book"); err != nil {
		t.Fatal(err)
	}
	for i := 0; !r.Result().Done(); i++ {
		if i == 10 {
			t.Fatal("the execution did not end in 10 invocations")
		}
		if _, err := r.RunInvocation(ctx); err != nil {
			t.Fatal(err)
		}
		want, err := r.Recording()
		if err != nil {
			t.Fatal(err)
		}
		got, err := durabletest.RecordingFromHistory(r.History())
		if err != nil {
			t.Fatal(err)
		}
		got.DurableExecutionArn = want.DurableExecutionArn
		if !reflect.DeepEqual(got, want) {
			g, _ := json.MarshalIndent(got, "", " ")
			w, _ := json.MarshalIndent(want, "", " ")
			t.Fatalf("after invocation %d, from history:\n%s\nfrom the service:\n%s", i+1, g, w)
		}
		if err := durabletest.Replay(ctx, durable.NewHandler(order, quiet), got); err != nil {
			t.Errorf("after invocation %d: %v", i+1, err)
		}
	}
}

// TestReplayGoldenFiles replays stored histories: the golden file the
// runner writes is a recording too. This is the test to keep next to a
// workflow (docs/versioning.md).
func TestReplayGoldenFiles(t *testing.T) {
	durabletest.AssertReplays(t, durable.NewHandler(order, quiet), "testdata/order.golden")

	dir := t.TempDir()
	r := durabletest.New(durable.NewHandler(orderV1, quiet))
	defer r.Close()
	if _, err := r.Run(context.Background(), "pen"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "v1.golden")
	t.Setenv(durabletest.UpdateEnv, "1")
	if err := r.CheckHistory(path); err != nil {
		t.Fatal(err)
	}
	if err := durabletest.ReplayFile(context.Background(), durable.NewHandler(compatible, quiet), path); err != nil {
		t.Errorf("compatible: %v", err)
	}
	err := durabletest.ReplayFile(context.Background(), durable.NewHandler(added, quiet), path)
	var nd *durable.NonDeterministicExecutionError
	if !errors.As(err, &nd) || nd.OperationID != "2" || !strings.Contains(err.Error(), path) {
		t.Errorf("added: got %v, want a NonDeterministicExecutionError at operation 2 naming %s", err, path)
	}
	exported := filepath.Join(dir, "v1.json")
	rec, err := r.Recording()
	if err != nil {
		t.Fatal(err)
	}
	if err := rec.WriteFile(exported); err != nil {
		t.Fatal(err)
	}
	if err := durabletest.ReplayFile(context.Background(), durable.NewHandler(orderV1, quiet), exported); err != nil {
		t.Errorf("exported recording: %v", err)
	}
}

func TestReadRecordingRejectsTruncatedHistories(t *testing.T) {
	payload := `"x"`
	events := []local.Event{
		{EventType: local.EventExecutionStarted, EventId: 1, Id: "e", ExecutionStartedDetails: &local.ExecutionStartedDetails{}},
		{EventType: local.EventStepStarted, EventId: 2, Id: "1", SubType: "Step", StepStartedDetails: &local.StepStartedDetails{}},
		{EventType: local.EventStepSucceeded, EventId: 3, Id: "1", SubType: "Step",
			StepSucceededDetails: &local.StepSucceededDetails{Result: &local.EventResult{Payload: &payload, Truncated: true}}},
	}
	if _, err := durabletest.RecordingFromHistory(events); !errors.Is(err, durabletest.ErrTruncated) {
		t.Fatalf("got %v, want ErrTruncated", err)
	}
	if _, err := durabletest.RecordingFromHistory(events[1:]); err == nil {
		t.Fatal("a history without ExecutionStarted was accepted")
	}
}

// A stopped execution may have been stopped anywhere: reaching the end of
// its history is not a mismatch, a different operation is.
func TestReplayOfAStoppedExecution(t *testing.T) {
	ctx := context.Background()
	r := durabletest.New(durable.NewHandler(orderV1, quiet))
	defer r.Close()
	if err := r.Start(ctx, "pen"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.RunInvocation(ctx); err != nil {
		t.Fatal(err)
	}
	if err := r.Stop(ctx, checkpoint.ErrorObject{ErrorMessage: "enough"}); err != nil {
		t.Fatal(err)
	}
	rec, err := r.Recording()
	if err != nil || rec.Status != local.ExecutionStopped {
		t.Fatalf("recording: %+v, %v; want a STOPPED execution", rec, err)
	}
	if err := durabletest.Replay(ctx, durable.NewHandler(appended, quiet), rec); err != nil {
		t.Errorf("a compatible change: %v", err)
	}
	var nd *durable.NonDeterministicExecutionError
	if err := durabletest.Replay(ctx, durable.NewHandler(reordered, quiet), rec); !errors.As(err, &nd) || nd.OperationID != "1" {
		t.Errorf("reordered: %v, want a NonDeterministicExecutionError at operation 1", err)
	}
}

// Virtual contexts and flat batches record nothing of their own: a replay
// goes through them without stopping.
func TestReplayThroughVirtualContexts(t *testing.T) {
	ctx := context.Background()
	flat := func(ctx durable.Context, item string) (int, error) {
		sum, err := durable.RunInChildContext(ctx, "virtual", func(child durable.Context) (int, error) {
			return durable.Step(child, "one", func(durable.StepContext) (int, error) { return 1, nil })
		}, durable.WithVirtualContext())
		if err != nil {
			return 0, err
		}
		res, err := durable.Map(ctx, "items", []int{2, 3}, func(c durable.Context, _ int, n int) (int, error) {
			return durable.Step(c, "double", func(durable.StepContext) (int, error) { return 2 * n, nil })
		}, durable.WithFlatNesting())
		if err != nil {
			return 0, err
		}
		for _, it := range res.Items {
			sum += it.Result
		}
		return sum, nil
	}
	r := durabletest.New(durable.NewHandler(flat, quiet))
	defer r.Close()
	if res, err := r.Run(ctx, "x"); err != nil || res.Status != local.ExecutionSucceeded || res.Result != "11" {
		t.Fatalf("run: %+v, %v", res, err)
	}
	rec, err := r.Recording()
	if err != nil {
		t.Fatal(err)
	}
	if err := durabletest.Replay(ctx, durable.NewHandler(flat, quiet), rec); err != nil {
		t.Fatal(err)
	}
}
