package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/retry"
)

// Expense is an expense claim to approve.
type Expense struct {
	ID       string `json:"id"`
	Employee string `json:"employee"`
	Amount   int    `json:"amount"`
	Reason   string `json:"reason"`
}

// Decision is what an approver answers (the callback's JSON result).
type Decision struct {
	Approved bool   `json:"approved"`
	Approver string `json:"approver"`
	Comment  string `json:"comment,omitempty"`
}

// Outcome is the workflow's result.
type Outcome struct {
	Expense   string `json:"expense"`
	Status    string `json:"status"` // paid, rejected or expired
	Approver  string `json:"approver,omitempty"`
	Comment   string `json:"comment,omitempty"`
	PaymentID string `json:"paymentId,omitempty"`
}

// Notifier delivers approval requests. In production it sends an email or a
// chat message whose buttons call SendDurableExecutionCallbackSuccess with
// the callback id and a Decision as JSON.
type Notifier interface {
	RequestApproval(ctx context.Context, approver string, e Expense, callbackID string) error
}

// ApprovalTimeout is how long an approver has to answer.
const ApprovalTimeout = 24 * time.Hour

// ErrInvalidExpense fails claims that cannot be approved at all.
var ErrInvalidExpense = errors.New("invalid expense")

// approverFor routes a claim: managers approve up to 1000, directors above.
func approverFor(e Expense) string {
	if e.Amount > 1000 {
		return "director"
	}
	return "manager"
}

// Workflow returns the approval workflow: validate the claim, ask the right
// approver and wait (suspended, at no cost) for the answer, then pay it. An
// approver who does not answer within ApprovalTimeout lets the claim expire.
func Workflow(n Notifier) func(ctx durable.Context, e Expense) (Outcome, error) {
	return func(ctx durable.Context, e Expense) (Outcome, error) {
		out := Outcome{Expense: e.ID}
		if _, err := durable.Step(ctx, "validate", func(durable.StepContext) (bool, error) {
			if e.Amount <= 0 || e.Employee == "" {
				return false, fmt.Errorf("%w: %+v", ErrInvalidExpense, e)
			}
			return true, nil
		}, durable.WithRetry(retry.None())); err != nil {
			return out, err
		}

		approver := approverFor(e)
		d, err := durable.WaitForCallback[Decision](ctx, "approval",
			func(sc durable.StepContext, callbackID string) error {
				sc.Logger().Info("requesting approval", "approver", approver, "expense", e.ID)
				return n.RequestApproval(sc, approver, e, callbackID)
			},
			durable.WithCallbackTimeout(ApprovalTimeout),
			durable.WithSubmitterOptions(durable.WithRetry(retry.Fixed(3, 30*time.Second))))
		var timeout *durable.CallbackTimeoutError
		switch {
		case errors.As(err, &timeout):
			out.Status = "expired"
			return out, nil
		case err != nil:
			return out, err
		case !d.Approved:
			out.Status, out.Approver, out.Comment = "rejected", d.Approver, d.Comment
			return out, nil
		}

		payment, err := durable.Step(ctx, "pay", func(sc durable.StepContext) (string, error) {
			// A real payment API call goes here, with e.ID as idempotency key.
			return "pay-" + e.ID, nil
		})
		if err != nil {
			return out, err
		}
		out.Status, out.Approver, out.Comment, out.PaymentID = "paid", d.Approver, d.Comment, payment
		return out, nil
	}
}
