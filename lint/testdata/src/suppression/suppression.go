package suppression

import (
	"time"

	"github.com/lambda-durable/durable"
)

func workflow(ctx durable.Context) {
	//durablelint:ignore wallclock // want `suppression of wallclock has no reason, so it suppresses nothing`
	_ = time.Now()
	//durablelint:ignore // want `//durablelint:ignore needs a rule and a reason`
	//durablelint:ignore clock the value is logged only // want `unknown durablelint rule "clock"`
	//durablelint:ignore wallclock,random the value is logged only
	_ = time.Now()
	//durablelint:ignored is another directive, not a suppression
}
