package plugin_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/plugin"
)

// recorder is a plugin that notes every hook as a line of text; note adds
// lines from workflow code so that their order can be checked too.
type recorder struct {
	mu    sync.Mutex
	lines []string
	infos []any // the info of each hook line, in order
}

func (r *recorder) add(line string, info any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines = append(r.lines, line)
	r.infos = append(r.infos, info)
}

func (r *recorder) note(line string) { r.add(line, nil) }

// Lines returns the lines noted so far.
func (r *recorder) Lines() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.lines)
}

// matching returns the lines that start with prefix.
func (r *recorder) matching(prefix string) []string {
	var out []string
	for _, l := range r.Lines() {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return out
}

// infosOf returns the infos of the hooks named hook ("operation-end", ...).
func infosOf[I any](r *recorder, hook string) []I {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []I
	for i, l := range r.lines {
		if strings.HasPrefix(l, hook+" ") || l == hook {
			if v, ok := r.infos[i].(I); ok {
				out = append(out, v)
			}
		}
	}
	return out
}

func none(s string) string {
	if s == "" {
		return "NONE"
	}
	return s
}

func errMessage(o *checkpoint.ErrorObject) string {
	if o == nil {
		return "NONE"
	}
	return o.ErrorMessage
}

// plugin returns the recording plugin; types filters the operation and
// attempt hooks (nil: every type).
func (r *recorder) plugin(types ...checkpoint.OperationType) plugin.Plugin {
	keep := func(t checkpoint.OperationType) bool { return len(types) == 0 || slices.Contains(types, t) }
	return plugin.Plugin{
		Name: "recorder",
		InvocationStart: func(_ context.Context, i plugin.InvocationInfo) error {
			r.add(fmt.Sprintf("invocation-start first=%t", i.IsFirstInvocation), i)
			return nil
		},
		InvocationEnd: func(_ context.Context, i plugin.InvocationInfo) error {
			r.add(fmt.Sprintf("invocation-end first=%t status=%s terminal=%t", i.IsFirstInvocation, i.Status, i.Terminal()), i)
			return nil
		},
		OperationStart: func(_ context.Context, o plugin.OperationInfo) error {
			if keep(o.Type) {
				r.add(fmt.Sprintf("operation-start %s %s name=%s replay=%t", o.Type, o.ID, none(o.Name), o.IsReplay), o)
			}
			return nil
		},
		OperationEnd: func(_ context.Context, o plugin.OperationInfo) error {
			if keep(o.Type) {
				r.add(fmt.Sprintf("operation-end %s %s %s parent=%s result=%s error=%s", o.Type, o.ID, o.Status,
					none(o.ParentID), none(o.Result), errMessage(o.Error)), o)
			}
			return nil
		},
		AttemptStart: func(_ context.Context, a plugin.AttemptInfo) error {
			if keep(a.Type) {
				r.add(fmt.Sprintf("attempt-start %s %s name=%s attempt=%d children=%t", a.Type, a.ID, none(a.Name), a.Attempt, a.IsReplayingChildren), a)
			}
			return nil
		},
		AttemptEnd: func(_ context.Context, a plugin.AttemptInfo) error {
			if keep(a.Type) {
				r.add(fmt.Sprintf("attempt-end %s %s %s", a.Type, a.ID, a.Status), a)
			}
			return nil
		},
		OperationChange: func(_ context.Context, c plugin.ChangeInfo) error {
			for _, o := range c.Updated {
				if keep(o.Type) {
					_, in := c.Operations[o.ID]
					r.add(fmt.Sprintf("operation-change %s %s %s in_full_map=%t", o.Type, o.ID, o.Status, in), c)
				}
			}
			return nil
		},
	}
}

// withEvents returns h: the engine hands each invocation's event to the
// plugin adapter (kept so that tests can run with and without it).
func withEvents(h local.Function) local.Function { return h }

// logs collects the SDK's records as JSON lines.
type logs struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// run runs wf to its end with plugins installed (and, if events, the
// invocation events visible to them) and returns the runner and result.
func run[I, O any](t *testing.T, wf func(durable.Context, I) (O, error), input any, events bool, plugins ...plugin.Plugin) (*durabletest.Runner, *durabletest.Result, *logs) {
	t.Helper()
	var l logs
	h := durable.NewHandler(wf, durable.WithPlugins(plugins...),
		durable.WithLogHandler(slog.NewJSONHandler(&l, &slog.HandlerOptions{Level: slog.LevelWarn})))
	var fn local.Function = h
	if events {
		fn = withEvents(h)
	}
	r := durabletest.New(fn)
	t.Cleanup(func() { _ = r.Close() })
	res, err := r.Run(context.Background(), input)
	if err != nil {
		t.Fatal(err)
	}
	return r, res, &l
}

// opID returns the id of the operation named name in the history.
func opID(t *testing.T, r *durabletest.Runner, name string) string {
	t.Helper()
	op, ok := r.Operation(name)
	if !ok {
		t.Fatalf("no operation named %q", name)
	}
	return op.Id
}

// wantLines checks that got equals want.
func wantLines(t *testing.T, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("hooks:\n  got  %q\n  want %q", got, want)
	}
}

type (
	pluginInvocationInfo = plugin.InvocationInfo
	pluginOperationInfo  = plugin.OperationInfo
)
