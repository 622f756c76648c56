package serdes_test

import (
	"errors"
	"math"
	"reflect"
	"strconv"
	"testing"

	"github.com/lambda-durable/durable/serdes"
)

var sc = serdes.Context{OperationID: "op-1", ExecutionARN: "arn:aws:lambda:us-east-1:123456789012:function:f:1/durable-execution/e/1"}

type order struct {
	ID    string   `json:"id"`
	Items []string `json:"items"`
	Total float64  `json:"total"`
}

func TestJSONRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
		into func() any // returns a pointer to decode into
	}{
		{"string", "hi", `"hi"`, func() any { return new(string) }},
		{"int", 42, `42`, func() any { return new(int) }},
		{"float", 1.5, `1.5`, func() any { return new(float64) }},
		{"bool", true, `true`, func() any { return new(bool) }},
		{"object", order{ID: "o1", Items: []string{"a"}, Total: 2}, `{"id":"o1","items":["a"],"total":2}`, func() any { return new(order) }},
		{"array", []int{1, 2, 3}, `[1,2,3]`, func() any { return new([]int) }},
		{"map", map[string]int{"b": 2, "a": 1}, `{"a":1,"b":2}`, func() any { return new(map[string]int) }},
		{"nil", nil, `null`, func() any { return new(any) }},
		{"nil pointer", (*order)(nil), `null`, func() any { return new(*order) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := serdes.JSON{}.Serialize(sc, tt.in)
			if err != nil {
				t.Fatalf("Serialize: %v", err)
			}
			if got != tt.want {
				t.Fatalf("Serialize = %s, want %s", got, tt.want)
			}
			p := tt.into()
			if err := (serdes.JSON{}).Deserialize(sc, got, p); err != nil {
				t.Fatalf("Deserialize: %v", err)
			}
			back := reflect.ValueOf(p).Elem().Interface()
			want := tt.in
			if want == nil {
				want = back // *any decoded from null stays nil
				if back != nil {
					t.Fatalf("Deserialize(null) into *any = %v, want nil", back)
				}
			}
			if !reflect.DeepEqual(back, want) {
				t.Fatalf("round trip = %#v, want %#v", back, want)
			}
		})
	}
}

func TestJSONEmptyAndNullLeaveZero(t *testing.T) {
	for _, data := range []string{"", "null"} {
		v := order{ID: "stale", Total: 3}
		if err := (serdes.JSON{}).Deserialize(sc, data, &v); err != nil {
			t.Fatalf("Deserialize(%q): %v", data, err)
		}
		if !reflect.DeepEqual(v, order{}) {
			t.Fatalf("Deserialize(%q) = %+v, want zero", data, v)
		}
	}
}

func TestJSONErrors(t *testing.T) {
	_, err := serdes.JSON{}.Serialize(sc, math.Inf(1))
	assertSerdesErr(t, err, serdes.OpSerialize)
	_, err = serdes.JSON{}.Serialize(sc, make(chan int))
	assertSerdesErr(t, err, serdes.OpSerialize)

	var n int
	assertSerdesErr(t, serdes.JSON{}.Deserialize(sc, `"text"`, &n), serdes.OpDeserialize)
	assertSerdesErr(t, serdes.JSON{}.Deserialize(sc, `{"id":`, new(order)), serdes.OpDeserialize)
	assertSerdesErr(t, serdes.JSON{}.Deserialize(sc, `1 2`, &n), serdes.OpDeserialize)

	for _, into := range []any{nil, n, (*int)(nil)} {
		err := serdes.JSON{}.Deserialize(sc, "1", into)
		assertSerdesErr(t, err, serdes.OpDeserialize)
		if !errors.Is(err, serdes.ErrNilPointer) {
			t.Errorf("Deserialize into %T: %v, want ErrNilPointer", into, err)
		}
	}
}

func TestRaw(t *testing.T) {
	for _, in := range []any{"payload", []byte("payload"), ptr("payload"), ptr([]byte("payload"))} {
		got, err := serdes.Raw{}.Serialize(sc, in)
		if err != nil || got != "payload" {
			t.Fatalf("Serialize(%T) = %q, %v", in, got, err)
		}
	}
	if got, err := (serdes.Raw{}).Serialize(sc, nil); err != nil || got != "" {
		t.Fatalf("Serialize(nil) = %q, %v", got, err)
	}
	_, err := serdes.Raw{}.Serialize(sc, 42)
	assertSerdesErr(t, err, serdes.OpSerialize)
	if !errors.Is(err, serdes.ErrUnsupported) {
		t.Fatalf("Serialize(int) = %v, want ErrUnsupported", err)
	}

	var s string
	var b []byte
	var a any
	for _, p := range []any{&s, &b, &a} {
		if err := (serdes.Raw{}).Deserialize(sc, `{"not":"parsed"}`, p); err != nil {
			t.Fatalf("Deserialize into %T: %v", p, err)
		}
	}
	if s != `{"not":"parsed"}` || string(b) != s || a != s {
		t.Fatalf("Deserialize = %q, %q, %v", s, b, a)
	}
	var n int
	err = serdes.Raw{}.Deserialize(sc, "1", &n)
	assertSerdesErr(t, err, serdes.OpDeserialize)
	if !errors.Is(err, serdes.ErrUnsupported) {
		t.Fatalf("Deserialize into *int = %v, want ErrUnsupported", err)
	}
	for _, into := range []any{nil, s, (*string)(nil), (*[]byte)(nil)} {
		err := serdes.Raw{}.Deserialize(sc, "1", into)
		if !errors.Is(err, serdes.ErrNilPointer) {
			t.Errorf("Deserialize into %T: %v, want ErrNilPointer", into, err)
		}
	}
}

func TestTyped(t *testing.T) {
	var seen serdes.Context
	s := serdes.Typed(
		func(c serdes.Context, v int) (string, error) { seen = c; return strconv.Itoa(v), nil },
		func(c serdes.Context, d string) (int, error) { return strconv.Atoi(d) },
	)
	got, err := s.Serialize(sc, 7)
	if err != nil || got != "7" {
		t.Fatalf("Serialize = %q, %v", got, err)
	}
	if seen != sc {
		t.Fatalf("ser got context %+v, want %+v", seen, sc)
	}
	var n int
	if err := s.Deserialize(sc, "8", &n); err != nil || n != 8 {
		t.Fatalf("Deserialize = %d, %v", n, err)
	}

	_, err = s.Serialize(sc, "7")
	if !errors.Is(err, serdes.ErrUnsupported) {
		t.Fatalf("Serialize(string) = %v, want ErrUnsupported", err)
	}
	_, err = s.Serialize(sc, nil)
	if !errors.Is(err, serdes.ErrUnsupported) {
		t.Fatalf("Serialize(nil) for int = %v, want ErrUnsupported", err)
	}
	err = s.Deserialize(sc, "x", &n)
	assertSerdesErr(t, err, serdes.OpDeserialize)
	if !errors.Is(err, strconv.ErrSyntax) {
		t.Fatalf("Deserialize(x) = %v, want the function's error wrapped", err)
	}
	if err := s.Deserialize(sc, "1", new(string)); !errors.Is(err, serdes.ErrUnsupported) {
		t.Fatalf("Deserialize into *string = %v, want ErrUnsupported", err)
	}
	if err := s.Deserialize(sc, "1", (*int)(nil)); !errors.Is(err, serdes.ErrNilPointer) {
		t.Fatalf("Deserialize into nil *int = %v, want ErrNilPointer", err)
	}

	// nil is a valid value for a pointer T.
	ps := serdes.Typed(
		func(_ serdes.Context, v *order) (string, error) {
			if v == nil {
				return "none", nil
			}
			return v.ID, nil
		},
		func(_ serdes.Context, d string) (*order, error) { return &order{ID: d}, nil },
	)
	if got, err := ps.Serialize(sc, nil); err != nil || got != "none" {
		t.Fatalf("Serialize(nil) for *order = %q, %v", got, err)
	}

	// Missing functions are reported, not dereferenced.
	empty := serdes.Typed[int](nil, nil)
	if _, err := empty.Serialize(sc, 1); err == nil {
		t.Fatal("Serialize with nil function: want error")
	}
	if err := empty.Deserialize(sc, "1", &n); err == nil {
		t.Fatal("Deserialize with nil function: want error")
	}
}

func TestErrorMessage(t *testing.T) {
	err := &serdes.Error{Op: serdes.OpDeserialize, OperationID: "abc", Err: errors.New("boom")}
	if got, want := err.Error(), "serdes: deserialize operation abc: boom"; got != want {
		t.Fatalf("Error() = %q, want %q", got, want)
	}
	err = &serdes.Error{Op: serdes.OpSerialize}
	if got, want := err.Error(), "serdes: serialize"; got != want {
		t.Fatalf("Error() = %q, want %q", got, want)
	}
}

func assertSerdesErr(t *testing.T, err error, op string) {
	t.Helper()
	var se *serdes.Error
	if !errors.As(err, &se) {
		t.Fatalf("error %v (%T) is not a *serdes.Error", err, err)
	}
	if se.Op != op || se.OperationID != sc.OperationID {
		t.Fatalf("error = %+v, want Op %q and OperationID %q", se, op, sc.OperationID)
	}
}

func ptr[T any](v T) *T { return &v }

func BenchmarkJSONSerialize(b *testing.B) {
	v := order{ID: "o1", Items: []string{"a", "b"}, Total: 3}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := (serdes.JSON{}).Serialize(sc, v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkJSONDeserialize(b *testing.B) {
	data := `{"id":"o1","items":["a","b"],"total":3}`
	b.ReportAllocs()
	for b.Loop() {
		var v order
		if err := (serdes.JSON{}).Deserialize(sc, data, &v); err != nil {
			b.Fatal(err)
		}
	}
}

func TestJSONWritesHTMLAndLineSeparatorsLiterally(t *testing.T) {
	in := map[string]string{"note": "a<b>&c\u2028d"}
	got, err := serdes.JSON{}.Serialize(serdes.Context{}, in)
	if want := "{\"note\":\"a<b>&c\u2028d\"}"; err != nil || got != want {
		t.Fatalf("Serialize = %q, %v; want %q", got, err, want)
	}
	var back map[string]string
	if err := (serdes.JSON{}).Deserialize(serdes.Context{}, got, &back); err != nil || back["note"] != in["note"] {
		t.Fatalf("round trip = %q, %v", back, err)
	}
}

func TestRawEmptyIsZeroValue(t *testing.T) {
	s, b, a := "x", []byte("x"), any("x")
	for _, p := range []any{&s, &b, &a} {
		if err := (serdes.Raw{}).Deserialize(serdes.Context{}, "", p); err != nil {
			t.Fatalf("Deserialize(\"\") into %T: %v", p, err)
		}
	}
	if s != "" || b != nil || a != nil {
		t.Fatalf("Deserialize(\"\") = %q, %#v, %#v; want zero values", s, b, a)
	}
}
