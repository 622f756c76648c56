package match

import (
	"fmt"
	"slices"
)

// History checks actual events against the expected ones. Events are paired by
// EventId; actual events that are not expected are ignored. Within an event
// the EventType is checked first, then the other expected keys in name order.
// Placeholders bind in b, in the order the expected events are listed. The
// first departure is returned as a *Mismatch; nil means the history matches.
func History(expected, actual []map[string]any, b Bindings) error {
	byID := make(map[int64]map[string]any, len(actual))
	var last int64
	for i, ev := range actual {
		id, ok := eventID(ev)
		if !ok {
			return &Mismatch{EventID: 0, Path: fmt.Sprintf("history[%d].EventId", i), Expected: "an integer",
				Actual: ev["EventId"], Absent: ev["EventId"] == nil, Reason: "actual event without a usable EventId"}
		}
		byID[id] = ev
		last = max(last, id)
	}
	m := matcher{b: b}
	for _, exp := range expected {
		id, ok := eventID(exp)
		if !ok {
			return &Mismatch{Path: "EventId", Expected: exp["EventId"], Reason: "expected event without a usable EventId"}
		}
		typ, _ := exp["EventType"].(string)
		act, ok := byID[id]
		if !ok {
			return &Mismatch{EventID: id, EventType: typ, Expected: exp, Absent: true,
				Reason: fmt.Sprintf("no such event (the history has %d events)", last)}
		}
		keys := slices.DeleteFunc(sortedKeys(exp), func(k string) bool { return k == "EventType" })
		if _, ok := exp["EventType"]; ok {
			keys = append([]string{"EventType"}, keys...)
		}
		for _, k := range keys {
			v, present := act[k]
			if mm := m.match(k, exp[k], v, present); mm != nil {
				mm.EventID, mm.EventType = id, typ
				return mm
			}
		}
	}
	return nil
}

// eventID reads an event's EventId as an integer.
func eventID(ev map[string]any) (int64, bool) {
	r, ok := toRat(ev["EventId"])
	if !ok || !r.IsInt() || !r.Num().IsInt64() {
		return 0, false
	}
	return r.Num().Int64(), true
}
