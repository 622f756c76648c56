package spec_test

import (
	"fmt"

	"github.com/lambda-durable/durable/conformance/spec"
)

func ExampleParse() {
	text := `
Variables:
  NAME: ${GEN_STR:8}
  GREETING: hello
Input: ${GREETING}
ExpectedResult:
  ExecutionStatus: SUCCEEDED
  Result: ${GREETING}, world
CallbackActions:
  - CallbackName: ${NAME}
    Operation: success
    Payload: {status: approved, by: '${GREETING}'}
ExpectedExecutionHistory:
  - EventType: CallbackStarted
    EventId: 2
    Id: ${ID1}
`
	raw, err := spec.Parse([]byte(text), spec.File{Suite: "callback", ID: "4-99", Path: "callback/4-99.yaml"})
	if err != nil {
		fmt.Println(err)
		return
	}
	req, err := raw.Resolve(42) // the same seed always generates the same NAME
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("input %s\n", req.InputJSON)
	fmt.Printf("result %v\n", req.ExpectedResult.Result)
	fmt.Printf("callback body %s\n", req.CallbackActions[0].Body)
	fmt.Printf("callback name is NAME: %v\n", req.CallbackActions[0].CallbackName == req.Variables[0].Value)
	fmt.Printf("left for the history matcher: %v\n", req.ExpectedExecutionHistory[0]["Id"])
	// Output:
	// input "hello"
	// result hello, world
	// callback body {"status": "approved", "by": "hello"}
	// callback name is NAME: true
	// left for the history matcher: ${ID1}
}
