package engine

import "testing"

// The capacity hint of ParseEvent (the "Id" keys it counts) must not change
// what the event decodes to.
func TestParseEventPresized(t *testing.T) {
	const head = `{"DurableExecutionArn":"arn","CheckpointToken":"t"`
	cases := []struct {
		name    string
		payload string
		wantNil bool
		wantOps int
	}{
		{"no state", head + `}`, true, 0},
		{"stray Id key, no state", head + `,"Other":{"Id":"x"}}`, true, 0},
		{"empty state kept", head + `,"InitialExecutionState":{"Operations":[]}}`, false, 0},
		{"null state", head + `,"InitialExecutionState":null,"X":{"Id":"x"}}`, true, 0},
		{"two operations", head + `,"InitialExecutionState":{"Operations":[` +
			`{"Id":"a","Type":"EXECUTION","Status":"STARTED"},{"Id":"b","Type":"STEP","Status":"SUCCEEDED"}]}}`, false, 2},
		{"fewer Id keys than operations", head + `,"InitialExecutionState":{"Operations":[` +
			`{"Id" :"a","Type":"EXECUTION","Status":"STARTED"},{"Id":"b","Type":"STEP","Status":"SUCCEEDED"}]}}`, false, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ev, err := ParseEvent([]byte(c.payload))
			if err != nil {
				t.Fatal(err)
			}
			st := ev.InitialExecutionState
			if (st == nil) != c.wantNil {
				t.Fatalf("InitialExecutionState = %+v, want nil: %v", st, c.wantNil)
			}
			if st != nil && len(st.Operations) != c.wantOps {
				t.Fatalf("got %d operations, want %d", len(st.Operations), c.wantOps)
			}
			if st != nil && c.wantOps == 2 && (st.Operations[0].Id != "a" || st.Operations[1].Id != "b") {
				t.Fatalf("operations = %+v", st.Operations)
			}
		})
	}
}
