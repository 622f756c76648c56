package wallclock

import (
	"time"

	"github.com/lambda-durable/durable"
)

func workflow(ctx durable.Context, in string) (string, error) {
	if time.Now().Hour() < 12 { // want `time.Now reads the wall clock in workflow code: it returns a different value when the code replays; use durable.Now\(ctx\)`
		return "morning", nil
	}
	time.Sleep(time.Second)         // want `time.Sleep waits on the wall clock in workflow code: .*; use durable.Wait\(ctx, name, d\)`
	<-time.After(time.Minute)       // want `time.After waits on the wall clock`
	t := time.NewTimer(time.Second) // want `time.NewTimer waits on the wall clock`
	t.Stop()
	clock := time.Now // want `time.Now reads the wall clock`
	_ = clock
	elapsed()
	return "", nil
}

// elapsed is workflow code because workflow calls it.
func elapsed() time.Duration {
	return time.Since(time.Time{}) // want `time.Since reads the wall clock in workflow code \(in elapsed, called from workflow code in workflow\)`
}

func child(ctx durable.Context) error {
	_, err := durable.RunInChildContext(ctx, "child", func(c durable.Context) (int, error) {
		return time.Now().Second(), nil // want `time.Now reads the wall clock`
	})
	return err
}

// Negative cases.

func replaySafe(ctx durable.Context) error {
	now, err := durable.Now(ctx)
	if err != nil {
		return err
	}
	start := durable.ExecutionStartTime(ctx)
	_ = now.Sub(start)
	deadline := time.Duration(3) * time.Hour // durations and constants are fine
	_ = time.Unix(0, 0)                      // building a fixed time is fine
	// A step body is not workflow code: its result is recorded.
	_, err = durable.Step(ctx, "stamp", func(durable.StepContext) (time.Time, error) {
		time.Sleep(time.Millisecond)
		return time.Now(), nil
	})
	_, err = durable.Step(ctx, "fetch", fetch)
	if err := durable.Wait(ctx, "pause", deadline); err != nil {
		return err
	}
	return err
}

// fetch is a step body declared as a function: not workflow code.
func fetch(durable.StepContext) (time.Time, error) { return time.Now(), stamp() }

// stamp is called from a step body only: not workflow code.
func stamp() error {
	_ = time.Now()
	return nil
}

// notWorkflow receives no durable.Context and no workflow code calls it.
func notWorkflow() time.Time { return time.Now() }

func suppressed(ctx durable.Context) {
	//durablelint:ignore wallclock the value is only logged, never decides an operation
	_ = time.Now()
	_ = time.Now() //durablelint:ignore wallclock,random logged only
}

func unsuppressed(ctx durable.Context) {
	//durablelint:ignore wallclock
	_ = time.Now() // want `time.Now reads the wall clock`
	//durablelint:ignore random the rule named is another one
	_ = time.Now() // want `time.Now reads the wall clock`
	//durablelint:ignore wallclock the line above the previous line does not count

	_ = time.Now() // want `time.Now reads the wall clock`
}
