// Package timeline renders a durable execution as a readable timeline: the
// tree of its operations (parent and child through ParentId) with their
// status, attempts and durations, as aligned plain text with a text Gantt
// bar per operation, or as a Mermaid gantt block.
//
// A Timeline is built from the execution's history events (FromHistory,
// FromLambdaHistory), which is what any client can read, or from its
// operations (FromOperations), which the local service keeps in process.
package timeline

import (
	"time"

	"github.com/lambda-durable/durable/checkpoint"
)

// Timeline is an execution laid out in time.
type Timeline struct {
	// Name is the execution's name (may be empty).
	Name string
	// Status is the execution's status, e.g. "SUCCEEDED" ("" when unknown).
	Status string
	// Start and End bound the execution; End is zero while it runs.
	Start, End time.Time
	// Invocations are the function invocations, in order.
	Invocations []Invocation
	// Roots are the top-level operations, in order of appearance.
	Roots []*Span
}

// Invocation is one invocation of the function.
type Invocation struct {
	Start, End time.Time
	// Error describes the invocation's error, "" if it had none.
	Error string
}

// Span is one operation on the timeline.
type Span struct {
	Id       string
	ParentId string
	Name     string
	Type     checkpoint.OperationType
	SubType  string
	// Status is the operation's latest status. A step whose retry is
	// scheduled is PENDING.
	Status checkpoint.Status
	// Start is when the operation started; End when it ended (zero while
	// it has not).
	Start, End time.Time
	// Attempts counts a step's attempts (0 for other operations).
	Attempts int
	// Runs are the step's attempts in time, when the history shows them.
	Runs []Interval
	// Error describes the operation's final error, "" if none.
	Error string
	// Children are the operations started inside this one, in order.
	Children []*Span
}

// Interval is a stretch of time.
type Interval struct{ Start, End time.Time }

// Label returns the span's display name: its Name, or its subtype (or
// type) and id when it has no name.
func (s *Span) Label() string {
	if s.Name != "" {
		return s.Name
	}
	kind := s.SubType
	if kind == "" {
		kind = string(s.Type)
	}
	return kind + " " + shortID(s.Id)
}

// Kind returns the span's subtype, or its type when it has none.
func (s *Span) Kind() string {
	if s.SubType != "" {
		return s.SubType
	}
	return string(s.Type)
}

// Duration returns how long the span took, or has taken up to now when it
// has not ended.
func (s *Span) Duration(now time.Time) time.Duration {
	end := s.End
	if end.IsZero() {
		end = now
	}
	if end.Before(s.Start) {
		return 0
	}
	return end.Sub(s.Start)
}

// Walk calls fn for every span depth first, in order, with its depth (0 for
// roots).
func (t *Timeline) Walk(fn func(s *Span, depth int)) {
	var walk func(spans []*Span, depth int)
	walk = func(spans []*Span, depth int) {
		for _, s := range spans {
			fn(s, depth)
			walk(s.Children, depth+1)
		}
	}
	walk(t.Roots, 0)
}

// bounds returns the earliest and latest instants the timeline mentions.
func (t *Timeline) bounds() (first, last time.Time) {
	see := func(ts time.Time) {
		if ts.IsZero() {
			return
		}
		if first.IsZero() || ts.Before(first) {
			first = ts
		}
		if ts.After(last) {
			last = ts
		}
	}
	see(t.Start)
	see(t.End)
	for _, inv := range t.Invocations {
		see(inv.Start)
		see(inv.End)
	}
	t.Walk(func(s *Span, _ int) {
		see(s.Start)
		see(s.End)
	})
	return first, last
}

// shortID abbreviates a long operation id for display.
func shortID(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

// link arranges spans (in order of appearance) into a tree by ParentId. A
// parent always appears before its children, so a span whose parent is
// unknown or appears later becomes a root (which also rules out cycles).
func link(spans []*Span) []*Span {
	index := make(map[string]int, len(spans))
	for i, s := range spans {
		if _, dup := index[s.Id]; !dup {
			index[s.Id] = i
		}
	}
	var roots []*Span
	for i, s := range spans {
		if p, ok := index[s.ParentId]; ok && s.ParentId != "" && p < i {
			spans[p].Children = append(spans[p].Children, s)
			continue
		}
		roots = append(roots, s)
	}
	return roots
}
