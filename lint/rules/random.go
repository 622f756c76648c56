package rules

// Random reports random numbers and UUIDs drawn in workflow code.
var Random = newRule(RuleRandom,
	"report math/rand, crypto/rand and random UUIDs in workflow code\n\n"+
		"A replay draws another value and takes another path. Use durable.Rand(ctx) or durable.UUID(ctx), "+
		"seeded from the execution and the call's position, or draw the value inside a step.",
	checkRandom)

func checkRandom(c *checker) {
	c.checkSymbols(func(sym symbol) (message, bool) {
		if !isRandom(sym) {
			return message{}, false
		}
		return message{
			what: "%s is random",
			why:  "a replay draws a different value and can take another path",
			fix:  "use durable.Rand(ctx) or durable.UUID(ctx), which are the same on every replay, or draw the value inside a durable.Step",
		}, true
	})
}
