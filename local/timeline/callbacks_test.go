package timeline

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

func TestOpenCallbacks(t *testing.T) {
	started := func(op, name, id string) types.Event {
		return types.Event{EventType: types.EventTypeCallbackStarted, Id: aws.String(op), Name: aws.String(name),
			CallbackStartedDetails: &types.CallbackStartedDetails{CallbackId: aws.String(id)}}
	}
	ended := func(typ types.EventType, op string) types.Event {
		return types.Event{EventType: typ, Id: aws.String(op)}
	}
	events := []types.Event{
		{EventType: types.EventTypeContextStarted, Id: aws.String("0"), Name: aws.String("parent")},
		started("1", "a", "cb-a"),
		started("2", "b", "cb-b"),
		started("3", "c", "cb-c"),
		started("4", "d", "cb-d"),
		{EventType: types.EventTypeCallbackStarted, Id: aws.String("0-1"), ParentId: aws.String("0"),
			CallbackStartedDetails: &types.CallbackStartedDetails{CallbackId: aws.String("cb-child")}},
		{EventType: types.EventTypeCallbackStarted, Id: aws.String("5")}, // no details: ignored
		ended(types.EventTypeCallbackSucceeded, "1"),
		ended(types.EventTypeCallbackTimedOut, "3"),
		ended(types.EventTypeCallbackFailed, "4"),
		ended(types.EventTypeStepSucceeded, "2"), // not a callback event
	}
	got := OpenCallbacks(events)
	want := []Callback{
		{OperationId: "2", Name: "b", CallbackId: "cb-b"},
		{OperationId: "0-1", ParentName: "parent", CallbackId: "cb-child"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("OpenCallbacks = %+v, want %+v", got, want)
	}
	if l := []string{got[0].Label(), got[1].Label(), (Callback{OperationId: "7"}).Label()}; !slices.Equal(l, []string{"b", "parent", "operation 7"}) {
		t.Errorf("labels = %q", l)
	}
	if got := OpenCallbacks(nil); len(got) != 0 {
		t.Errorf("OpenCallbacks(nil) = %+v", got)
	}
}
