package engine

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/middleware"
	"github.com/lambda-durable/durable/retry"
)

// These tests check each flush rule of checkpoint.Point's table through the
// engine, one rule per test, with the checkpointer's timers injected (they
// fire only when a test fires them) and a deadline on every wait.

const ruleDeadline = 2 * time.Second

var modes = []checkpoint.Mode{checkpoint.Eager{}, checkpoint.Batched{MaxUpdates: 50}, checkpoint.Optimistic{}}

// manualTimers is an injected AfterFunc whose timers fire on demand.
type manualTimers struct {
	mu    sync.Mutex
	armed map[time.Duration][]func()
}

func (m *manualTimers) afterFunc(d time.Duration, f func()) func() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.armed == nil {
		m.armed = map[time.Duration][]func(){}
	}
	m.armed[d] = append(m.armed[d], f)
	return func() bool { return true } // a stopped timer that fires finds nothing to do
}

// fire runs the timers armed with delay d.
func (m *manualTimers) fire(d time.Duration) {
	m.mu.Lock()
	fs := m.armed[d]
	delete(m.armed, d)
	m.mu.Unlock()
	for _, f := range fs {
		f()
	}
}

// waitFor polls cond until it holds, failing the test after ruleDeadline.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	end := time.Now().Add(ruleDeadline)
	for !cond() {
		if time.Now().After(end) {
			t.Errorf("%s: not within %v", what, ruleDeadline)
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// recorded reports whether the service holds an update of id with action.
func recorded(f *fakeService, id string, a checkpoint.Action) bool {
	for _, u := range f.updates() {
		if u.Id == id && u.Action == a {
			return true
		}
	}
	return false
}

// requests describes each call as "id:ACTION id:ACTION | ...".
func requests(f *fakeService) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var parts []string
	for _, c := range f.calls {
		var us []string
		for _, u := range c.Updates {
			us = append(us, u.Id+":"+string(u.Action))
		}
		parts = append(parts, strings.Join(us, " "))
	}
	return strings.Join(parts, " | ")
}

func withMode(mode checkpoint.Mode, ts *manualTimers) func(*Config) {
	return func(cfg *Config) { cfg.Mode, cfg.AfterFunc = mode, ts.afterFunc }
}

func fiveSteps(c *Context) (any, error) {
	sum := 0
	for range 5 {
		v, err := Step(c, "", func(*StepContext) (int, error) { return 1, nil }, StepOptions{})
		if err != nil {
			return nil, err
		}
		sum += v
	}
	return sum, nil
}

// Fast steps: each START travels with its outcome. Eager sends each step
// in one request; Batched{4} sends when 4 updates are not durable and waits
// for them (2 steps a request), the rest at the end; Optimistic only at
// the end.
func TestModesCallsPerStep(t *testing.T) {
	for _, tc := range []struct {
		mode checkpoint.Mode
		want string
	}{
		{checkpoint.Eager{}, "1:START 1:SUCCEED | 2:START 2:SUCCEED | 3:START 3:SUCCEED | 4:START 4:SUCCEED | 5:START 5:SUCCEED"},
		{checkpoint.Batched{MaxUpdates: 4}, "1:START 1:SUCCEED 2:START 2:SUCCEED | 3:START 3:SUCCEED 4:START 4:SUCCEED | 5:START 5:SUCCEED"},
		{checkpoint.Optimistic{}, "1:START 1:SUCCEED 2:START 2:SUCCEED 3:START 3:SUCCEED 4:START 4:SUCCEED 5:START 5:SUCCEED"},
	} {
		f := newFake(t, "")
		en := newEngine(t, fiveSteps, withMode(tc.mode, &manualTimers{}))
		resp, _ := runToEnd(t, en, f)
		if got := requests(f); resp.Result != "5" || got != tc.want {
			t.Errorf("%s: result %q, requests\n %s\nwant\n %s", checkpoint.ModeName(tc.mode), resp.Result, got, tc.want)
		}
	}
}

// Rule OperationStart: a step body that runs StartDelay without ending has
// its START sent while it runs, in every mode, without waiting for it.
func TestRuleStartIsSentWhileTheBodyRuns(t *testing.T) {
	for _, mode := range modes {
		t.Run(checkpoint.ModeName(mode), func(t *testing.T) {
			f := newFake(t, "")
			ts := &manualTimers{}
			en := newEngine(t, func(c *Context) (any, error) {
				return Step(c, "slow", func(sc *StepContext) (int, error) {
					if recorded(f, sc.OperationID(), checkpoint.ActionStart) {
						t.Error("the at-least-once START was made durable before the body ran")
					}
					ts.fire(checkpoint.StartDelay)
					waitFor(t, "START sent while the body runs", func() bool { return recorded(f, sc.OperationID(), checkpoint.ActionStart) })
					return 1, nil
				}, StepOptions{})
			}, withMode(mode, ts))
			resp, _ := runToEnd(t, en, f)
			if got := requests(f); resp.Result != "1" || got != "1:START | 1:SUCCEED" {
				t.Fatalf("result %q, requests %s", resp.Result, got)
			}
		})
	}
}

// Rule OperationStart for a child context: its START too is sent while
// its body runs.
func TestRuleChildStartIsSentWhileTheBodyRuns(t *testing.T) {
	for _, mode := range modes {
		t.Run(checkpoint.ModeName(mode), func(t *testing.T) {
			f := newFake(t, "")
			ts := &manualTimers{}
			en := newEngine(t, func(c *Context) (any, error) {
				return RunInChildContext(c, "child", func(*Context) (int, error) {
					ts.fire(checkpoint.StartDelay)
					waitFor(t, "context START sent while its body runs", func() bool { return recorded(f, "1", checkpoint.ActionStart) })
					return 1, nil
				}, ChildOptions{})
			}, withMode(mode, ts))
			if resp, _ := runToEnd(t, en, f); resp.Result != "1" {
				t.Fatalf("%+v", resp)
			}
		})
	}
}

// Rule AtMostOnceStart: durable before the body, in every mode.
func TestRuleAtMostOnceStartIsDurableFirst(t *testing.T) {
	for _, mode := range modes {
		t.Run(checkpoint.ModeName(mode), func(t *testing.T) {
			f := newFake(t, "")
			en := newEngine(t, func(c *Context) (any, error) {
				return Step(c, "once", func(sc *StepContext) (int, error) {
					if !recorded(f, sc.OperationID(), checkpoint.ActionStart) {
						t.Error("the body runs before its START is durable")
					}
					return 1, nil
				}, StepOptions{AtMostOnce: true})
			}, withMode(mode, &manualTimers{}))
			runToEnd(t, en, f)
		})
	}
}

// Rule Outcome: in eager mode an operation's outcome is durable before
// the next line runs; in the other modes it is not (below MaxUpdates).
func TestRuleOutcome(t *testing.T) {
	for _, mode := range modes {
		t.Run(checkpoint.ModeName(mode), func(t *testing.T) {
			f := newFake(t, "")
			en := newEngine(t, func(c *Context) (any, error) {
				if _, err := Step(c, "a", func(*StepContext) (int, error) { return 1, nil }, StepOptions{}); err != nil {
					return nil, err
				}
				if got, want := recorded(f, "1", checkpoint.ActionSucceed), checkpoint.ModeName(mode) == "eager"; got != want {
					t.Errorf("outcome durable after the step returned: %v, want %v", got, want)
				}
				return 1, nil
			}, withMode(mode, &manualTimers{}))
			runToEnd(t, en, f)
		})
	}
}

// Rule Outcome, Batched: once MaxUpdates updates are not durable, the
// operation waits until they are: the next body never runs with more than
// MaxUpdates updates not yet durable.
func TestRuleBatchedBoundsWhatIsNotDurable(t *testing.T) {
	const n = 3
	f := newFake(t, "")
	var ran int
	en := newEngine(t, func(c *Context) (any, error) {
		for range 10 {
			if _, err := Step(c, "", func(*StepContext) (int, error) {
				ran++
				// Updates produced so far: 2 per earlier step plus this START.
				if notDurable := 2*(ran-1) + 1 - len(f.updates()); notDurable > n+1 {
					t.Errorf("body %d runs with %d updates not durable", ran, notDurable)
				}
				return 1, nil
			}, StepOptions{}); err != nil {
				return nil, err
			}
		}
		return nil, nil
	}, withMode(checkpoint.Batched{MaxUpdates: n}, &manualTimers{}))
	runToEnd(t, en, f)
	if ran != 10 {
		t.Fatalf("%d bodies ran", ran)
	}
}

// Rule count threshold, Batched: MaxUpdates queued updates are sent in the
// background while the next body runs.
func TestRuleBatchedSendsByCount(t *testing.T) {
	f := newFake(t, "")
	en := newEngine(t, func(c *Context) (any, error) {
		if _, err := Step(c, "a", func(*StepContext) (int, error) { return 1, nil }, StepOptions{}); err != nil {
			return nil, err
		}
		// a's START and SUCCEED and b's START make 3: sent without waiting.
		return Step(c, "b", func(*StepContext) (int, error) {
			waitFor(t, "3 queued updates sent", func() bool { return f.callCount() == 1 })
			return 1, nil
		}, StepOptions{})
	}, withMode(checkpoint.Batched{MaxUpdates: 3}, &manualTimers{}))
	runToEnd(t, en, f)
	if got := requests(f); got != "1:START 1:SUCCEED 2:START | 2:SUCCEED" {
		t.Fatalf("requests %s", got)
	}
}

// Rule bytes threshold, Batched.
func TestRuleBatchedSendsByBytes(t *testing.T) {
	f := newFake(t, "")
	en := newEngine(t, func(c *Context) (any, error) {
		if _, err := Step(c, "a", func(*StepContext) (string, error) { return strings.Repeat("x", 2000), nil }, StepOptions{}); err != nil {
			return nil, err
		}
		return Step(c, "b", func(*StepContext) (int, error) {
			waitFor(t, "2 KB of updates sent", func() bool { return f.callCount() == 1 })
			return 1, nil
		}, StepOptions{})
	}, withMode(checkpoint.Batched{MaxBytes: 1000}, &manualTimers{}))
	runToEnd(t, en, f)
	// The first request leaves while b starts: it may carry b's START.
	if got := requests(f); !strings.HasPrefix(got, "1:START 1:SUCCEED") || f.callCount() != 2 {
		t.Fatalf("requests %s", got)
	}
}

// Rule age threshold, Batched: the oldest queued update waits MaxDelay at
// most.
func TestRuleBatchedSendsByAge(t *testing.T) {
	f := newFake(t, "")
	ts := &manualTimers{}
	en := newEngine(t, func(c *Context) (any, error) {
		if _, err := Step(c, "a", func(*StepContext) (int, error) { return 1, nil }, StepOptions{}); err != nil {
			return nil, err
		}
		if f.callCount() != 0 {
			t.Error("sent before MaxDelay")
		}
		ts.fire(time.Hour)
		waitFor(t, "sent after MaxDelay", func() bool { return f.callCount() == 1 })
		return 1, nil
	}, withMode(checkpoint.Batched{MaxDelay: time.Hour}, ts))
	runToEnd(t, en, f)
}

// Rule RetryScheduled: a RETRY is durable at once in every mode (the
// service starts the retry's timer), while other branches still run.
func TestRuleRetryIsDurableAtOnce(t *testing.T) {
	for _, mode := range modes {
		t.Run(checkpoint.ModeName(mode), func(t *testing.T) {
			f := newFake(t, "")
			once := func(attempt int, err error) retry.Decision {
				return retry.Decision{Retry: attempt < 2, Delay: time.Second}
			}
			en := newEngine(t, func(c *Context) (any, error) {
				flaky := StepAsync(c, "flaky", func(sc *StepContext) (int, error) {
					if sc.Attempt() == 1 {
						return 0, errors.New("first attempt fails")
					}
					return 1, nil
				}, StepOptions{Retry: once})
				v, err := Step(c, "watch", func(*StepContext) (int, error) {
					waitFor(t, "RETRY durable while another branch runs", func() bool { return recorded(f, flaky.OperationID(), checkpoint.ActionRetry) })
					return 1, nil
				}, StepOptions{})
				if err != nil {
					return nil, err
				}
				w, err := flaky.Get()
				return v + w, err
			}, withMode(mode, &manualTimers{}))
			if resp, _ := runToEnd(t, en, f); resp.Result != "2" {
				t.Fatalf("%+v", resp)
			}
		})
	}
}

// Rules Suspension and InvocationEnd: everything queued is durable before
// the invocation returns PENDING, or SUCCEEDED.
func TestRuleSuspensionAndEnd(t *testing.T) {
	for _, mode := range modes {
		t.Run(checkpoint.ModeName(mode), func(t *testing.T) {
			f := newFake(t, "")
			en := newEngine(t, func(c *Context) (any, error) {
				if _, err := fiveSteps(c); err != nil {
					return nil, err
				}
				if err := Wait(c, "", time.Second); err != nil {
					return nil, err
				}
				return fiveSteps(c)
			}, withMode(mode, &manualTimers{}))
			resp, err := invoke(t, en, f)
			if err != nil || resp.Status != checkpoint.InvocationPending || len(f.updates()) != 11 {
				t.Fatalf("%+v %v: %d updates durable at suspension", resp, err, len(f.updates()))
			}
			f.advance()
			resp, err = invoke(t, en, f)
			if err != nil || resp.Result != "5" || len(f.updates()) != 21 {
				t.Fatalf("%+v %v: %d updates durable at the end", resp, err, len(f.updates()))
			}
		})
	}
}

func TestMetricsThroughEngine(t *testing.T) {
	var m middleware.Metrics
	f := newFake(t, "")
	// Manual timers: a START held longer than StartDelay (a slow -race run)
	// must not become a call of its own here.
	timers := withMode(checkpoint.Eager{}, &manualTimers{})
	en := newEngine(t, fiveSteps, func(cfg *Config) {
		timers(cfg)
		cfg.Middleware = []middleware.Middleware{m.Operation()}
		cfg.AttemptMiddleware = []middleware.Middleware{m.Attempt()}
		cfg.CheckpointMiddleware = []middleware.CheckpointMiddleware{m.Checkpoint()}
	})
	runToEnd(t, en, f)
	s := m.Snapshot()
	if s.Operations != 5 || s.Attempts != 5 || s.CheckpointCalls != 5 || s.Updates != 10 || s.Bytes != 5 || s.Replays != 0 {
		t.Fatalf("%+v", s)
	}
}
