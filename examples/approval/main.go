// Command approval is an expense-approval workflow built on
// durable.WaitForCallback: the workflow asks an approver and suspends until
// the answer arrives (or a day passes), then pays the claim.
//
// Deployed on Lambda (AWS_LAMBDA_RUNTIME_API set) it serves the workflow.
// Run locally,
//
//	go run ./examples/approval
//
// it plays three claims on an in-process durable execution service with a
// virtual clock, acting as the approvers: one approved, one rejected, one
// left unanswered until it expires.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/durabletest"
)

func main() {
	if os.Getenv("AWS_LAMBDA_RUNTIME_API") != "" {
		durable.Start(Workflow(logNotifier{}))
		return
	}
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "approval:", err)
		os.Exit(1)
	}
}

// logNotifier only logs the requests (wire your email or chat here).
type logNotifier struct{}

func (logNotifier) RequestApproval(ctx context.Context, approver string, e Expense, callbackID string) error {
	slog.InfoContext(ctx, "approval requested", "approver", approver, "expense", e.ID, "callbackId", callbackID)
	return nil
}

// inbox collects the approval requests of the local run.
type inbox struct {
	mu       sync.Mutex
	requests []request
}

type request struct {
	approver   string
	expense    Expense
	callbackID string
}

func (b *inbox) RequestApproval(_ context.Context, approver string, e Expense, callbackID string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.requests = append(b.requests, request{approver, e, callbackID})
	return nil
}

func (b *inbox) last() (request, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.requests) == 0 {
		return request{}, false
	}
	return b.requests[len(b.requests)-1], true
}

// run plays the three claims and prints what happens.
func run(ctx context.Context, w io.Writer) error {
	claims := []struct {
		expense Expense
		answer  *Decision // nil: the approver never answers
	}{
		{Expense{ID: "e-1", Employee: "sam", Amount: 420, Reason: "conference"}, &Decision{Approved: true, Approver: "maria"}},
		{Expense{ID: "e-2", Employee: "kim", Amount: 5200, Reason: "new laptop"}, &Decision{Approved: false, Approver: "li", Comment: "use the spare one"}},
		{Expense{ID: "e-3", Employee: "ana", Amount: 80, Reason: "taxi"}, nil},
	}
	for _, c := range claims {
		out, err := process(ctx, c.expense, c.answer)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s (%d, %s): %s", c.expense.ID, c.expense.Amount, c.expense.Reason, out.Status)
		if out.Approver != "" {
			fmt.Fprintf(w, " by %s", out.Approver)
		}
		if out.Comment != "" {
			fmt.Fprintf(w, " (%q)", out.Comment)
		}
		if out.PaymentID != "" {
			fmt.Fprintf(w, ", payment %s", out.PaymentID)
		}
		fmt.Fprintln(w)
	}
	return nil
}

// process runs one claim to its end, answering its approval request with a
// (nil: letting it time out).
func process(ctx context.Context, e Expense, a *Decision) (Outcome, error) {
	var box inbox
	r := newRunner(&box)
	defer r.Close()
	res, err := r.Run(ctx, e)
	if err != nil {
		return Outcome{}, err
	}
	req, ok := box.last()
	if !ok {
		return Outcome{}, fmt.Errorf("%s: no approval was requested (%s %+v)", e.ID, res.Status, res.Error)
	}
	if a == nil {
		r.Advance(ApprovalTimeout)
	} else {
		body, err := json.Marshal(*a)
		if err != nil {
			return Outcome{}, err
		}
		if err := r.SendCallbackSuccess(ctx, req.callbackID, body); err != nil {
			return Outcome{}, err
		}
	}
	if res, err = r.Resume(ctx); err != nil {
		return Outcome{}, err
	}
	var out Outcome
	if err := res.Decode(&out); err != nil {
		return Outcome{}, fmt.Errorf("%s: %w (%+v)", e.ID, err, res.Error)
	}
	return out, nil
}

// newRunner runs the workflow on an in-process service whose executions may
// last a week (the function's execution timeout must exceed
// ApprovalTimeout).
func newRunner(n Notifier) *durabletest.Runner {
	return durabletest.New(durable.NewHandler(Workflow(n), durable.WithLogHandler(slog.DiscardHandler)),
		durabletest.WithExecutionTimeout(7*24*time.Hour))
}
