package serdes

import "fmt"

// Raw passes text through unchanged: strings and byte slices serialize to
// themselves and deserialize into *string, *[]byte or *any (as a string).
// It is the default for callback results, which the service stores as the
// bytes the callback sender supplied. A nil value serializes to "", and ""
// deserializes to the destination's zero value ("" for a string, nil for a
// []byte or an any), as JSON does.
type Raw struct{}

// Serialize returns v's text.
func (Raw) Serialize(sc Context, v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return x, nil
	case []byte:
		return string(x), nil
	case *string:
		if x != nil {
			return *x, nil
		}
		return "", nil
	case *[]byte:
		if x != nil {
			return string(*x), nil
		}
		return "", nil
	}
	return "", serErr(sc, fmt.Errorf("raw: %w %T (want string or []byte)", ErrUnsupported, v))
}

// Deserialize stores data in into.
func (Raw) Deserialize(sc Context, data string, into any) error {
	switch p := into.(type) {
	case *string:
		if p != nil {
			*p = data
			return nil
		}
	case *[]byte:
		if p != nil {
			*p = nil
			if data != "" {
				*p = []byte(data)
			}
			return nil
		}
	case *any:
		if p != nil {
			*p = nil
			if data != "" {
				*p = data
			}
			return nil
		}
	default:
		if _, err := target(into); err != nil {
			return deErr(sc, err)
		}
		return deErr(sc, fmt.Errorf("raw: %w %T (want *string, *[]byte or *any)", ErrUnsupported, into))
	}
	return deErr(sc, fmt.Errorf("%w, got %T", ErrNilPointer, into))
}
