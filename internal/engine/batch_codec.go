package engine

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/internal/jsonenc"
	"github.com/lambda-durable/durable/serdes"
)

// The stored form of a BatchResult (the payload of a Map or Parallel
// context). Each item's result is encoded with the item serdes: embedded as
// JSON ("result") when that serdes is JSON, as a string ("payload")
// otherwise. Failed items keep their ErrorObject and operation id.
type batchWire struct {
	CompletionReason CompletionReason `json:"completionReason"`
	Items            []itemWire       `json:"items"`
}

type itemWire struct {
	Index   int                     `json:"index"`
	Name    string                  `json:"name,omitempty"`
	Status  ItemStatus              `json:"status"`
	Result  json.RawMessage         `json:"result,omitempty"`
	Payload *string                 `json:"payload,omitempty"`
	ID      string                  `json:"id,omitempty"`
	Error   *checkpoint.ErrorObject `json:"error,omitempty"`
}

// batchCodec is the default whole-result serdes of a batch: the wire form
// above, with item results encoded by item.
type batchCodec[O any] struct{ item serdes.Serdes }

func isJSON(s serdes.Serdes) bool {
	switch s.(type) {
	case serdes.JSON, *serdes.JSON:
		return true
	}
	return false
}

// Serialize encodes a BatchResult[O] or *BatchResult[O].
func (c batchCodec[O]) Serialize(sc serdes.Context, v any) (string, error) {
	var b *BatchResult[O]
	switch x := v.(type) {
	case BatchResult[O]:
		b = &x
	case *BatchResult[O]:
		b = x
	}
	if b == nil {
		return "", &serdes.Error{Op: serdes.OpSerialize, OperationID: sc.OperationID,
			Err: fmt.Errorf("batch result: %w %T", serdes.ErrUnsupported, v)}
	}
	w := batchWire{CompletionReason: b.CompletionReason, Items: make([]itemWire, len(b.Items))}
	for i, it := range b.Items {
		iw := itemWire{Index: it.Index, Name: it.Name, Status: it.Status}
		switch it.Status {
		case ItemSucceeded:
			p, err := c.item.Serialize(sc, it.Result)
			if err != nil {
				return "", asSerdesError(err, sc.OperationID, serdes.OpSerialize)
			}
			if isJSON(c.item) {
				iw.Result = json.RawMessage(p)
			} else {
				iw.Payload = &p
			}
		case ItemFailed:
			obj := ErrorObjectOf(it.Err)
			iw.Error = &obj
			var ce *ChildContextError
			if errors.As(it.Err, &ce) {
				iw.ID = ce.OperationID
			}
		}
		w.Items[i] = iw
	}
	out, err := jsonenc.String(w)
	if err != nil {
		return "", &serdes.Error{Op: serdes.OpSerialize, OperationID: sc.OperationID, Err: err}
	}
	return out, nil
}

// Deserialize decodes into a *BatchResult[O].
func (c batchCodec[O]) Deserialize(sc serdes.Context, data string, into any) error {
	b, ok := into.(*BatchResult[O])
	if !ok || b == nil {
		return &serdes.Error{Op: serdes.OpDeserialize, OperationID: sc.OperationID,
			Err: fmt.Errorf("batch result: %w %T", serdes.ErrUnsupported, into)}
	}
	var w batchWire
	if err := json.Unmarshal([]byte(data), &w); err != nil {
		return &serdes.Error{Op: serdes.OpDeserialize, OperationID: sc.OperationID, Err: err}
	}
	out := BatchResult[O]{CompletionReason: w.CompletionReason, Items: make([]BatchItem[O], len(w.Items))}
	for i, iw := range w.Items {
		it := BatchItem[O]{Index: iw.Index, Name: iw.Name, Status: iw.Status}
		switch iw.Status {
		case ItemSucceeded:
			text := string(iw.Result)
			if iw.Payload != nil {
				text = *iw.Payload
			}
			if err := c.item.Deserialize(sc, text, &it.Result); err != nil {
				return asSerdesError(err, sc.OperationID, serdes.OpDeserialize)
			}
		case ItemFailed:
			e := &ChildContextError{OperationID: iw.ID, Name: iw.Name}
			if iw.Error != nil {
				e.Object = *iw.Error
			}
			it.Err = e
		case ItemStarted:
		default:
			return &serdes.Error{Op: serdes.OpDeserialize, OperationID: sc.OperationID,
				Err: fmt.Errorf("batch result: item %d has unknown status %q", iw.Index, iw.Status)}
		}
		out.Items[i] = it
	}
	*b = out
	return nil
}

// MarshalJSON encodes the result in the form a Map or Parallel context
// stores (item results as JSON, item errors as ErrorObjects).
func (b BatchResult[O]) MarshalJSON() ([]byte, error) {
	s, err := batchCodec[O]{item: serdes.JSON{}}.Serialize(serdes.Context{}, b)
	return []byte(s), err
}

// UnmarshalJSON decodes what MarshalJSON produced.
func (b *BatchResult[O]) UnmarshalJSON(data []byte) error {
	return batchCodec[O]{item: serdes.JSON{}}.Deserialize(serdes.Context{}, string(data), b)
}

// batchSummary is what a Map or Parallel context stores instead of its
// result when the result exceeds the payload limit (with ReplayChildren):
// the counts, the reason and one letter per started item (S succeeded, F
// failed, R running when abandoned), enough to rebuild the result from the
// items' own records on replay.
type batchSummary struct {
	CompletionReason CompletionReason  `json:"completionReason"`
	Status           checkpoint.Status `json:"status"`
	TotalCount       int               `json:"totalCount"`
	SuccessCount     int               `json:"successCount"`
	FailureCount     int               `json:"failureCount"`
	StartedCount     int               `json:"startedCount"`
	Items            string            `json:"items"`
}

var statusLetters = map[ItemStatus]byte{ItemSucceeded: 'S', ItemFailed: 'F', ItemStarted: 'R'}

func summarize[O any](b *BatchResult[O]) string {
	s := batchSummary{
		CompletionReason: b.CompletionReason, Status: b.Status(), TotalCount: b.TotalCount(),
		SuccessCount: b.SuccessCount(), FailureCount: b.FailureCount(), StartedCount: b.StartedCount(),
	}
	letters := make([]byte, len(b.Items))
	for i, it := range b.Items {
		letters[i] = statusLetters[it.Status]
	}
	s.Items = string(letters)
	out, _ := jsonenc.String(s) // plain strings and ints: cannot fail
	return out
}

func parseSummary(payload string) (*batchSummary, error) {
	var s batchSummary
	if err := json.Unmarshal([]byte(payload), &s); err != nil {
		return nil, fmt.Errorf("durable: unreadable batch summary: %w", err)
	}
	for i := 0; i < len(s.Items); i++ {
		switch s.Items[i] {
		case 'S', 'F', 'R':
		default:
			return nil, fmt.Errorf("durable: unreadable batch summary: item %d has status %q", i, s.Items[i])
		}
	}
	return &s, nil
}
