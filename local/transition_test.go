package local

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/lambda-durable/durable/checkpoint"
)

// setup brings operation "x" into a status before the update under test.
type setup []checkpoint.OperationUpdate

func upd(id string, typ checkpoint.OperationType, a checkpoint.Action) checkpoint.OperationUpdate {
	u := checkpoint.OperationUpdate{Id: id, Type: typ, Action: a}
	switch {
	case typ == checkpoint.TypeWait && a == checkpoint.ActionStart:
		u.WaitOptions = &checkpoint.WaitOptions{WaitSeconds: 100}
	case typ == checkpoint.TypeChainedInvoke && a == checkpoint.ActionStart:
		u.ChainedInvokeOptions = &checkpoint.ChainedInvokeOptions{FunctionName: "idle"}
	case a == checkpoint.ActionRetry:
		u.StepOptions = &checkpoint.StepOptions{NextAttemptDelaySeconds: 100}
	case a == checkpoint.ActionFail:
		u.Error = &checkpoint.ErrorObject{ErrorType: "E"}
	}
	return u
}

func TestTransitionTable(t *testing.T) {
	const (
		E = checkpoint.TypeExecution
		S = checkpoint.TypeStep
		C = checkpoint.TypeContext
		W = checkpoint.TypeWait
		B = checkpoint.TypeCallback
		I = checkpoint.TypeChainedInvoke

		start   = checkpoint.ActionStart
		succeed = checkpoint.ActionSucceed
		fail    = checkpoint.ActionFail
		retry   = checkpoint.ActionRetry
		cancel  = checkpoint.ActionCancel
	)
	startedStep := setup{upd("x", S, start)}
	pendingStep := setup{upd("x", S, start), upd("x", S, retry)}
	doneStep := setup{upd("x", S, start), upd("x", S, succeed)}
	failedStep := setup{upd("x", S, start), upd("x", S, fail)}
	startedCtx := setup{upd("x", C, start)}
	doneCtx := setup{upd("x", C, start), upd("x", C, succeed)}
	startedWait := setup{upd("x", W, start)}
	startedCb := setup{upd("x", B, start)}
	startedInv := setup{upd("x", I, start)}
	for _, tc := range []struct {
		name  string
		setup setup
		u     checkpoint.OperationUpdate
		want  checkpoint.Status // "" = rejected
		msg   string
	}{
		{"step start absent", nil, upd("x", S, start), checkpoint.StatusStarted, ""},
		{"step succeed absent", nil, upd("x", S, succeed), checkpoint.StatusSucceeded, ""},
		{"step fail absent", nil, upd("x", S, fail), checkpoint.StatusFailed, ""},
		{"step retry absent", nil, upd("x", S, retry), checkpoint.StatusPending, ""},
		{"step succeed started", startedStep, upd("x", S, succeed), checkpoint.StatusSucceeded, ""},
		{"step fail started", startedStep, upd("x", S, fail), checkpoint.StatusFailed, ""},
		{"step retry started", startedStep, upd("x", S, retry), checkpoint.StatusPending, ""},
		{"step start started", startedStep, upd("x", S, start), "", "cannot START a STEP that is STARTED"},
		{"step start pending", pendingStep, upd("x", S, start), "", "cannot START a STEP that is PENDING"},
		{"step succeed pending", pendingStep, upd("x", S, succeed), "", "cannot SUCCEED a STEP that is PENDING"},
		{"step succeed succeeded", doneStep, upd("x", S, succeed), "", "cannot SUCCEED a STEP that is SUCCEEDED"},
		{"step retry failed", failedStep, upd("x", S, retry), "", "cannot RETRY a STEP that is FAILED"},
		{"step cancel", startedStep, upd("x", S, cancel), "", "START, SUCCEED, FAIL or RETRY"},
		{"step retry without options", startedStep, checkpoint.OperationUpdate{Id: "x", Type: S, Action: retry}, "", "StepOptions.NextAttemptDelaySeconds is required"},
		{"step retry with both", startedStep, func() checkpoint.OperationUpdate {
			u := upd("x", S, retry)
			u.Payload, u.Error = "1", &checkpoint.ErrorObject{}
			return u
		}(), "", "not both"},
		{"step succeed with error", startedStep, func() checkpoint.OperationUpdate {
			u := upd("x", S, succeed)
			u.Error = &checkpoint.ErrorObject{}
			return u
		}(), "", "SUCCEED cannot carry an Error"},
		{"step fail with payload", startedStep, func() checkpoint.OperationUpdate {
			u := upd("x", S, fail)
			u.Payload = "1"
			return u
		}(), "", "FAIL cannot carry a Payload"},
		{"context start absent", nil, upd("x", C, start), checkpoint.StatusStarted, ""},
		{"context succeed absent", nil, upd("x", C, succeed), checkpoint.StatusSucceeded, ""},
		{"context fail started", startedCtx, upd("x", C, fail), checkpoint.StatusFailed, ""},
		{"context start started", startedCtx, upd("x", C, start), "", "cannot START a CONTEXT that is STARTED"},
		{"context succeed succeeded", doneCtx, upd("x", C, succeed), "", "cannot SUCCEED a CONTEXT that is SUCCEEDED"},
		{"context retry", startedCtx, upd("x", C, retry), "", "START, SUCCEED or FAIL"},
		{"wait start absent", nil, upd("x", W, start), checkpoint.StatusStarted, ""},
		{"wait start started", startedWait, upd("x", W, start), "", "cannot START a WAIT that is STARTED"},
		{"wait cancel started", startedWait, upd("x", W, cancel), checkpoint.StatusCancelled, ""},
		{"wait cancel absent", nil, upd("x", W, cancel), "", "cannot CANCEL a WAIT that is absent"},
		{"wait succeed", startedWait, upd("x", W, succeed), "", "START or CANCEL"},
		{"callback start absent", nil, upd("x", B, start), checkpoint.StatusStarted, ""},
		{"callback start started", startedCb, upd("x", B, start), "", "cannot START a CALLBACK"},
		{"callback cancel started", startedCb, upd("x", B, cancel), checkpoint.StatusCancelled, ""},
		{"callback succeed", startedCb, upd("x", B, succeed), "", "START or CANCEL"},
		{"invoke start absent", nil, upd("x", I, start), checkpoint.StatusStarted, ""},
		{"invoke start started", startedInv, upd("x", I, start), "", "cannot START a CHAINED_INVOKE"},
		{"invoke cancel started", startedInv, upd("x", I, cancel), checkpoint.StatusCancelled, ""},
		{"invoke without function", nil, checkpoint.OperationUpdate{Id: "x", Type: I, Action: start}, "", "FunctionName is required"},
		{"type change", startedStep, upd("x", W, cancel), "", "is a STEP, not a WAIT"},
		{"unknown type", nil, upd("x", "THING", start), "", "Type \"THING\""},
		{"unknown action", nil, upd("x", S, "DANCE"), "", "Action \"DANCE\""},
		{"execution start", nil, checkpoint.OperationUpdate{Id: "x", Type: E, Action: start}, "", "EXECUTION"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := newEnv(t)
			v.register("idle", callbackFn(0, 0))
			c := capture(t, v)
			tok := c.first
			if len(tc.setup) > 0 {
				out, err := c.call(v, tok, "setup", tc.setup...)
				if err != nil {
					t.Fatalf("setup: %v", err)
				}
				tok = out.CheckpointToken
			}
			out, err := c.call(v, tok, "test", tc.u)
			if tc.want == "" {
				wantCode(t, err, CodeInvalidParameterValue, tc.msg)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := out.NewExecutionState.Operations[0].Status; got != tc.want {
				t.Fatalf("status = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestBatchRules(t *testing.T) {
	for _, tc := range []struct {
		name string
		ups  []checkpoint.OperationUpdate
		msg  string // "" = accepted
	}{
		{"step start and succeed", []checkpoint.OperationUpdate{stepStart("a", ""), stepSucceed("a", "1")}, ""},
		{"context start and succeed", []checkpoint.OperationUpdate{contextStart("c", ""), contextSucceed("c", "", false)}, ""},
		{"two updates of a wait", []checkpoint.OperationUpdate{waitStart("w", 5), {Id: "w", Type: checkpoint.TypeWait, Action: checkpoint.ActionCancel}}, "already has an update in this request"},
		{"start twice", []checkpoint.OperationUpdate{stepStart("a", ""), stepStart("a", "")}, "already has an update"},
		{"succeed twice", []checkpoint.OperationUpdate{stepSucceed("a", "1"), stepSucceed("a", "2")}, "already has an update"},
		{"parent started earlier", []checkpoint.OperationUpdate{contextStart("c", ""), func() checkpoint.OperationUpdate {
			u := stepStart("a", "")
			u.ParentId = "c"
			return u
		}()}, ""},
		{"missing parent", []checkpoint.OperationUpdate{func() checkpoint.OperationUpdate {
			u := stepStart("a", "")
			u.ParentId = "c"
			return u
		}()}, "ParentId c does not name an existing CONTEXT"},
		{"parent started later", []checkpoint.OperationUpdate{func() checkpoint.OperationUpdate {
			u := stepStart("a", "")
			u.ParentId = "c"
			return u
		}(), contextStart("c", "")}, "does not name an existing CONTEXT"},
		{"parent not a context", []checkpoint.OperationUpdate{stepStart("s", ""), func() checkpoint.OperationUpdate {
			u := stepStart("a", "")
			u.ParentId = "s"
			return u
		}()}, "names a STEP operation, not a CONTEXT"},
		{"execution succeed last", []checkpoint.OperationUpdate{stepStart("a", ""), {Id: "EXEC", Type: checkpoint.TypeExecution, Action: checkpoint.ActionSucceed, Payload: "1"}}, ""},
		{"execution not last", []checkpoint.OperationUpdate{{Id: "EXEC", Type: checkpoint.TypeExecution, Action: checkpoint.ActionSucceed}, stepStart("a", "")}, "must be the last update"},
		{"execution wrong id", []checkpoint.OperationUpdate{{Id: "other", Type: checkpoint.TypeExecution, Action: checkpoint.ActionSucceed}}, "EXECUTION operation of this execution is"},
		{"execution fail with payload", []checkpoint.OperationUpdate{{Id: "EXEC", Type: checkpoint.TypeExecution, Action: checkpoint.ActionFail, Payload: "1"}}, "FAIL cannot carry a Payload"},
		{"execution succeed with error", []checkpoint.OperationUpdate{{Id: "EXEC", Type: checkpoint.TypeExecution, Action: checkpoint.ActionSucceed, Error: &checkpoint.ErrorObject{}}}, "SUCCEED cannot carry an Error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := newEnv(t)
			c := capture(t, v)
			execId := c.arn[strings.LastIndexByte(c.arn, '/')+1:]
			ups := append([]checkpoint.OperationUpdate(nil), tc.ups...)
			for i := range ups {
				if ups[i].Id == "EXEC" {
					ups[i].Id = execId
				}
			}
			_, err := c.call(v, c.first, "x", ups...)
			if tc.msg != "" {
				wantCode(t, err, CodeInvalidParameterValue, tc.msg)
				// All or nothing.
				if ops, _ := v.svc.Operations(c.arn); len(ops) != 1 {
					t.Fatalf("rejected batch recorded %d operations", len(ops)-1)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestFieldPatterns(t *testing.T) {
	long := strings.Repeat("a", 65)
	for _, tc := range []struct {
		u   checkpoint.OperationUpdate
		msg string
	}{
		{checkpoint.OperationUpdate{Id: "", Type: checkpoint.TypeStep, Action: checkpoint.ActionStart}, "Id"},
		{checkpoint.OperationUpdate{Id: long, Type: checkpoint.TypeStep, Action: checkpoint.ActionStart}, "Id"},
		{checkpoint.OperationUpdate{Id: "a b", Type: checkpoint.TypeStep, Action: checkpoint.ActionStart}, "Id"},
		{checkpoint.OperationUpdate{Id: "a", Name: strings.Repeat("n", 257), Type: checkpoint.TypeStep, Action: checkpoint.ActionStart}, "Name"},
		{checkpoint.OperationUpdate{Id: "a", Name: "caf\u00e9", Type: checkpoint.TypeStep, Action: checkpoint.ActionStart}, "printable ASCII"},
		{checkpoint.OperationUpdate{Id: "a", SubType: strings.Repeat("s", 33), Type: checkpoint.TypeStep, Action: checkpoint.ActionStart}, "SubType"},
		{checkpoint.OperationUpdate{Id: "a", SubType: "Sub.Type", Type: checkpoint.TypeStep, Action: checkpoint.ActionStart}, "SubType"},
		{checkpoint.OperationUpdate{Id: "a", ParentId: "p/q", Type: checkpoint.TypeStep, Action: checkpoint.ActionStart}, "ParentId"},
		{checkpoint.OperationUpdate{Id: "a", ParentId: "a", Type: checkpoint.TypeContext, Action: checkpoint.ActionStart}, "its own parent"},
	} {
		v := newEnv(t)
		c := capture(t, v)
		_, err := c.call(v, c.first, "x", tc.u)
		wantCode(t, err, CodeInvalidParameterValue, tc.msg)
	}
	// Valid edge cases.
	v := newEnv(t)
	c := capture(t, v)
	ok := checkpoint.OperationUpdate{Id: strings.Repeat("A", 64), Name: strings.Repeat("~", 256), SubType: strings.Repeat("_", 32),
		Type: checkpoint.TypeStep, Action: checkpoint.ActionStart}
	if _, err := c.call(v, c.first, "x", ok); err != nil {
		t.Fatal(err)
	}
}

func TestDelayBounds(t *testing.T) {
	for _, tc := range []struct {
		u   checkpoint.OperationUpdate
		msg string
	}{
		{waitStart("w", 0), "WaitOptions.WaitSeconds 0"},
		{waitStart("w", 31_622_401), "between 1 and 31622400"},
		{checkpoint.OperationUpdate{Id: "w", Type: checkpoint.TypeWait, Action: checkpoint.ActionStart}, "WaitOptions.WaitSeconds is required"},
		{stepRetry("s", 0), "NextAttemptDelaySeconds 0"},
		{stepRetry("s", -3), "NextAttemptDelaySeconds -3"},
		{stepRetry("s", 31_622_401), "between 1 and"},
		{callbackStart("c", "", -1, 0), "TimeoutSeconds -1"},
		{callbackStart("c", "", 86401, 0), "TimeoutSeconds 86401"},
		{callbackStart("c", "", 0, 86401), "HeartbeatTimeoutSeconds 86401"},
	} {
		v := newEnv(t)
		c := capture(t, v)
		_, err := c.call(v, c.first, "x", tc.u)
		wantCode(t, err, CodeInvalidParameterValue, tc.msg)
	}
	v := newEnv(t)
	c := capture(t, v)
	if _, err := c.call(v, c.first, "x", waitStart("w", 31_622_400), stepRetry("s", 1), callbackStart("c", "", 86400, 86400)); err != nil {
		t.Fatal(err)
	}
}

func TestPayloadAndCountLimits(t *testing.T) {
	v := newEnv(t, WithLimits(Limits{MaxOperationPayload: 8, MaxRequestBytes: 20, MaxOperations: 5, MaxUpdatesPerRequest: 4}))
	c := capture(t, v)
	call := func(ups ...checkpoint.OperationUpdate) error {
		_, err := c.call(v, c.first, newUUID(), ups...)
		return err
	}
	wantCode(t, call(stepSucceed("a", "123456789")), CodeRequestTooLarge, "payload is 9 bytes; the limit is 8")
	wantCode(t, call(stepFail("a", "LongErrorType")), CodeRequestTooLarge, "error is")
	wantCode(t, call(stepSucceed("a", "12345678"), stepSucceed("b", "12345678"), stepSucceed("c", "12345678")), CodeRequestTooLarge, "request carries 24 bytes")
	wantCode(t, call(stepStart("a", ""), stepStart("b", ""), stepStart("c", ""), stepStart("d", ""), stepStart("e", "")), CodeInvalidParameterValue, "5 updates; the limit is 4")
	if err := call(stepStart("a", ""), stepStart("b", ""), stepStart("c", ""), stepStart("d", "")); err != nil {
		t.Fatal(err)
	}
}

func TestOperationLimit(t *testing.T) {
	v := newEnv(t, WithLimits(Limits{MaxOperations: 3}))
	c := capture(t, v)
	out, err := c.call(v, c.first, "a", stepStart("a", ""), stepStart("b", ""), stepStart("c", ""))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.call(v, out.CheckpointToken, "b", stepStart("d", ""))
	wantCode(t, err, CodeInvalidParameterValue, "would have 4 operations; the limit is 3")
	// Updating existing operations is still fine.
	if _, err := c.call(v, out.CheckpointToken, "c", stepSucceed("a", "1")); err != nil {
		t.Fatal(err)
	}
}

func TestDefaultOperationLimitIs3000(t *testing.T) {
	v := newEnv(t)
	c := capture(t, v)
	tok := c.first
	for i := 0; i < 3000; i += 250 {
		ups := make([]checkpoint.OperationUpdate, 250)
		for j := range ups {
			ups[j] = stepStart("s"+strconv.Itoa(i+j), "")
		}
		out, err := c.call(v, tok, newUUID(), ups...)
		if err != nil {
			t.Fatal(err)
		}
		tok = out.CheckpointToken
	}
	_, err := c.call(v, tok, "x", stepStart("one-more", ""))
	wantCode(t, err, CodeInvalidParameterValue, "limit is 3000")
	_, err = v.svc.GetState(context.Background(), &checkpoint.StateInput{DurableExecutionArn: c.arn, CheckpointToken: tok, MaxItems: 1001})
	wantCode(t, err, CodeInvalidParameterValue, "MaxItems 1001")
}
