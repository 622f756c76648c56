package cli

import (
	"context"
	"encoding/json"
	"flag"

	"github.com/lambda-durable/durable/durabletest"
)

type exportOpts struct {
	*clientFlags
}

func exportFlags(a *App) (*flag.FlagSet, *exportOpts) {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	return fs, &exportOpts{clientFlags: a.addClientFlags(fs)}
}

// export prints an execution as a durabletest.Recording (its status,
// outcome and operations with their payloads, rebuilt from the history read
// with its data), the file durabletest.ReplayFile replays.
func (a *App) export(ctx context.Context, args []string) error {
	fs, o := exportFlags(a)
	arn, err := oneArg(fs, args, "execution ARN")
	if err != nil {
		return err
	}
	client, err := o.client()
	if err != nil {
		return err
	}
	rec, err := durabletest.FetchRecording(ctx, client, arn)
	if err != nil {
		return o.apiError("export", err)
	}
	enc := json.NewEncoder(a.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(rec)
}
