package console

import (
	"net/http"
	"slices"
	"strings"

	"github.com/lambda-durable/durable/local"
)

// statuses are the execution statuses the list filters on, in display order.
var statuses = []local.ExecutionStatus{
	local.ExecutionRunning, local.ExecutionSucceeded, local.ExecutionFailed,
	local.ExecutionTimedOut, local.ExecutionStopped,
}

// listPage is what the list template shows.
type listPage struct {
	Status   string   // the status filter, "" for all
	Query    string   // the name search, "" for all
	Statuses []string // the statuses to choose from
	Rows     []listRow
	// Matching counts the executions that pass the filters; Total counts
	// every execution. Rows holds at most the console's bound of them.
	Matching, Total int
	// Notice tells about a filter that was ignored.
	Notice string
	// Live is true while a listed execution runs: the page refreshes.
	Live bool
}

// listRow is one execution in the list.
type listRow struct {
	Arn, Name, Function, Status string
	Start, Duration             string
}

// list serves the list of executions, newest first.
func (c *Console) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page := listPage{Status: strings.ToUpper(strings.TrimSpace(q.Get("status"))), Query: strings.TrimSpace(q.Get("q"))}
	for _, s := range statuses {
		page.Statuses = append(page.Statuses, string(s))
	}
	if page.Status != "" && !slices.Contains(page.Statuses, page.Status) {
		page.Notice = "Unknown status " + page.Status + "; showing every status."
		page.Status = ""
	}
	now := c.svc.Clock().Now()
	execs := c.svc.Executions()
	page.Total = len(execs)
	needle := strings.ToLower(page.Query)
	for i := len(execs) - 1; i >= 0; i-- {
		e := execs[i]
		if page.Status != "" && string(e.Status) != page.Status ||
			needle != "" && !strings.Contains(strings.ToLower(e.DurableExecutionName), needle) {
			continue
		}
		page.Matching++
		if len(page.Rows) == c.maxRows {
			continue
		}
		page.Rows = append(page.Rows, listRow{
			Arn: e.DurableExecutionArn, Name: e.DurableExecutionName, Function: functionName(e.FunctionArn),
			Status: string(e.Status), Start: formatTime(e.StartTimestamp),
			Duration: span(e.StartTimestamp, e.EndTimestamp, now),
		})
		page.Live = page.Live || e.Status == local.ExecutionRunning
	}
	c.render(w, http.StatusOK, "list.html", page)
}

// functionName returns the function name of a function ARN
// ("arn:aws:lambda:region:account:function:name[:qualifier]"), or the ARN
// itself when it has another shape.
func functionName(arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) >= 7 && parts[0] == "arn" && parts[5] == "function" {
		return parts[6]
	}
	return arn
}
