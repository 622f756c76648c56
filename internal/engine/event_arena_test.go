package engine

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// longEvent is an event of n succeeded steps with distinct ids, names and
// results (escaped in the JSON, as the service writes them).
func longEvent(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"DurableExecutionArn":"a","CheckpointToken":"t","InitialExecutionState":{"Operations":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"Id":"%d","Name":"step-%d","Type":"STEP","SubType":"Step","Status":"SUCCEEDED",`+
			`"StartTimestamp":1700000000000,"EndTimestamp":1700000000001,"StepDetails":{"Attempt":1,"Result":"{\"i\":%d,\"ok\":true}"}}`, i, i, i)
	}
	b.WriteString(`]}}`)
	return []byte(b.String())
}

// The decoded strings of a long event span many chunks of text and many
// slab chunks; every one of them must still read as encoding/json decodes
// it once the whole event is decoded.
func TestEventScannerLongEventMatchesEncodingJSON(t *testing.T) {
	data := longEvent(5000)
	got, ok := scanned(data)
	if !ok {
		t.Fatal("the scanner refused the event")
	}
	want, err := unmarshaled(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatal("the scanner's event differs from encoding/json's")
	}
}

// Decoding allocates per event, not per operation: strings share chunks
// of text, details come from slabs.
func TestEventScannerAllocatesPerEvent(t *testing.T) {
	data := longEvent(1000)
	allocs := testing.AllocsPerRun(10, func() {
		if _, err := ParseEvent(data); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 40 {
		t.Fatalf("%.0f allocations for 1,000 operations, want at most 40", allocs)
	}
}

func TestCountOperationsCountsIdKeys(t *testing.T) {
	for _, in := range []string{``, `"Id":`, `{"Id":"1"}`, `"Id":"Id":`, `I"Id":I`, `"Id"`, `Id":`, `"ID":`, `"Ids":`, `x"Id":"I","Name":"Id\"Id":"}`} {
		want := min(bytes.Count([]byte(in), []byte(`"Id":`)), maxOperationsHint)
		if got := countOperations([]byte(in)); got != want {
			t.Errorf("countOperations(%q) = %d, want %d", in, got, want)
		}
	}
	if got := countOperations(longEvent(5000)); got != maxOperationsHint {
		t.Errorf("5,000 operations: %d, want the cap %d", got, maxOperationsHint)
	}
}
