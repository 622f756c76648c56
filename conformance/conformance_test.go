package conformance

import (
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/lambda-durable/durable/conformance/handlers"
	"github.com/lambda-durable/durable/conformance/harness"
	"github.com/lambda-durable/durable/conformance/match"
	"github.com/lambda-durable/durable/conformance/spec"
)

var (
	reportPath = flag.String("conformance.report", "", "write a table of results per suite to this file after TestConformance (- for stdout)")
	seedFlag   = flag.Uint64("conformance.seed", 0, "seed of the ${GEN_STR:n} variables (0: a fresh seed, which the test logs)")
	runTimeout = flag.Duration("conformance.timeout", 2*time.Minute, "bound on one requirement's run")
)

const (
	testdata      = "testdata"
	knownFailures = "known_failures.txt"
)

// TestConformance runs every requirement file as TestConformance/<suite>/<id>.
func TestConformance(t *testing.T) {
	files, err := spec.Discover(testdata)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no requirement files under %s", testdata)
	}
	seed := *seedFlag
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("variables seed %d (repeat with -args -conformance.seed=%d)", seed, seed)

	known, err := readKnownFailures(knownFailures, files)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness.Harness{
		Registry: handlers.Registry(),
		Runner:   newRunner(t),
		Seed:     seed,
		Timeout:  *runTimeout,
	}
	report := &harness.Report{}
	t.Cleanup(func() {
		if err := writeReport(*reportPath, report); err != nil {
			t.Errorf("writing the report: %v", err)
		}
	})
	for _, suite := range suites(files) {
		t.Run(suite[0].Suite, func(t *testing.T) {
			t.Parallel()
			for _, f := range suite {
				t.Run(f.ID, func(t *testing.T) {
					t.Parallel()
					out := h.Check(t.Context(), f)
					reason, listed := known[f.ID]
					out.KnownFailure = reason
					report.Add(out)
					switch {
					case listed && out.Passed():
						t.Errorf("%s/%s is listed in %s (%s) but passes: remove it from %s", f.Suite, f.ID, knownFailures, reason, knownFailures)
					case listed:
						t.Skipf("known failure (%s): %v", reason, out.Errs[0])
					default:
						for _, err := range out.Errs {
							t.Error(err)
						}
						if !out.Passed() && testing.Verbose() {
							logOutcome(t, out)
						}
					}
				})
			}
		})
	}
}

// logOutcome logs what a failed run produced: its status, history and logs.
func logOutcome(t *testing.T, out harness.Outcome) {
	t.Helper()
	if obs := out.Observation; obs != nil {
		t.Logf("execution %s ended %s", obs.ExecutionARN, obs.Status)
		for _, ev := range obs.History {
			t.Logf("  event %s", match.Show(ev))
		}
	}
	for _, rec := range out.Logs {
		t.Logf("  log %s", match.Show(rec))
	}
}

// readKnownFailures reads the known-failures list at path and checks that
// every id it lists has a requirement file.
func readKnownFailures(path string, files []spec.File) (harness.KnownFailures, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	known, err := harness.ReadKnownFailures(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	ids := map[string]bool{}
	for _, f := range files {
		ids[f.ID] = true
	}
	for id := range known {
		if !ids[id] {
			return nil, fmt.Errorf("%s lists %q, but there is no testdata/<suite>/%s.yaml", path, id, id)
		}
	}
	return known, nil
}

// TestRegistryHasNoStrays fails for a handler registered under an id that has
// no requirement file (a typo would otherwise go unnoticed).
func TestRegistryHasNoStrays(t *testing.T) {
	files, err := spec.Discover(testdata)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, f := range files {
		ids[f.ID] = true
	}
	for id := range handlers.Registry() {
		if !ids[id] {
			t.Errorf("handler registered for %q, but there is no testdata/<suite>/%s.yaml", id, id)
		}
	}
}

// suites groups files (ordered by suite) per suite.
func suites(files []spec.File) [][]spec.File {
	var out [][]spec.File
	for _, f := range files {
		if len(out) == 0 || out[len(out)-1][0].Suite != f.Suite {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], f)
	}
	return slices.Clip(out)
}

func writeReport(path string, r *harness.Report) (err error) {
	if path == "" || len(r.Outcomes()) == 0 {
		return nil
	}
	var w io.Writer = os.Stdout
	if path != "-" {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		defer func() {
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}()
		w = f
	}
	if err := r.WriteTable(w); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
