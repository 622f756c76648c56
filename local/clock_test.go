package local

import (
	"fmt"
	"testing"
	"time"

	"github.com/lambda-durable/durable/checkpoint"
)

func TestVirtualClockRunsDueFunctionsInOrder(t *testing.T) {
	c := NewVirtualClock(time.Time{})
	start := c.Now()
	var got []string
	record := func(name string) func() {
		return func() { got = append(got, fmt.Sprintf("%s@%s", name, c.Now().Sub(start))) }
	}
	c.AfterFunc(3*time.Second, record("c"))
	c.AfterFunc(time.Second, func() {
		record("a")()
		// Registered while advancing, due before the target: runs too.
		c.AfterFunc(time.Second, record("b"))
	})
	stop := c.AfterFunc(2*time.Second, record("never"))
	if !stop() || stop() {
		t.Fatal("stop reports wrongly")
	}
	c.AfterFunc(10*time.Second, record("later"))
	c.Advance(5 * time.Second)
	if fmt.Sprint(got) != "[a@1s b@2s c@3s]" || c.Now().Sub(start) != 5*time.Second {
		t.Fatalf("ran %v, now +%s", got, c.Now().Sub(start))
	}
	c.Advance(-time.Hour)
	c.AdvanceTo(start)
	if c.Now().Sub(start) != 5*time.Second {
		t.Fatal("the clock went backwards")
	}
	done := make(chan struct{})
	c.AfterFunc(0, func() { close(done) })
	<-done
}

func TestRealClock(t *testing.T) {
	c := RealClock()
	if time.Since(c.Now()) > time.Minute {
		t.Fatal("real clock is off")
	}
	fired := make(chan struct{})
	c.AfterFunc(time.Millisecond, func() { close(fired) })
	<-fired
	if c.AfterFunc(time.Hour, func() {})() != true {
		t.Fatal("stop of a pending timer returned false")
	}
}

func TestRealClockService(t *testing.T) {
	svc := New() // the real clock; a synchronous start
	defer svc.Close()
	if err := svc.RegisterFunction("quick", newFake(func(f *fakeInv) (checkpoint.InvocationResponse, error) {
		f.must(stepStart("s", ""), stepSucceed("s", "1"))
		return succeeded("1")
	})); err != nil {
		t.Fatal(err)
	}
	arn, err := svc.StartExecution(t.Context(), StartInput{FunctionName: "quick"})
	if err != nil {
		t.Fatal(err)
	}
	out, _ := svc.GetExecution(t.Context(), &GetExecutionInput{DurableExecutionArn: arn})
	if out.Status != ExecutionSucceeded {
		t.Fatalf("execution = %+v", out)
	}
}
