package timeline

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/lambda-durable/durable/local"
)

// pageSize is the largest history page the API serves.
const pageSize = 1000

// maxPages bounds the pages read, against a service that never stops
// returning markers.
const maxPages = 10_000

// ForExecution reads the whole history of an execution from an in-process
// service and builds its timeline.
func ForExecution(ctx context.Context, svc *local.Service, arn string) (*Timeline, error) {
	events, err := History(ctx, svc, arn)
	if err != nil {
		return nil, err
	}
	return FromHistory(events), nil
}

// History reads every history event of an execution from an in-process
// service, following the pages, in order.
func History(ctx context.Context, svc *local.Service, arn string) ([]local.Event, error) {
	var events []local.Event
	marker := ""
	for range maxPages {
		page, err := svc.GetHistory(ctx, &local.GetHistoryInput{DurableExecutionArn: arn, Marker: marker, MaxItems: pageSize})
		if err != nil {
			return nil, fmt.Errorf("timeline: reading the history of %s: %w", arn, err)
		}
		events = append(events, page.Events...)
		if marker = page.NextMarker; marker == "" {
			return events, nil
		}
	}
	return nil, fmt.Errorf("timeline: the history of %s has more than %d pages", arn, maxPages)
}

// ForLambdaExecution reads the whole history of an execution through an
// aws-sdk-go-v2 Lambda client and builds its timeline.
func ForLambdaExecution(ctx context.Context, client *lambda.Client, arn string) (*Timeline, error) {
	events, err := LambdaHistory(ctx, client, arn)
	if err != nil {
		return nil, err
	}
	return FromLambdaHistory(events)
}

// LambdaHistory reads the whole history of an execution through an
// aws-sdk-go-v2 Lambda client (GetDurableExecutionHistory with its data,
// every page; a service that never stops paging is an error).
func LambdaHistory(ctx context.Context, client *lambda.Client, arn string) ([]types.Event, error) {
	var events []types.Event
	var marker *string
	for range maxPages {
		page, err := client.GetDurableExecutionHistory(ctx, &lambda.GetDurableExecutionHistoryInput{
			DurableExecutionArn: aws.String(arn), Marker: marker, MaxItems: pageSize,
			IncludeExecutionData: aws.Bool(true),
		})
		if err != nil {
			return nil, fmt.Errorf("timeline: reading the history of %s: %w", arn, err)
		}
		events = append(events, page.Events...)
		if marker = page.NextMarker; aws.ToString(marker) == "" {
			return events, nil
		}
	}
	return nil, fmt.Errorf("timeline: the history of %s has more than %d pages", arn, maxPages)
}
