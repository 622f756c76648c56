package durable

import (
	"encoding/json"
	"fmt"
)

// split groups items into batches.
func (b ItemBatcher[I]) split(items []I) ([]Batch[I], error) {
	switch {
	case b.MaxItems < 0:
		return nil, &ValidationError{Field: "item batcher", Message: fmt.Sprintf("MaxItems %d is negative", b.MaxItems)}
	case b.MaxBytes < 0:
		return nil, &ValidationError{Field: "item batcher", Message: fmt.Sprintf("MaxBytes %d is negative", b.MaxBytes)}
	case b.MaxItems == 0 && b.MaxBytes == 0:
		return nil, &ValidationError{Field: "item batcher", Message: "set MaxItems, MaxBytes or both"}
	}
	size := b.Size
	if size == nil {
		size = func(item I) (int, error) {
			data, err := json.Marshal(item)
			return len(data), err
		}
	}
	var (
		out   []Batch[I]
		cur   Batch[I]
		bytes int
	)
	flush := func(next int) {
		if len(cur.Items) > 0 {
			out = append(out, cur)
		}
		cur = Batch[I]{Index: len(out), Start: next}
		bytes = 0
	}
	for i, item := range items {
		n := 0
		if b.MaxBytes > 0 {
			var err error
			if n, err = size(item); err != nil {
				return nil, &ValidationError{Field: "item batcher", Message: fmt.Sprintf("sizing item %d: %v", i, err)}
			}
		}
		full := b.MaxItems > 0 && len(cur.Items) == b.MaxItems
		over := b.MaxBytes > 0 && len(cur.Items) > 0 && bytes+n > b.MaxBytes
		if full || over {
			flush(i)
		}
		cur.Items = append(cur.Items, item)
		bytes += n
	}
	flush(len(items))
	return out, nil
}
