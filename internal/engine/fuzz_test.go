package engine

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/serdes"
)

// FuzzDecodeEvent feeds arbitrary bytes to the invocation event decoder. It
// never panics; it either rejects the event with an error that wraps
// ErrNotDurable or ErrMalformedEvent, or returns an event with an ARN, a
// token and only known operation types and statuses, which survives being
// encoded and decoded again.
func FuzzDecodeEvent(f *testing.F) {
	fake := newFake(f, `{"n":1}`)
	fake.add(&checkpoint.Operation{Id: "1", Name: "a", Type: checkpoint.TypeStep, SubType: checkpoint.SubTypeStep,
		Status: checkpoint.StatusSucceeded, StepDetails: &checkpoint.StepDetails{Attempt: 1, Result: "1"}})
	f.Add(fake.event())
	seeds := []string{
		``, `{}`, `null`, `[]`, `"x"`, `{"DurableExecutionArn":"a"}`,
		`{"DurableExecutionArn":"a","CheckpointToken":"t"}`,
		`{"DurableExecutionArn":"a","CheckpointToken":"t","InitialExecutionState":null}`,
		`{"DurableExecutionArn":"a","CheckpointToken":"t","InitialExecutionState":{"Operations":[],"NextMarker":"m"}}`,
		`{"DurableExecutionArn":"a","CheckpointToken":"t","InitialExecutionState":{"Operations":[{"Id":"1","Type":"STEP","Status":"STARTED","StartTimestamp":1700000000000}]}}`,
		`{"DurableExecutionArn":"a","CheckpointToken":"t","InitialExecutionState":{"Operations":[{"Id":"1","Type":"WAIT","Status":"STARTED","WaitDetails":{"ScheduledEndTimestamp":1700000000.25}}]}}`,
		`{"DurableExecutionArn":"a","CheckpointToken":"t","InitialExecutionState":{"Operations":[{"Id":"1","Type":"STEP","Status":"SUCCEEDED","EndTimestamp":"2025-01-01T00:00:00Z"}]}}`,
		`{"DurableExecutionArn":"a","CheckpointToken":"t","InitialExecutionState":{"Operations":[{"Id":"1","Type":"TELEPORT","Status":"STARTED"}]}}`,
		`{"DurableExecutionArn":"a","CheckpointToken":"t","InitialExecutionState":{"Operations":[{"Id":"","Type":"STEP","Status":"STARTED"}]}}`,
		`{"DurableExecutionArn":"a","CheckpointToken":"t","UpdatedOperationIds":["1","2"]}`,
		`{"DurableExecutionArn":"a","CheckpointToken":"t","InitialExecutionState":{"Operations":[{"Id":"1","Type":"STEP","Status":"STARTED","StepDetails":{"Attempt":"x"}}]}}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ev, err := ParseEvent(data)
		if err != nil {
			if !errors.Is(err, ErrMalformedEvent) && !errors.Is(err, ErrNotDurable) {
				t.Fatalf("error %v wraps neither ErrMalformedEvent nor ErrNotDurable", err)
			}
			return
		}
		if ev.DurableExecutionArn == "" || ev.CheckpointToken == "" {
			t.Fatalf("accepted an event without ARN or token: %+v", ev)
		}
		if st := ev.InitialExecutionState; st != nil {
			for _, op := range st.Operations {
				if op.Id == "" || !op.Type.Valid() || !op.Status.Valid() {
					t.Fatalf("accepted operation %+v", op)
				}
			}
		}
		// Encoding and decoding again is stable (timestamps aside: the
		// decoder tells seconds from milliseconds by magnitude, so only
		// those after 1973 round-trip, and they are checked apart).
		again := fuzzRoundTrip(t, ev)
		if third := fuzzRoundTrip(t, again); !reflect.DeepEqual(fuzzWithoutTimes(again), fuzzWithoutTimes(third)) {
			t.Fatalf("not stable:\n%+v\n%+v", again, third)
		}
	})
}

func fuzzRoundTrip(t *testing.T, ev *checkpoint.InvocationEvent) *checkpoint.InvocationEvent {
	t.Helper()
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatalf("encoding %+v: %v", ev, err)
	}
	out, err := ParseEvent(b)
	if err != nil {
		t.Fatalf("an accepted event encodes to one that is refused: %s: %v", b, err)
	}
	if (out.InitialExecutionState == nil) != (ev.InitialExecutionState == nil) {
		t.Fatalf("the state was lost or made up: %s", b)
	}
	if out.InitialExecutionState == nil {
		return out
	}
	for i, op := range out.InitialExecutionState.Operations {
		orig := ev.InitialExecutionState.Operations[i]
		for _, pair := range [][2]checkpoint.Timestamp{{orig.StartTimestamp, op.StartTimestamp}, {orig.EndTimestamp, op.EndTimestamp}} {
			if ms := pair[0].UnixMilli(); ms >= 1e11 && ms < 1e15 && pair[1].UnixMilli() != ms {
				t.Fatalf("timestamp %v came back as %v", pair[0], pair[1])
			}
		}
	}
	return out
}

// fuzzWithoutTimes returns a copy of ev with every operation timestamp cleared.
func fuzzWithoutTimes(ev *checkpoint.InvocationEvent) checkpoint.InvocationEvent {
	c := *ev
	if st := ev.InitialExecutionState; st != nil {
		cs := *st
		cs.Operations = nil
		for _, op := range st.Operations {
			op.StartTimestamp, op.EndTimestamp = checkpoint.Timestamp{}, checkpoint.Timestamp{}
			if op.StepDetails != nil {
				sd := *op.StepDetails
				sd.NextAttemptTimestamp = checkpoint.Timestamp{}
				op.StepDetails = &sd
			}
			if op.WaitDetails != nil {
				op.WaitDetails = &checkpoint.WaitDetails{}
			}
			cs.Operations = append(cs.Operations, op)
		}
		c.InitialExecutionState = &cs
	}
	return c
}

// The recorded operations FuzzReplay draws from.
var (
	fuzzTypes = []checkpoint.OperationType{checkpoint.TypeStep, checkpoint.TypeStep, checkpoint.TypeStep, checkpoint.TypeWait,
		checkpoint.TypeContext, checkpoint.TypeCallback, checkpoint.TypeExecution, "BOGUS"}
	fuzzStatuses = []checkpoint.Status{checkpoint.StatusStarted, checkpoint.StatusPending, checkpoint.StatusReady,
		checkpoint.StatusSucceeded, checkpoint.StatusSucceeded, checkpoint.StatusFailed, checkpoint.StatusCancelled,
		checkpoint.StatusTimedOut, checkpoint.StatusStopped, "SLEEPING"}
	fuzzNames = []string{"a", "b", "", "A"}
)

// fuzzOp builds the recorded operation id from spec's bits, or nil.
func fuzzOp(id string, spec uint16, payload string) *checkpoint.Operation {
	if spec&1 == 0 {
		return nil
	}
	op := &checkpoint.Operation{
		Id:      id,
		Type:    fuzzTypes[int(spec>>1)%len(fuzzTypes)],
		Status:  fuzzStatuses[int(spec>>4)%len(fuzzStatuses)],
		Name:    fuzzNames[int(spec>>8)%len(fuzzNames)],
		SubType: checkpoint.SubTypeStep,
	}
	if spec&(1<<10) != 0 {
		op.SubType = checkpoint.SubTypeWait
	}
	if op.Type == checkpoint.TypeStep {
		op.StepDetails = &checkpoint.StepDetails{Attempt: int(spec>>11) % 3, Result: payload}
		if spec&(1<<13) != 0 {
			op.StepDetails.Error = &checkpoint.ErrorObject{ErrorType: "Boom", ErrorMessage: payload}
		}
	}
	return op
}

// fuzzExpect is what replaying a recorded state must give: a malformed
// event error, a FAILED execution, or SUCCEEDED with value.
type fuzzExpect struct {
	malformed, failed bool
	value             int
}

// fuzzOracle predicts the outcome of the FuzzReplay workflow (steps "a" = 1
// and "b" = 2, result a*10+b) over recorded operations "1" and "2" (and an
// extra one, never visited): a recorded step with another signature is
// non-determinism, a succeeded one gives its recorded value (if it
// decodes), a failed or otherwise closed one fails the workflow, a started,
// ready or pending one runs again.
func fuzzOracle(recs []*checkpoint.Operation) fuzzExpect {
	for _, op := range recs {
		if op != nil && (!op.Type.Valid() || !op.Status.Valid()) {
			return fuzzExpect{malformed: true}
		}
	}
	vals := [2]int{1, 2}
	for i, name := range []string{"a", "b"} {
		op := recs[i]
		if op == nil {
			continue
		}
		if op.Type != checkpoint.TypeStep || op.SubType != checkpoint.SubTypeStep || op.Name != name {
			return fuzzExpect{failed: true}
		}
		switch op.Status {
		case checkpoint.StatusSucceeded:
			if err := (serdes.JSON{}).Deserialize(serdes.Context{}, op.StepDetails.Result, &vals[i]); err != nil {
				return fuzzExpect{failed: true}
			}
		case checkpoint.StatusFailed, checkpoint.StatusCancelled, checkpoint.StatusTimedOut, checkpoint.StatusStopped:
			return fuzzExpect{failed: true}
		}
	}
	return fuzzExpect{value: vals[0]*10 + vals[1]}
}

// FuzzReplay replays arbitrary recorded states (operations of any type,
// status, name, subtype and payload at the ids the workflow uses, plus one
// it never visits) against a fixed two-step workflow, through as many
// invocations as it takes. It never panics or hangs, never returns PENDING
// with nothing pending, and ends exactly as fuzzOracle predicts: no wrong
// answer.
func FuzzReplay(f *testing.F) {
	const (
		present   = 1
		step      = 0 << 1
		wait      = 3 << 1
		succeeded = 3 << 4
		failed    = 5 << 4
		started   = 0 << 4
		pending   = 1 << 4
		ready     = 2 << 4
		nameB     = 1 << 8
		nameNone  = 2 << 8
	)
	f.Add(uint16(0), uint16(0), uint16(0), "", "")
	f.Add(uint16(present|step|succeeded), uint16(present|step|succeeded|nameB), uint16(0), "7", "8")
	f.Add(uint16(present|step|succeeded), uint16(0), uint16(0), `"seven"`, "")
	f.Add(uint16(present|step|started), uint16(present|step|pending|nameB), uint16(present|wait|started), "", "")
	f.Add(uint16(present|step|ready), uint16(present|step|failed|nameB|1<<13), uint16(0), "", "boom")
	f.Add(uint16(present|wait|succeeded), uint16(0), uint16(0), "", "")
	f.Add(uint16(present|step|succeeded|nameNone), uint16(0), uint16(0), "1", "")
	f.Add(uint16(present|step|succeeded|1<<10), uint16(0), uint16(0), "1", "")
	f.Add(uint16(present|7<<1|succeeded), uint16(0), uint16(0), "1", "")
	f.Add(uint16(present|step|9<<4), uint16(0), uint16(0), "1", "")
	f.Fuzz(func(t *testing.T, specA, specB, specX uint16, payloadA, payloadB string) {
		recs := []*checkpoint.Operation{fuzzOp("1", specA, payloadA), fuzzOp("2", specB, payloadB), fuzzOp("3", specX, payloadA)}
		want := fuzzOracle(recs)
		fake := newFake(t, "")
		for _, op := range recs {
			if op != nil {
				fake.add(op)
			}
		}
		en := newEngine(t, func(c *Context) (any, error) {
			a, err := Step(c, "a", func(*StepContext) (int, error) { return 1, nil }, StepOptions{})
			if err != nil {
				return nil, err
			}
			b, err := Step(c, "b", func(*StepContext) (int, error) { return 2, nil }, StepOptions{})
			if err != nil {
				return nil, err
			}
			return a*10 + b, nil
		})
		for n := 1; n <= 6; n++ {
			ctx, cancel := context.WithTimeout(checkpoint.ContextWithClient(context.Background(), fake), 10*time.Second)
			out, err := en.Invoke(ctx, fake.event())
			cancel()
			if want.malformed {
				if !errors.Is(err, ErrMalformedEvent) {
					t.Fatalf("got %s %v, want a malformed event error", out, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("invocation %d: %v (want %+v)", n, err, want)
			}
			var resp checkpoint.InvocationResponse
			if err := json.Unmarshal(out, &resp); err != nil {
				t.Fatalf("response %s: %v", out, err)
			}
			switch resp.Status {
			case checkpoint.InvocationPending:
				if !fuzzHasPending(fake) {
					t.Fatalf("PENDING with nothing pending: %+v", fake.state())
				}
				fake.advance()
				continue
			case checkpoint.InvocationFailed:
				if !want.failed || resp.Error == nil {
					t.Fatalf("FAILED %+v, want %+v", resp.Error, want)
				}
			case checkpoint.InvocationSucceeded:
				if want.failed || resp.Result != strconv.Itoa(want.value) {
					t.Fatalf("SUCCEEDED %s, want %+v", resp.Result, want)
				}
			default:
				t.Fatalf("response %s", out)
			}
			return
		}
		t.Fatalf("no outcome after 6 invocations (want %+v)", want)
	})
}

// fuzzHasPending reports whether the fake holds an operation the service
// would change by itself.
func fuzzHasPending(f *fakeService) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, op := range f.ops {
		if isPending(op) {
			return true
		}
	}
	return false
}
