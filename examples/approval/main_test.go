package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/lambda-durable/durable/local"
)

func TestRun(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out); err != nil {
		t.Fatal(err)
	}
	want := `e-1 (420, conference): paid by maria, payment pay-e-1
e-2 (5200, new laptop): rejected by li ("use the spare one")
e-3 (80, taxi): expired
`
	if out.String() != want {
		t.Errorf("output:\n%s\nwant:\n%s", out.String(), want)
	}
}

func TestRoutingAndSingleRequest(t *testing.T) {
	for _, tc := range []struct {
		amount   int
		approver string
	}{{1000, "manager"}, {1001, "director"}} {
		var box inbox
		r := newRunner(&box)
		res, err := r.Run(context.Background(), Expense{ID: "x", Employee: "e", Amount: tc.amount})
		if err != nil || res.Status != local.ExecutionRunning {
			t.Fatalf("run: %v %+v", err, res)
		}
		if len(box.requests) != 1 || box.requests[0].approver != tc.approver {
			t.Errorf("amount %d: requests %+v, want one to the %s", tc.amount, box.requests, tc.approver)
		}
		r.Close()
	}
}

func TestInvalidExpenseFails(t *testing.T) {
	r := newRunner(&inbox{})
	defer r.Close()
	res, err := r.Run(context.Background(), Expense{ID: "bad", Employee: "e", Amount: -5})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != local.ExecutionFailed || !strings.Contains(res.Error.ErrorMessage, ErrInvalidExpense.Error()) {
		t.Errorf("status %s, error %+v", res.Status, res.Error)
	}
}

type failingNotifier struct{ calls int }

func (f *failingNotifier) RequestApproval(context.Context, string, Expense, string) error {
	f.calls++
	return errors.New("mail server down")
}

func TestNotifierFailureIsRetriedThenFails(t *testing.T) {
	n := &failingNotifier{}
	r := newRunner(n)
	defer r.Close()
	ctx := context.Background()
	if _, err := r.Run(ctx, Expense{ID: "x", Employee: "e", Amount: 5}); err != nil {
		t.Fatal(err)
	}
	// The open callback stops the runner from skipping the retry delays.
	for i := 0; i < 2; i++ {
		r.Advance(ApprovalTimeout / 100)
		if _, err := r.Resume(ctx); err != nil {
			t.Fatal(err)
		}
	}
	res := r.Result()
	if res.Status != local.ExecutionFailed || res.Error.ErrorMessage != "mail server down" || n.calls != 3 {
		t.Errorf("status %s, error %+v, %d calls", res.Status, res.Error, n.calls)
	}
}
