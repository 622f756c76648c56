package local

import "encoding/json"

// eventChunk is the number of events in one chunk of an eventLog.
const eventChunk = 256

// eventLog is an execution's history: compact events in fixed-size chunks, so that
// appending never copies the events already there (a flat slice that
// doubles leaves about twice the history's size as garbage behind it). It
// persists as a plain JSON array of events.
type eventLog struct {
	chunks [][]storedEvent
	n      int
}

// Len returns the number of events.
func (l *eventLog) Len() int { return l.n }

// At returns the event at index i (0-based).
func (l *eventLog) At(i int) Event { return l.chunks[i/eventChunk][i%eventChunk].event() }

// add appends ev.
func (l *eventLog) add(ev storedEvent) {
	if l.n%eventChunk == 0 {
		l.chunks = append(l.chunks, make([]storedEvent, 0, eventChunk))
	}
	last := len(l.chunks) - 1
	l.chunks[last] = append(l.chunks[last], ev)
	l.n++
}

// MarshalJSON writes the events as one JSON array.
func (l eventLog) MarshalJSON() ([]byte, error) {
	flat := make([]storedEvent, 0, l.n)
	for _, c := range l.chunks {
		flat = append(flat, c...)
	}
	return json.Marshal(flat)
}

// UnmarshalJSON reads a JSON array of events.
func (l *eventLog) UnmarshalJSON(b []byte) error {
	var flat []storedEvent
	if err := json.Unmarshal(b, &flat); err != nil {
		return err
	}
	*l = eventLog{}
	for _, ev := range flat {
		l.add(ev)
	}
	return nil
}

// stored returns the compact event at index i.
func (l *eventLog) stored(i int) *storedEvent { return &l.chunks[i/eventChunk][i%eventChunk] }

// truncate drops the events from index n on.
func (l *eventLog) truncate(n int) {
	for l.n > n {
		last := len(l.chunks) - 1
		c := l.chunks[last]
		drop := min(len(c), l.n-n)
		l.chunks[last] = c[:len(c)-drop]
		l.n -= drop
		if len(l.chunks[last]) == 0 {
			l.chunks = l.chunks[:last]
		}
	}
}
