package durabletest_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/durabletest"
	"github.com/lambda-durable/durable/retry"
)

// Callback finds a WaitForCallback's callback by the operation's name. Run
// skips the submitter's retry delay and stops once the id was handed out,
// here to a mail that failed to send the first time.
func ExampleRunner_Callback() {
	var mailed string
	review := func(ctx durable.Context, doc string) (string, error) {
		verdict, err := durable.WaitForCallback[string](ctx, "review", func(sc durable.StepContext, callbackID string) error {
			if sc.Attempt() == 1 {
				return errors.New("mail server down")
			}
			mailed = callbackID
			return nil
		}, durable.WithSubmitterOptions(durable.WithRetry(retry.Fixed(3, time.Minute))))
		return doc + " " + verdict, err
	}
	r := durabletest.New(durable.NewHandler(review, quiet))
	defer r.Close()
	ctx := context.Background()
	start := r.Now()
	res, _ := r.Run(ctx, "draft")
	cb, err := r.Callback("review")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Status, "after", r.Now().Sub(start), "- the mailed id is the open callback:", cb.CallbackId == mailed)
	_ = r.SendCallbackSuccess(ctx, cb.CallbackId, []byte("approved"))
	res, _ = r.Resume(ctx)
	fmt.Println(res.Status, res.Result)
	// Output:
	// RUNNING after 1m0s - the mailed id is the open callback: true
	// SUCCEEDED "draft approved"
}
