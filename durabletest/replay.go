package durabletest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/internal/engine"
	"github.com/lambda-durable/durable/local"
)

// ReplayOutcomeError reports that a replay answered every operation from
// history but ended differently from the recorded execution (for example a
// recorded payload no longer decodes into the type the code expects, or the
// code now suspends where the execution had ended).
type ReplayOutcomeError struct {
	// Recorded is the recorded execution's status; Replayed the status of
	// the replay's invocation response (SUCCEEDED, FAILED or PENDING).
	Recorded local.ExecutionStatus
	Replayed checkpoint.InvocationStatus
	// Failure is the replay's error, if it failed.
	Failure *checkpoint.ErrorObject
}

// Error implements error.
func (e *ReplayOutcomeError) Error() string {
	msg := fmt.Sprintf("durabletest: replay ended %s, the recorded execution %s", e.Replayed, e.Recorded)
	if e.Failure != nil {
		msg += fmt.Sprintf(": %s: %s", e.Failure.ErrorType, e.Failure.ErrorMessage)
	}
	return msg
}

// replayARN stands for the execution's ARN when a recording has none.
const replayARN = "arn:aws:lambda:us-east-1:000000000000:function:replay:$LATEST/durable-execution/replay/replay"

// Replay runs fn (the current code) against a recorded execution without
// calling any service, and reports whether the code still asks for the
// operations the execution recorded.
//
// The recorded operations are the invocation's initial state, as in a real
// invocation, and fn checkpoints through a client that refuses every write.
// Operations answered by history replay as usual; the replay ends at the
// first operation history cannot answer (not recorded, or a step recorded
// without an outcome), which is where the live execution would go on:
//   - a recorded operation that differs from what the code asks for is a
//     *durable.NonDeterministicExecutionError naming the operation id, what
//     was recorded, what the code asked for and the workflow line that
//     asked for it (Source);
//   - reaching an operation history does not hold is fine if the execution
//     was still running (or timed out, or was stopped, wherever it was),
//     and a NonDeterministicExecutionError (with nothing recorded) if its
//     code had ended it (SUCCEEDED or FAILED);
//   - a replay that ends differently from a finished execution (for
//     example FAILED on a payload that no longer decodes) is a
//     *ReplayOutcomeError.
//
// Replay returns nil when the code is compatible with the recording.
func Replay(ctx context.Context, fn Function, rec *Recording) error {
	if rec == nil || len(rec.Operations) == 0 {
		return errors.New("durabletest: replay: the recording has no operations")
	}
	arn := rec.DurableExecutionArn
	if arn == "" {
		arn = replayARN
	}
	ev := checkpoint.InvocationEvent{
		DurableExecutionArn:   arn,
		CheckpointToken:       "replay",
		InitialExecutionState: &checkpoint.ExecutionState{Operations: rec.Operations},
	}
	payload, err := json.Marshal(&ev)
	if err != nil {
		return fmt.Errorf("durabletest: replay: %w", err)
	}
	client := &replayClient{}
	check := &engine.ReplayCheck{}
	ictx := engine.WithReplayCheck(checkpoint.ContextWithClient(ctx, client), check)
	out, ierr := fn.Invoke(ictx, payload)

	// Only an execution its code ended (SUCCEEDED or FAILED) says what
	// the code does next; one that timed out or was stopped may have been
	// anywhere, like a running one.
	ended := rec.Status == local.ExecutionSucceeded || rec.Status == local.ExecutionFailed
	if stop, frontier := check.Result(); stop != nil {
		if !frontier || ended {
			return stop
		}
		return nil // the live execution goes on from here
	}
	if w := client.firstRefused(); w != nil {
		if !ended {
			return nil
		}
		return &engine.NonDeterministicExecutionError{
			OperationID: w.Id,
			Recorded:    recordedSignature(rec, w.Id),
			Requested:   engine.OperationSignature{Type: w.Type, SubType: w.SubType, Name: w.Name},
		}
	}
	if ierr != nil {
		return fmt.Errorf("durabletest: replay: the invocation failed: %w", ierr)
	}
	var resp checkpoint.InvocationResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		return fmt.Errorf("durabletest: replay: reading the response: %w", err)
	}
	if !ended {
		if resp.Status == checkpoint.InvocationFailed {
			return &ReplayOutcomeError{Recorded: rec.Status, Replayed: resp.Status, Failure: resp.Error}
		}
		return nil
	}
	if want := invocationStatus(rec.Status); resp.Status != want {
		return &ReplayOutcomeError{Recorded: rec.Status, Replayed: resp.Status, Failure: resp.Error}
	}
	return nil
}

// invocationStatus is the response an invocation that ended an execution
// with status s returned.
func invocationStatus(s local.ExecutionStatus) checkpoint.InvocationStatus {
	if s == local.ExecutionSucceeded {
		return checkpoint.InvocationSucceeded
	}
	return checkpoint.InvocationFailed
}

func recordedSignature(rec *Recording, id string) engine.OperationSignature {
	for i := range rec.Operations {
		if op := &rec.Operations[i]; op.Id == id {
			return engine.OperationSignature{Type: op.Type, SubType: op.SubType, Name: op.Name}
		}
	}
	return engine.OperationSignature{}
}

// ReplayFile replays the recording at path (see ReadRecording) against fn.
func ReplayFile(ctx context.Context, fn Function, path string) error {
	rec, err := ReadRecording(path)
	if err != nil {
		return err
	}
	if err := Replay(ctx, fn, rec); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// ReplayExecution fetches an execution through an aws-sdk-go-v2 Lambda
// client (FetchRecording) and replays it against fn. Nothing is written to
// the service.
func ReplayExecution(ctx context.Context, fn Function, client *lambda.Client, arn string) error {
	rec, err := FetchRecording(ctx, client, arn)
	if err != nil {
		return err
	}
	return Replay(ctx, fn, rec)
}

// AssertReplays reports through t when the recording at path does not
// replay cleanly against fn.
func AssertReplays(t TB, fn Function, path string) {
	t.Helper()
	if err := ReplayFile(context.Background(), fn, path); err != nil {
		t.Errorf("%v", err)
	}
}

// errReplayWrite is what the replay client answers a write with.
var errReplayWrite = &checkpoint.Error{Operation: "CheckpointDurableExecution", Message: "durabletest: a replay records nothing"}

// replayClient is the checkpoint client of a replay: it answers polls with
// no change and refuses every write, remembering the first one.
type replayClient struct {
	mu      sync.Mutex
	refused *checkpoint.OperationUpdate
}

// Checkpoint implements checkpoint.Client.
func (c *replayClient) Checkpoint(_ context.Context, in *checkpoint.CheckpointInput) (*checkpoint.CheckpointOutput, error) {
	if len(in.Updates) == 0 {
		return &checkpoint.CheckpointOutput{CheckpointToken: in.CheckpointToken, NewExecutionState: &checkpoint.ExecutionState{}}, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.refused == nil {
		u := in.Updates[0]
		c.refused = &u
	}
	return nil, errReplayWrite
}

func (c *replayClient) firstRefused() *checkpoint.OperationUpdate {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.refused
}

// GetExecutionState implements checkpoint.Client; a replay hands every
// operation in the event, so it is never asked for more.
func (c *replayClient) GetExecutionState(context.Context, *checkpoint.StateInput) (*checkpoint.ExecutionState, error) {
	return nil, errReplayWrite
}
