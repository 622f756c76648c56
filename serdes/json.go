package serdes

import (
	"fmt"
	"reflect"

	"github.com/lambda-durable/durable/internal/jsonenc"
)

// JSON is the default Serdes: it encodes with encoding/json, except that
// <, >, &, U+2028 and U+2029 are written as themselves instead of being
// escaped, as AWS's JavaScript and Python SDKs write them, so a payload has
// the same bytes whichever SDK wrote it. A nil value serializes to "null";
// deserializing "" or "null" leaves the destination at its zero value.
type JSON struct{}

// Serialize encodes v as JSON.
func (JSON) Serialize(sc Context, v any) (string, error) {
	if v == nil {
		return "null", nil
	}
	s, err := jsonenc.String(v)
	if err != nil {
		return "", serErr(sc, err)
	}
	return s, nil
}

// Deserialize decodes JSON data into into.
func (JSON) Deserialize(sc Context, data string, into any) error {
	rv, err := target(into)
	if err != nil {
		return deErr(sc, err)
	}
	if data == "" || data == "null" {
		rv.Elem().SetZero()
		return nil
	}
	if err := jsonenc.Unmarshal(data, into); err != nil {
		return deErr(sc, err)
	}
	return nil
}

// target checks that into is a non-nil pointer and returns its value.
func target(into any) (reflect.Value, error) {
	rv := reflect.ValueOf(into)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return reflect.Value{}, fmt.Errorf("%w, got %T", ErrNilPointer, into)
	}
	return rv, nil
}
