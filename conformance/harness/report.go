package harness

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/lambda-durable/durable/conformance/spec"
)

// Report collects outcomes (safely from parallel tests) and prints them.
type Report struct {
	mu       sync.Mutex
	outcomes []Outcome
}

// Add records one outcome.
func (r *Report) Add(o Outcome) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.outcomes = append(r.outcomes, o)
}

// Outcomes returns the recorded outcomes ordered by suite and id.
func (r *Report) Outcomes() []Outcome {
	r.mu.Lock()
	out := slices.Clone(r.outcomes)
	r.mu.Unlock()
	slices.SortFunc(out, func(a, b Outcome) int {
		if c := strings.Compare(a.File.Suite, b.File.Suite); c != 0 {
			return c
		}
		return spec.CompareIDs(a.File.ID, b.File.ID)
	})
	return out
}

// WriteTable prints one row per suite (passed, failed, known: failed but
// listed as known failures), a total, and then the first failure of each
// failed requirement.
func (r *Report) WriteTable(w io.Writer) error {
	outcomes := r.Outcomes()
	type row struct {
		suite                 string
		passed, failed, known int
	}
	var rows []row
	var total row
	total.suite = "total"
	for _, o := range outcomes {
		if len(rows) == 0 || rows[len(rows)-1].suite != o.File.Suite {
			rows = append(rows, row{suite: o.File.Suite})
		}
		cur := &rows[len(rows)-1]
		switch {
		case o.Passed():
			cur.passed++
			total.passed++
		case o.KnownFailure != "":
			cur.known++
			total.known++
		default:
			cur.failed++
			total.failed++
		}
	}
	width := len("suite")
	for _, r := range rows {
		width = max(width, len(r.suite))
	}
	if _, err := fmt.Fprintf(w, "%-*s  %6s  %6s  %5s\n", width, "suite", "passed", "failed", "known"); err != nil {
		return err
	}
	for _, r := range append(rows, total) {
		if _, err := fmt.Fprintf(w, "%-*s  %6d  %6d  %5d\n", width, r.suite, r.passed, r.failed, r.known); err != nil {
			return err
		}
	}
	if total.failed+total.known == 0 {
		return nil
	}
	if _, err := fmt.Fprintln(w, "\nfirst mismatch of each failure:"); err != nil {
		return err
	}
	for _, o := range outcomes {
		if o.Passed() {
			continue
		}
		first := strings.SplitN(o.Errs[0].Error(), "\n", 2)[0]
		if o.KnownFailure != "" {
			first = "(known: " + o.KnownFailure + ") " + first
		}
		if _, err := fmt.Fprintf(w, "  %s/%s: %s\n", o.File.Suite, o.File.ID, first); err != nil {
			return err
		}
	}
	return nil
}
