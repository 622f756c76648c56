package serdes

import (
	"fmt"
	"reflect"
)

// Typed adapts a pair of functions for values of type T into a Serdes.
// Serialize accepts a T, or nil when T is a pointer, interface, map, slice,
// func or channel type (ser then gets the zero T); Deserialize accepts a *T. Errors the
// functions return are wrapped in *Error.
func Typed[T any](ser func(Context, T) (string, error), de func(Context, string) (T, error)) Serdes {
	return typed[T]{ser: ser, de: de}
}

type typed[T any] struct {
	ser func(Context, T) (string, error)
	de  func(Context, string) (T, error)
}

func (t typed[T]) Serialize(sc Context, v any) (string, error) {
	if t.ser == nil {
		return "", serErr(sc, fmt.Errorf("typed: no serialize function"))
	}
	x, ok := v.(T)
	if !ok && (v != nil || !nilable[T]()) {
		return "", serErr(sc, fmt.Errorf("typed: %w %T (want %v)", ErrUnsupported, v, reflect.TypeFor[T]()))
	}
	s, err := t.ser(sc, x)
	if err != nil {
		return "", serErr(sc, err)
	}
	return s, nil
}

func (t typed[T]) Deserialize(sc Context, data string, into any) error {
	p, ok := into.(*T)
	if !ok {
		if _, err := target(into); err != nil {
			return deErr(sc, err)
		}
		return deErr(sc, fmt.Errorf("typed: %w %T (want *%v)", ErrUnsupported, into, reflect.TypeFor[T]()))
	}
	if p == nil {
		return deErr(sc, fmt.Errorf("%w, got %T", ErrNilPointer, into))
	}
	if t.de == nil {
		return deErr(sc, fmt.Errorf("typed: no deserialize function"))
	}
	v, err := t.de(sc, data)
	if err != nil {
		return deErr(sc, err)
	}
	*p = v
	return nil
}

// nilable reports whether nil is a valid T.
func nilable[T any]() bool {
	switch reflect.TypeFor[T]().Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan:
		return true
	}
	return false
}
