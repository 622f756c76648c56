package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

type listOpts struct {
	*clientFlags
	status string
	name   string
	limit  int
}

func listFlags(a *App) (*flag.FlagSet, *listOpts) {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	o := &listOpts{clientFlags: a.addClientFlags(fs)}
	fs.StringVar(&o.status, "status", "", "only these statuses, comma-separated (RUNNING, SUCCEEDED, FAILED, TIMED_OUT, STOPPED)")
	fs.StringVar(&o.name, "name", "", "only executions with this name")
	fs.IntVar(&o.limit, "limit", 100, "at most this many executions per function (0: all)")
	return fs, o
}

// list prints the executions of one function, or of every example function
// `durable serve` registers, newest first. Without a function name, an
// example the server does not run (serve -example=false) is skipped.
func (a *App) list(ctx context.Context, args []string) error {
	fs, o := listFlags(a)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 0, 1, ""); err != nil {
		return err
	}
	if o.limit < 0 {
		return &usageError{msg: fmt.Sprintf("-limit %d: want 0 or more", o.limit)}
	}
	statuses, err := parseStatuses(o.status)
	if err != nil {
		return err
	}
	client, err := o.client()
	if err != nil {
		return err
	}
	functions, named := pos, len(pos) > 0
	if !named {
		functions = functionNames(true, nil)
	}
	var all []types.Execution
	known := 0 // functions the server runs
	for _, fn := range functions {
		execs, err := o.listFunction(ctx, client, fn, statuses)
		var unknown *types.ResourceNotFoundException
		if !named && errors.As(err, &unknown) {
			continue
		}
		if err != nil {
			return err
		}
		known++
		all = append(all, execs...)
	}
	slices.SortStableFunc(all, func(x, y types.Execution) int {
		return aws.ToTime(y.StartTimestamp).Compare(aws.ToTime(x.StartTimestamp))
	})
	if len(all) == 0 {
		if known > 0 {
			fmt.Fprintln(a.Stderr, "no executions")
		} else {
			fmt.Fprintln(a.Stderr, "no executions: the server runs no example workflow (durable list FUNCTION lists a function's)")
		}
		return nil
	}
	tw := tabwriter.NewWriter(a.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STATUS\tSTARTED\tDURATION\tFUNCTION\tNAME\tARN")
	for _, e := range all {
		start, end := aws.ToTime(e.StartTimestamp), aws.ToTime(e.EndTimestamp)
		dur := "-"
		if !end.IsZero() {
			dur = end.Sub(start).Round(time.Millisecond).String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", e.Status, start.UTC().Format(time.DateTime), dur,
			functionName(aws.ToString(e.FunctionArn)), aws.ToString(e.DurableExecutionName), aws.ToString(e.DurableExecutionArn))
	}
	return tw.Flush()
}

func (o *listOpts) listFunction(ctx context.Context, client *lambda.Client, fn string, statuses []types.ExecutionStatus) ([]types.Execution, error) {
	in := &lambda.ListDurableExecutionsByFunctionInput{FunctionName: aws.String(fn), Statuses: statuses}
	if o.name != "" {
		in.DurableExecutionName = aws.String(o.name)
	}
	var out []types.Execution
	p := lambda.NewListDurableExecutionsByFunctionPaginator(client, in)
	for p.HasMorePages() && (o.limit == 0 || len(out) < o.limit) {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, o.apiError("list "+fn, err)
		}
		out = append(out, page.DurableExecutions...)
	}
	if o.limit > 0 && len(out) > o.limit {
		out = out[:o.limit]
	}
	return out, nil
}

func parseStatuses(s string) ([]types.ExecutionStatus, error) {
	if s == "" {
		return nil, nil
	}
	valid := types.ExecutionStatus("").Values()
	var out []types.ExecutionStatus
	for part := range strings.SplitSeq(s, ",") {
		st := types.ExecutionStatus(strings.ToUpper(strings.TrimSpace(part)))
		if !slices.Contains(valid, st) {
			return nil, &usageError{msg: fmt.Sprintf("-status: unknown status %q (want %s)", part, joinStatuses(valid))}
		}
		out = append(out, st)
	}
	return out, nil
}

func joinStatuses(ss []types.ExecutionStatus) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = string(s)
	}
	return strings.Join(parts, ", ")
}

// functionName returns the name in a function ARN
// (arn:aws:lambda:<region>:<acct>:function:<name>[:qualifier]).
func functionName(arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) >= 7 && parts[5] == "function" {
		return parts[6]
	}
	return arn
}
