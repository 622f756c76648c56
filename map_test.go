package durable_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/middleware"
	"github.com/lambda-durable/durable/serdes"
)

func TestMapBasicHistory(t *testing.T) {
	wf := func(ctx durable.Context, items []string) ([]string, error) {
		res, err := durable.Map(ctx, "map", items, func(ctx durable.Context, _ int, item string) (string, error) {
			return durable.Step(ctx, "greet", func(durable.StepContext) (string, error) { return "Hello, " + item + "!", nil })
		}, durable.WithMaxConcurrency(1))
		if err != nil {
			return nil, err
		}
		return res.Results(), nil
	}
	r := succeeds(t, wf, []string{"World", "Kiro"}, `["Hello, World!","Hello, Kiro!"]`)
	wantHistory(t, r,
		"ContextStarted/Map",
		"ContextStarted/MapIteration", "StepStarted/Step", "StepSucceeded/Step", "ContextSucceeded/MapIteration",
		"ContextStarted/MapIteration", "StepStarted/Step", "StepSucceeded/Step", "ContextSucceeded/MapIteration",
		"ContextSucceeded/Map", "InvocationCompleted", "ExecutionSucceeded")
	// Iterations are children of the map, steps of their iteration.
	var mapID string
	for _, ev := range r.History() {
		switch ev.SubType {
		case "Map":
			mapID = ev.Id
			if ev.ParentId != "" || ev.Name != "map" {
				t.Errorf("map event %+v", ev)
			}
		case "MapIteration":
			if ev.ParentId != mapID {
				t.Errorf("iteration %s has parent %q, want %q", ev.Id, ev.ParentId, mapID)
			}
		case "Step":
			if !strings.HasPrefix(ev.Id, mapID+"-") || ev.ParentId == mapID {
				t.Errorf("step %s has parent %q", ev.Id, ev.ParentId)
			}
		}
	}
	if got := contextResults(r, "MapIteration"); !slices.Equal(got, []string{`"Hello, World!"`, `"Hello, Kiro!"`}) {
		t.Errorf("iteration payloads = %q", got)
	}
}

func TestMapUnnamedAndEmpty(t *testing.T) {
	wf := func(ctx durable.Context, items []int) ([]int, error) {
		res, err := durable.Map(ctx, "", items, func(_ durable.Context, _ int, n int) (int, error) { return 2 * n, nil },
			durable.WithMaxConcurrency(1))
		if err != nil {
			return nil, err
		}
		return res.Results(), nil
	}
	r := newRunner(t, durable.NewHandler(wf, quietLogs()))
	res := mustRun(t, r, []int{1, 2})
	if res.Result != "[2,4]" {
		t.Errorf("result = %s", res.Result)
	}
	if got := contextResults(r, "MapIteration"); !slices.Equal(got, []string{"2", "4"}) {
		t.Errorf("iteration payloads = %q", got)
	}
	for _, ev := range events(r, "ContextStarted") {
		if ev.Name != "" {
			t.Errorf("unnamed map recorded name %q", ev.Name)
		}
	}

	r = newRunner(t, durable.NewHandler(wf, quietLogs()))
	res = mustRun(t, r, []int{})
	if res.Result != "[]" {
		t.Errorf("empty map result = %s", res.Result)
	}
	wantHistory(t, r, "ContextStarted/Map", "ContextSucceeded/Map", "InvocationCompleted", "ExecutionSucceeded")
}

func TestMapCompletion(t *testing.T) {
	tests := []struct {
		name string
		n    int
		fail func(int) bool
		opts []durable.MapOption
		want projection
	}{
		{"fail fast when nothing is set", 3, func(i int) bool { return i == 1 }, nil,
			projection{CompletionReason: "FAILURE_TOLERANCE_EXCEEDED", Status: "FAILED", SuccessCount: 1, FailureCount: 1, TotalCount: 2}},
		{"tolerated count 0", 3, func(i int) bool { return i == 1 }, []durable.MapOption{durable.WithToleratedFailureCount(0)},
			projection{CompletionReason: "FAILURE_TOLERANCE_EXCEEDED", Status: "FAILED", SuccessCount: 1, FailureCount: 1, TotalCount: 2}},
		{"min successful", 4, func(int) bool { return false }, []durable.MapOption{durable.WithMinSuccessful(2)},
			projection{CompletionReason: "MIN_SUCCESSFUL_REACHED", Status: "SUCCEEDED", SuccessCount: 2, TotalCount: 2}},
		{"within tolerated count", 3, func(i int) bool { return i == 1 }, []durable.MapOption{durable.WithToleratedFailureCount(1)},
			projection{CompletionReason: "ALL_COMPLETED", Status: "FAILED", SuccessCount: 2, FailureCount: 1, TotalCount: 3}},
		{"tolerated count exceeded", 3, func(i int) bool { return i < 2 }, []durable.MapOption{durable.WithToleratedFailureCount(1)},
			projection{CompletionReason: "FAILURE_TOLERANCE_EXCEEDED", Status: "FAILED", FailureCount: 2, TotalCount: 2}},
		{"percentage exceeded", 4, func(int) bool { return true }, []durable.MapOption{durable.WithToleratedFailurePercentage(25)},
			projection{CompletionReason: "FAILURE_TOLERANCE_EXCEEDED", Status: "FAILED", FailureCount: 2, TotalCount: 2}},
		{"percentage boundary", 4, func(i int) bool { return i == 0 }, []durable.MapOption{durable.WithToleratedFailurePercentage(25)},
			projection{CompletionReason: "ALL_COMPLETED", Status: "FAILED", SuccessCount: 3, FailureCount: 1, TotalCount: 4}},
		{"min successful not reached", 3, func(i int) bool { return i == 1 }, []durable.MapOption{durable.WithMinSuccessful(3)},
			projection{CompletionReason: "ALL_COMPLETED", Status: "FAILED", SuccessCount: 2, FailureCount: 1, TotalCount: 3}},
		{"all fail within tolerance", 3, func(int) bool { return true }, []durable.MapOption{durable.WithToleratedFailureCount(3)},
			projection{CompletionReason: "ALL_COMPLETED", Status: "FAILED", FailureCount: 3, TotalCount: 3}},
		{"custom check", 5, func(int) bool { return false }, []durable.MapOption{durable.WithCompletionCheck(func(p durable.BatchProgress) durable.CompletionReason {
			if p.Succeeded == 3 {
				return "THREE_DONE"
			}
			return ""
		})}, projection{CompletionReason: "THREE_DONE", Status: "SUCCEEDED", SuccessCount: 3, TotalCount: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wf := func(ctx durable.Context, _ any) (projection, error) {
				items := make([]int, tt.n)
				res, err := durable.Map(ctx, "m", items, succeedIf(tt.fail), append(tt.opts, durable.WithMaxConcurrency(1))...)
				if err != nil {
					return projection{}, err
				}
				return project(res), nil
			}
			got, r := runProjection(t, wf)
			if got != tt.want {
				t.Errorf("projection = %+v, want %+v", got, tt.want)
			}
			if n := len(events(r, "ContextStarted")) - 1; n != tt.want.TotalCount {
				t.Errorf("%d iterations started, want %d", n, tt.want.TotalCount)
			}
			if n := len(events(r, "ContextFailed")); n != tt.want.FailureCount {
				t.Errorf("%d iterations failed, want %d", n, tt.want.FailureCount)
			}
		})
	}
}

func TestMapValidation(t *testing.T) {
	tests := []struct {
		name string
		opts []durable.MapOption
	}{
		{"max concurrency 0", []durable.MapOption{durable.WithMaxConcurrency(0)}},
		{"max concurrency negative", []durable.MapOption{durable.WithMaxConcurrency(-1)}},
		{"min successful 0", []durable.MapOption{durable.WithMinSuccessful(0)}},
		{"negative tolerance", []durable.MapOption{durable.WithToleratedFailureCount(-1)}},
		{"percentage over 100", []durable.MapOption{durable.WithToleratedFailurePercentage(101)}},
		{"invalid item name", []durable.MapOption{durable.WithItemNamer(func(int) string { return "tab\t" })}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var verr error
			wf := func(ctx durable.Context, _ any) (string, error) {
				_, err := durable.Map(ctx, "bad", []int{1, 2}, succeedIf(func(int) bool { return false }), tt.opts...)
				verr = err
				return "", err
			}
			r := newRunner(t, durable.NewHandler(wf, quietLogs()))
			res := mustRun(t, r, nil)
			wantStatus(t, res, local.ExecutionFailed)
			var ve *durable.ValidationError
			if !errors.As(verr, &ve) {
				t.Fatalf("error = %v, want a *ValidationError", verr)
			}
			if res.Error == nil || res.Error.ErrorType != "ValidationError" {
				t.Errorf("execution error = %+v", res.Error)
			}
			wantHistory(t, r, "InvocationCompleted", "ExecutionFailed")
		})
	}
}

func TestMapConcurrentResultsInIndexOrder(t *testing.T) {
	var live, peak atomic.Int32
	wf := func(ctx durable.Context, n int) ([]string, error) {
		res, err := durable.Map(ctx, "concurrent", make([]int, n), func(ctx durable.Context, i int, _ int) (string, error) {
			return durable.Step(ctx, "work", func(durable.StepContext) (string, error) {
				now := live.Add(1)
				for p := peak.Load(); now > p && !peak.CompareAndSwap(p, now); p = peak.Load() {
				}
				defer live.Add(-1)
				time.Sleep(time.Millisecond)
				return fmt.Sprintf("r%d", i), nil
			})
		}, durable.WithMaxConcurrency(3))
		if err != nil {
			return nil, err
		}
		return res.Results(), nil
	}
	r := newRunner(t, durable.NewHandler(wf, quietLogs()))
	res := mustRun(t, r, 12)
	wantStatus(t, res, local.ExecutionSucceeded)
	var got []string
	if err := res.Decode(&got); err != nil {
		t.Fatal(err)
	}
	for i, s := range got {
		if s != fmt.Sprintf("r%d", i) {
			t.Fatalf("results = %v, not in index order", got)
		}
	}
	if len(got) != 12 {
		t.Fatalf("got %d results", len(got))
	}
	if p := peak.Load(); p > 3 {
		t.Errorf("%d items ran at once, max concurrency is 3", p)
	}
	// Iteration ids follow the index, whatever the completion order.
	starts := events(r, "ContextStarted")
	mapID := starts[0].Id
	for i, ev := range starts[1:] {
		if want := fmt.Sprintf("%s-%d", mapID, i+1); ev.Id != want {
			t.Errorf("iteration %d started as %s, want %s", i, ev.Id, want)
		}
	}
}

func TestMapItemNamerAndItemSerdes(t *testing.T) {
	wrapped := serdes.Typed(
		func(_ serdes.Context, s string) (string, error) { return "wrapped:" + s, nil },
		func(_ serdes.Context, data string) (string, error) {
			s, ok := strings.CutPrefix(data, "wrapped:")
			if !ok {
				return "", fmt.Errorf("not wrapped: %q", data)
			}
			return s, nil
		})
	wf := func(ctx durable.Context, items []string) ([]string, error) {
		res, err := durable.Map(ctx, "named-items", items,
			func(_ durable.Context, _ int, s string) (string, error) { return strings.ToUpper(s), nil },
			durable.WithMaxConcurrency(1), durable.WithItemSerdes(wrapped),
			durable.WithItemNamer(func(i int) string { return "item-" + items[i] }))
		if err != nil {
			return nil, err
		}
		if err := durable.Wait(ctx, "pause", time.Second); err != nil {
			return nil, err
		}
		return res.Results(), nil
	}
	r := newRunner(t, durable.NewHandler(wf, quietLogs()))
	res := mustRun(t, r, []string{"x", "y"})
	if res.Result != `["X","Y"]` {
		t.Errorf("result = %s", res.Result)
	}
	if got := contextResults(r, "MapIteration"); !slices.Equal(got, []string{"wrapped:X", "wrapped:Y"}) {
		t.Errorf("iteration payloads = %q", got)
	}
	var names []string
	for _, ev := range events(r, "ContextStarted") {
		names = append(names, ev.Name)
	}
	if !slices.Equal(names, []string{"named-items", "item-x", "item-y"}) {
		t.Errorf("names = %q", names)
	}
}

// opSerdes is the conformance suite's whole-result serdes: "OPSERDE:X,Y".
var opSerdes = serdes.Typed(
	func(_ serdes.Context, b durable.BatchResult[string]) (string, error) {
		return "OPSERDE:" + strings.Join(b.Results(), ","), nil
	},
	func(_ serdes.Context, data string) (durable.BatchResult[string], error) {
		rest, ok := strings.CutPrefix(data, "OPSERDE:")
		if !ok {
			return durable.BatchResult[string]{}, fmt.Errorf("bad payload %q", data)
		}
		var b durable.BatchResult[string]
		for i, s := range strings.Split(rest, ",") {
			b.Items = append(b.Items, durable.BatchItem[string]{Index: i, Status: durable.ItemSucceeded, Result: s})
		}
		b.CompletionReason = durable.CompletionAllCompleted
		return b, nil
	})

func TestMapWholeResultSerdesAcrossReplay(t *testing.T) {
	var runs atomic.Int32
	wf := func(ctx durable.Context, _ any) ([]string, error) {
		res, err := durable.Map(ctx, "op-serde-replay", []string{"x", "y"},
			func(_ durable.Context, _ int, s string) (string, error) {
				runs.Add(1)
				return strings.ToUpper(s), nil
			}, durable.WithMaxConcurrency(1), durable.WithSerdes(opSerdes))
		if err != nil {
			return nil, err
		}
		if err := durable.Wait(ctx, "wait", time.Second); err != nil {
			return nil, err
		}
		return res.Results(), nil
	}
	r := succeeds(t, wf, nil, `["X","Y"]`)
	if got := contextResults(r, "Map"); !slices.Equal(got, []string{"OPSERDE:X,Y"}) {
		t.Errorf("map payload = %q", got)
	}
	if n := runs.Load(); n != 2 {
		t.Errorf("items ran %d times, want 2 (the replay decodes the stored result)", n)
	}
	wantHistory(t, r, "ContextStarted/Map",
		"ContextStarted/MapIteration", "ContextSucceeded/MapIteration",
		"ContextStarted/MapIteration", "ContextSucceeded/MapIteration",
		"ContextSucceeded/Map", "WaitStarted/Wait", "InvocationCompleted",
		"WaitSucceeded/Wait", "InvocationCompleted", "ExecutionSucceeded")
}

func TestMapLargeResultReplaysChildren(t *testing.T) {
	var runs atomic.Int32
	wf := func(ctx durable.Context, _ any) (projection, error) {
		res, err := durable.Map(ctx, "large", []int{0, 1, 2, 3}, func(ctx durable.Context, i int, _ int) (string, error) {
			return durable.Step(ctx, "big", func(durable.StepContext) (string, error) {
				runs.Add(1)
				return strings.Repeat(string(rune('a'+i)), 70*1024), nil
			})
		}, durable.WithMaxConcurrency(1))
		if err != nil {
			return projection{}, err
		}
		if err := durable.Wait(ctx, "wait", time.Second); err != nil {
			return projection{}, err
		}
		for i, s := range res.Results() {
			if len(s) != 70*1024 || s[0] != byte('a'+i) {
				return projection{}, fmt.Errorf("result %d rebuilt wrong", i)
			}
		}
		return project(res), nil
	}
	got, r := runProjection(t, wf)
	if want := (projection{CompletionReason: "ALL_COMPLETED", Status: "SUCCEEDED", SuccessCount: 4, TotalCount: 4}); got != want {
		t.Errorf("projection = %+v, want %+v", got, want)
	}
	if n := runs.Load(); n != 4 {
		t.Errorf("steps ran %d times, want 4", n)
	}
	var found bool
	for _, op := range r.Operations() {
		if op.SubType == "Map" {
			found = true
			if op.ContextDetails == nil || !op.ContextDetails.ReplayChildren || len(op.ContextDetails.Result) > 1024 {
				t.Errorf("map context details = %+v", op.ContextDetails)
			}
		}
	}
	if !found {
		t.Error("no map operation")
	}
}

func TestMapSuspendsAndResumesAcrossInvocations(t *testing.T) {
	var starts atomic.Int32
	wf := func(ctx durable.Context, _ any) ([]string, error) {
		res, err := durable.Map(ctx, "waits", []int{3, 1, 2}, func(ctx durable.Context, i int, secs int) (string, error) {
			if _, err := durable.Step(ctx, "before", func(durable.StepContext) (int, error) { starts.Add(1); return i, nil }); err != nil {
				return "", err
			}
			if err := durable.Wait(ctx, "nap", time.Duration(secs)*time.Second); err != nil {
				return "", err
			}
			return durable.Step(ctx, "after", func(durable.StepContext) (string, error) { return fmt.Sprintf("done%d", i), nil })
		}, durable.WithMaxConcurrency(2))
		if err != nil {
			return nil, err
		}
		return res.Results(), nil
	}
	r := succeeds(t, wf, nil, `["done0","done1","done2"]`)
	if n := starts.Load(); n != 3 {
		t.Errorf("the first step of the items ran %d times, want 3", n)
	}
	if n := len(events(r, "InvocationCompleted")); n < 3 {
		t.Errorf("%d invocations, want several (the items suspend)", n)
	}
	if n := len(events(r, "ContextStarted")); n != 4 {
		t.Errorf("%d contexts started, want 4 (no iteration started twice)", n)
	}
}

func TestMapBatches(t *testing.T) {
	wf := func(ctx durable.Context, items []string) ([]string, error) {
		res, err := durable.MapBatches(ctx, "batched", items, durable.ItemBatcher[string]{MaxItems: 2},
			func(_ durable.Context, b durable.Batch[string]) (string, error) {
				return fmt.Sprintf("%d@%d:%s", b.Index, b.Start, strings.Join(b.Items, "+")), nil
			}, durable.WithItemNamer(func(i int) string { return fmt.Sprintf("batch-%d", i) }))
		if err != nil {
			return nil, err
		}
		return res.Results(), nil
	}
	r := succeeds(t, wf, []string{"a", "b", "c", "d", "e"}, `["0@0:a+b","1@2:c+d","2@4:e"]`)
	if n := len(events(r, "ContextStarted")); n != 4 {
		t.Errorf("%d contexts, want 1 map + 3 batches", n)
	}
}

func TestMapFlowsThroughMiddleware(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]int{}
	record := func(next middleware.Handler) middleware.Handler {
		return func(ctx context.Context, op *middleware.Operation) error {
			err := next(ctx, op)
			mu.Lock()
			seen[fmt.Sprintf("%s/%v", op.Spec().SubType, op.Spec().Replaying)]++
			mu.Unlock()
			return err
		}
	}
	wf := func(ctx durable.Context, _ any) (int, error) {
		res, err := durable.Map(ctx, "m", []int{1, 2}, func(_ durable.Context, _ int, n int) (int, error) { return n, nil })
		if err != nil {
			return 0, err
		}
		return len(res.Results()), durable.Wait(ctx, "w", time.Second)
	}
	r := newRunner(t, durable.NewHandler(wf, quietLogs(), durable.WithMiddleware(record)))
	wantStatus(t, mustRun(t, r, nil), local.ExecutionSucceeded)
	// The Wait suspends the first invocation (the chain sees it, STARTED),
	// and the second observes its end: live both times.
	want := map[string]int{"Map/false": 1, "MapIteration/false": 2, "Map/true": 1, "Wait/false": 2}
	if fmt.Sprint(seen) != fmt.Sprint(want) {
		t.Errorf("middleware saw %v, want %v", seen, want)
	}
}

func TestMapLargeResultWithAbandonedItemReplays(t *testing.T) {
	var seen []projection
	wf := func(ctx durable.Context, _ any) (projection, error) {
		res, err := durable.Map(ctx, "large", []int{0, 1, 2, 3, 4}, func(ctx durable.Context, i int, _ int) (string, error) {
			if i == 0 {
				return "", durable.Wait(ctx, "never", time.Hour)
			}
			return strings.Repeat("x", 70*1024), nil
		}, durable.WithMinSuccessful(4))
		if err != nil {
			return projection{}, err
		}
		seen = append(seen, project(res))
		return project(res), durable.Wait(ctx, "after", time.Second)
	}
	got, _ := runProjection(t, wf)
	want := projection{CompletionReason: "MIN_SUCCESSFUL_REACHED", Status: "SUCCEEDED", SuccessCount: 4, StartedCount: 1, TotalCount: 5}
	if got != want || len(seen) != 2 || seen[0] != seen[1] {
		t.Errorf("projections = %+v, want %+v live and on replay", seen, want)
	}
}
