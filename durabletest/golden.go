package durabletest

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/lambda-durable/durable/local"
)

// TB is the part of testing.TB the assertions use, so that they also work
// from plain main with any implementation.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
}

// UpdateEnv is the environment variable that, set to 1, makes golden
// comparisons rewrite the golden files instead.
const UpdateEnv = "DURABLETEST_UPDATE"

// RegisterUpdateFlag defines the boolean -update flag on flag.CommandLine,
// unless a flag of that name exists already. Call it from an init function
// of a test file, then run `go test -update` to rewrite golden files
// (setting DURABLETEST_UPDATE=1 works without it).
func RegisterUpdateFlag() {
	if flag.CommandLine.Lookup("update") == nil {
		flag.CommandLine.Bool("update", false, "rewrite durabletest golden files")
	}
}

// updating reports whether golden files are to be rewritten.
func updating() bool {
	if os.Getenv(UpdateEnv) == "1" {
		return true
	}
	if f := flag.CommandLine.Lookup("update"); f != nil {
		b, _ := strconv.ParseBool(f.Value.String())
		return b
	}
	return false
}

// ErrGoldenMismatch is wrapped by CheckHistory's error when the history
// differs from the golden file.
var ErrGoldenMismatch = errors.New("durabletest: history differs from the golden file")

// NormalizedHistory renders the history one JSON event per line, with the
// values that change from run to run (execution ids and ARNs, request ids,
// callback ids, stack traces) replaced by stable placeholders. Timestamps
// come from the virtual clock and are stable.
func (r *Runner) NormalizedHistory() []byte {
	return normalize(r.arn, r.History())
}

func normalize(arn string, events []local.Event) []byte {
	n := &normalizer{seen: map[string]string{}, counts: map[string]int{}}
	if arn != "" {
		n.add(arn, "<execution-arn>")
		parts := strings.Split(arn, "/")
		n.add(parts[len(parts)-1], "<execution-id>")
		if len(parts) >= 2 {
			// Quoted, so that a name that is also a common word is not
			// replaced inside other strings.
			n.add(`"`+parts[len(parts)-2]+`"`, `"<execution-name>"`)
		}
	}
	for i := range events {
		ev := &events[i]
		switch {
		case ev.InvocationCompletedDetails != nil:
			n.next(ev.InvocationCompletedDetails.RequestId, "request")
		case ev.CallbackStartedDetails != nil:
			n.next(ev.CallbackStartedDetails.CallbackId, "callback")
		case ev.ChainedInvokeStartedDetails != nil && ev.ChainedInvokeStartedDetails.DurableExecutionArn != "":
			n.next(ev.ChainedInvokeStartedDetails.DurableExecutionArn, "child-arn")
		}
		for _, e := range eventErrors(ev) {
			if e != nil && e.Payload != nil && len(e.Payload.StackTrace) > 0 {
				e.Payload.StackTrace = []string{"<stack>"}
			}
		}
	}
	r := strings.NewReplacer(n.pairs...)
	var buf bytes.Buffer
	for _, ev := range events {
		line, _ := json.Marshal(ev) // plain data: cannot fail
		buf.WriteString(r.Replace(string(line)))
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}

// normalizer maps volatile strings to placeholders.
type normalizer struct {
	pairs  []string
	seen   map[string]string
	counts map[string]int
}

func (n *normalizer) add(value, placeholder string) {
	if value == "" || n.seen[value] != "" {
		return
	}
	n.seen[value] = placeholder
	n.pairs = append(n.pairs, value, placeholder)
}

func (n *normalizer) next(value, kind string) {
	if value == "" || n.seen[value] != "" {
		return
	}
	n.counts[kind]++
	n.add(value, fmt.Sprintf("<%s-%d>", kind, n.counts[kind]))
}

// eventErrors returns the error fields of an event.
func eventErrors(ev *local.Event) []*local.EventError {
	var out []*local.EventError
	add := func(e *local.EventError) { out = append(out, e) }
	if d := ev.ExecutionFailedDetails; d != nil {
		add(d.Error)
	}
	if d := ev.ExecutionTimedOutDetails; d != nil {
		add(d.Error)
	}
	if d := ev.ExecutionStoppedDetails; d != nil {
		add(d.Error)
	}
	if d := ev.ContextFailedDetails; d != nil {
		add(d.Error)
	}
	if d := ev.StepFailedDetails; d != nil {
		add(d.Error)
	}
	if d := ev.WaitCancelledDetails; d != nil {
		add(d.Error)
	}
	if d := ev.CallbackFailedDetails; d != nil {
		add(d.Error)
	}
	if d := ev.CallbackTimedOutDetails; d != nil {
		add(d.Error)
	}
	if d := ev.ChainedInvokeFailedDetails; d != nil {
		add(d.Error)
	}
	if d := ev.ChainedInvokeTimedOutDetails; d != nil {
		add(d.Error)
	}
	if d := ev.ChainedInvokeStoppedDetails; d != nil {
		add(d.Error)
	}
	if d := ev.InvocationCompletedDetails; d != nil {
		add(d.Error)
	}
	return out
}

// CheckHistory compares the normalized history with the golden file at
// path. In update mode (the -update flag of UpdateFlag, or
// DURABLETEST_UPDATE=1) it writes the file instead. A difference is an error
// wrapping ErrGoldenMismatch that shows the first differing line.
func (r *Runner) CheckHistory(path string) error {
	got := r.NormalizedHistory()
	if updating() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("durabletest: %w", err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			return fmt.Errorf("durabletest: %w", err)
		}
		return nil
	}
	want, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("durabletest: reading the golden file (rerun with -update or %s=1 to create it): %w", UpdateEnv, err)
	}
	if bytes.Equal(got, want) {
		return nil
	}
	return fmt.Errorf("%w %s:\n%s", ErrGoldenMismatch, path, firstDiff(string(want), string(got)))
}

// firstDiff describes the first line where want and got differ.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\n  want: %s\n  got:  %s", i+1, w, g)
		}
	}
	return "(no line differs)"
}

// AssertHistory reports through t when the history differs from the golden
// file at path (see CheckHistory).
func (r *Runner) AssertHistory(t TB, path string) {
	t.Helper()
	if err := r.CheckHistory(path); err != nil {
		t.Errorf("%v", err)
	}
}
