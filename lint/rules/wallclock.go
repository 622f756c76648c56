package rules

// WallClock reports reads of the wall clock and timers in workflow code.
var WallClock = newRule(RuleWallClock,
	"report time.Now, time.Sleep, timers and tickers in workflow code\n\n"+
		"Workflow code replays: time.Now returns another value on each replay, and time.Sleep or a timer keeps "+
		"the invocation busy instead of suspending it. Use durable.Now(ctx), durable.ExecutionStartTime(ctx) "+
		"and durable.Wait(ctx, name, d).",
	checkWallClock)

func checkWallClock(c *checker) { c.checkSymbols(matchWallClock) }

func matchWallClock(sym symbol) (message, bool) {
	if readsClock(sym) {
		return message{
			what: "%s reads the wall clock",
			why:  "it returns a different value when the code replays",
			fix:  "use durable.Now(ctx), which records the time in a step, or durable.ExecutionStartTime(ctx)",
		}, true
	}
	if sym.pkg != "time" || sym.recv != "" {
		return message{}, false
	}
	switch sym.name {
	case "Sleep", "After", "AfterFunc", "NewTimer", "NewTicker", "Tick":
		return message{
			what: "%s waits on the wall clock",
			why:  "the invocation stays busy instead of suspending, and every replay waits again",
			fix:  "use durable.Wait(ctx, name, d) or durable.WaitAsync, which suspend the execution and are recorded",
		}, true
	}
	return message{}, false
}
