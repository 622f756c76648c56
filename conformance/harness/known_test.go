package harness

import (
	"errors"
	"strings"
	"testing"
)

func TestReadKnownFailures(t *testing.T) {
	known, err := ReadKnownFailures(strings.NewReader(`
# map and parallel are not in the SDK yet
9-1 no Map in the SDK yet
9-2	tab separated  reason
`))
	if err != nil {
		t.Fatal(err)
	}
	want := KnownFailures{"9-1": "no Map in the SDK yet", "9-2": "tab separated  reason"}
	if len(known) != len(want) {
		t.Fatalf("got %v, want %v", known, want)
	}
	for id, reason := range want {
		if known[id] != reason {
			t.Errorf("%s: reason %q, want %q", id, known[id], reason)
		}
	}
}

func TestReadKnownFailuresRejects(t *testing.T) {
	for _, text := range []string{"9-1\n", "9-1 a\n9-1 b\n", "  9-1   \n"} {
		if _, err := ReadKnownFailures(strings.NewReader(text)); !errors.Is(err, ErrKnownFailures) {
			t.Errorf("%q: error %v, want ErrKnownFailures", text, err)
		}
	}
}
