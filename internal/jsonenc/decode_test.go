package jsonenc

import (
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// record is a destination with the shapes whose decoding can fail half
// way: nested structs, slices, maps, pointers and an Unmarshaler.
type record struct {
	I     int               `json:"i"`
	OK    bool              `json:"ok"`
	S     string            `json:"s"`
	List  []int             `json:"list"`
	Map   map[string]string `json:"map"`
	Ptr   *record           `json:"ptr"`
	Hook  *hook             `json:"hook"`
	Float float64           `json:"f"`
}

// hook fails to decode "bad" (with a *json.SyntaxError of its own, the
// error type Unmarshal uses for malformed input) and counts its calls.
type hook struct{ Calls int }

func (h *hook) UnmarshalJSON(b []byte) error {
	h.Calls++
	if string(b) == `"bad"` {
		return &json.SyntaxError{Offset: 99}
	}
	return nil
}

// unmarshalInputs mixes valid values, values with trailing data,
// truncated and malformed ones, type errors and Unmarshaler errors.
var unmarshalInputs = []string{
	`{"i":1,"ok":true}`, `{"i":2,"ok":true,"s":"a\"}b","list":[1,2,3],"map":{"k":"v"}}`,
	` {"i":3} `, "{\"i\":4}\n", `{"i":5}{"i":6}`, `{"i":7} x`, `{"i":8`, `{"i":9]`, `{"i":"ten"}`,
	`{"i":11,"list":[1,"x",3],"s":12}`, `{"ptr":{"i":12,"ptr":{"s":"deep"}}}`, `{"hook":"ok"}`,
	`{"hook":"bad","i":13}`, `{"s":"\ud800 lone"}`, "{\"s\":\"\xff\"}", `{"f":1e400}`, `{"I":14,"OK":true}`,
	`[1,2]`, `"str"`, `"str" "more"`, `12`, `12 `, `12 13`, `00`, `12x`, `-0.5e+3`, `1e`, `truex`, `-`, `1.`, `true`, `tru`, `null`, ``, ` `,
	`{"s":"unterminated}`, `{"s":"\"}"}`, `[{"i":1}]`, `{}`, `{"map":{"a":"b"},"list":[]}`,
}

// TestUnmarshalMatchesEncodingJSON decodes every input with Unmarshal and
// with encoding/json, into fresh and into pre-filled destinations, in a
// sequence that reuses pooled decoders, and wants the same values and the
// same errors (offsets included).
func TestUnmarshalMatchesEncodingJSON(t *testing.T) {
	prefilled := func() record {
		return record{I: -1, S: "old", List: []int{9, 9, 9, 9}, Map: map[string]string{"old": "x"}, Hook: &hook{}}
	}
	for round := range 3 {
		for _, in := range unmarshalInputs {
			for _, fresh := range []bool{true, false} {
				var got, want record
				if !fresh {
					got, want = prefilled(), prefilled()
				}
				gotErr := Unmarshal(in, &got)
				wantErr := json.Unmarshal([]byte(in), &want)
				if !reflect.DeepEqual(gotErr, wantErr) {
					t.Errorf("round %d, %q: error %#v, encoding/json %#v", round, in, gotErr, wantErr)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("round %d, %q (fresh %v): decoded %+v, encoding/json %+v", round, in, fresh, got, want)
				}
			}
		}
	}
}

func TestUnmarshalScalarsAndAny(t *testing.T) {
	for _, in := range unmarshalInputs {
		var gotS, wantS string
		if g, w := Unmarshal(in, &gotS), json.Unmarshal([]byte(in), &wantS); !reflect.DeepEqual(g, w) || gotS != wantS {
			t.Errorf("%q into string: %q, %v; encoding/json %q, %v", in, gotS, g, wantS, w)
		}
		var gotA, wantA any
		if g, w := Unmarshal(in, &gotA), json.Unmarshal([]byte(in), &wantA); !reflect.DeepEqual(g, w) || !reflect.DeepEqual(gotA, wantA) {
			t.Errorf("%q into any: %v, %v; encoding/json %v, %v", in, gotA, g, wantA, w)
		}
	}
}

func TestUnmarshalInvalidTarget(t *testing.T) {
	var r record
	for _, target := range []any{nil, r, (*record)(nil)} {
		g, w := Unmarshal(`{"i":1}`, target), json.Unmarshal([]byte(`{"i":1}`), target)
		var invalid *json.InvalidUnmarshalError
		if !errors.As(g, &invalid) || !reflect.DeepEqual(g, w) {
			t.Errorf("target %T: %v, encoding/json %v", target, g, w)
		}
	}
}

func TestUnmarshalLargeValue(t *testing.T) {
	in := `{"s":"` + strings.Repeat("x", maxPooled) + `"}`
	var got record
	if err := Unmarshal(in, &got); err != nil || len(got.S) != maxPooled {
		t.Fatalf("len %d, %v", len(got.S), err)
	}
}

func TestSingleValue(t *testing.T) {
	for in, want := range map[string]bool{
		`{}`: true, ` [1,{"a":"]"}] `: true, `"a\\"`: true, `"a\"b"`: true, `12`: true, "true\n": true, `-1.5E-3`: true,
		`00`: false, `12x`: false, `1.`: false, `1e`: false,
		`{}{}`: false, `{} 1`: false, `"a" "b"`: false, `1 2`: false, ``: false, `  `: false,
		`{"a":"}`: false, `"abc`: false, `"abc\"`: false, `[[]`: false,
	} {
		if got := singleValue(in); got != want {
			t.Errorf("singleValue(%q) = %v, want %v", in, got, want)
		}
	}
}

// FuzzUnmarshal checks Unmarshal against encoding/json on any input.
func FuzzUnmarshal(f *testing.F) { fuzzAgainstEncodingJSON[record](f, unmarshalInputs) }

// fuzzAgainstEncodingJSON fuzzes Unmarshal into a zero T against
// encoding/json, from the seeds inputs.
func fuzzAgainstEncodingJSON[T any](f *testing.F, inputs []string) {
	for _, in := range inputs {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var got, want T
		gotErr, wantErr := Unmarshal(in, &got), json.Unmarshal([]byte(in), &want)
		if !reflect.DeepEqual(gotErr, wantErr) || !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: %+v, %v; encoding/json %+v, %v", in, got, gotErr, want, wantErr)
		}
	})
}

func BenchmarkUnmarshal(b *testing.B) {
	in := `{"i":42,"ok":true}`
	b.ReportAllocs()
	for b.Loop() {
		var r record
		if err := Unmarshal(in, &r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStdlibUnmarshal(b *testing.B) {
	in := `{"i":42,"ok":true}`
	b.ReportAllocs()
	for b.Loop() {
		var r record
		if err := json.Unmarshal([]byte(in), &r); err != nil {
			b.Fatal(err)
		}
	}
}

// plainRecord is a plain type (the plain decoder takes it): every kind
// it handles, nested, with tags of every form.
type plainRecord struct {
	I       int    `json:"i"`
	OK      bool   `json:"ok"`
	S       string `json:"s,omitempty"`
	Untaged string
	F       float64   `json:"f"`
	F32     float32   `json:"f32"`
	I8      int8      `json:"i8"`
	U16     uint16    `json:"u16"`
	List    []int     `json:"list"`
	Items   []item    `json:"items"`
	Ptr     *item     `json:"ptr"`
	PP      **int     `json:"pp"`
	Nested  item      `json:"nested"`
	Skipped string    `json:"-"`
	Dash    string    `json:"-,"`
	Strs    []*string `json:"strs"`
	hidden  int
}

type item struct {
	Name string `json:"name"`
	N    uint   `json:"n"`
}

// plainInputs exercise the plain decoder's answers and every way it gives
// up (unknown and case-folded keys, escapes, type mismatches, overflows,
// nulls, malformed and trailing input).
var plainInputs = []string{
	`{"i":1,"ok":true,"s":"x","Untaged":"u","f":1.5e3,"f32":0.1,"i8":-128,"u16":65535}`,
	`{"list":[1,2,3],"items":[{"name":"a","n":1},{"name":"b"}],"ptr":{"name":"p"},"pp":7,"nested":{"n":2}}`,
	`{"list":[],"items":null,"ptr":null,"pp":null,"strs":["a",null,"b"]}`, `{"list":null}`, `{"-":"dash"}`,
	` { "i" : 1 , "ok" : false } `, `{}`, `{"i":1,"i":2,"list":[1,2],"list":[3]}`,
	`{"nested":{"name":"a"},"nested":{"n":3}}`, `{"items":[{"name":"a"}],"items":[{"n":4}]}`,
	`{"I":1}`, `{"untaged":"fold"}`, `{"unknown":1}`, `{"Skipped":"x"}`, `{"hidden":1}`,
	`{"s":"esc\"aped"}`, `{"s":"\u00e9"}`, `{"s":"é"}`, "{\"s\":\"\xff\"}", "{\"s\":\"tab\there\"}",
	`{"i":1.5}`, `{"i":1e2}`, `{"i":"1"}`, `{"i8":128}`, `{"u16":-1}`, `{"u16":65536}`, `{"f32":1e39}`,
	`{"f":1e400}`, `{"ok":1}`, `{"ok":null}`, `{"i":null}`, `{"s":1}`, `{"list":{}}`, `{"nested":[]}`,
	`{"i":01}`, `{"i":-}`, `{"i":1,}`, `{"i":1`, `{"i" 1}`, `{i:1}`, `{"i":1}x`, `{"i":1}{}`, `{"i":tru}`,
	`[]`, `"s"`, `1`, `null`, ``, `{"list":[1 2]}`, `{"list":[1,]}`, `{"items":[{"name":"a",}]}`,
}

// TestPlainMatchesEncodingJSON compares Unmarshal with encoding/json on
// plain destinations, zero (where the plain decoder runs) and pre-filled
// (where it does not), and checks that the plain decoder answered for the
// inputs it is meant to take.
func TestPlainMatchesEncodingJSON(t *testing.T) {
	if planOf(reflect.TypeFor[plainRecord]()) == nil {
		t.Fatal("plainRecord is not plain")
	}
	for _, in := range plainInputs {
		for _, fresh := range []bool{true, false} {
			var got, want plainRecord
			if !fresh {
				got, want = plainRecord{I: 9, List: []int{9, 9}}, plainRecord{I: 9, List: []int{9, 9}}
			}
			gotErr := Unmarshal(in, &got)
			wantErr := json.Unmarshal([]byte(in), &want)
			if !reflect.DeepEqual(gotErr, wantErr) || !reflect.DeepEqual(got, want) {
				t.Errorf("%q (fresh %v): %+v, %v; encoding/json %+v, %v", in, fresh, got, gotErr, want, wantErr)
			}
		}
	}
	var r plainRecord
	if !decodePlain(plainInputs[1], reflect.ValueOf(&r), planOf(reflect.TypeFor[plainRecord]())) || r.Ptr == nil || r.Ptr.Name != "p" {
		t.Errorf("the plain decoder gave up on %s: %+v", plainInputs[1], r)
	}
}

func TestPlanOf(t *testing.T) {
	type embedded struct{ item }
	type recursive struct{ Next *recursive }
	type quoted struct {
		N int `json:"n,string"`
	}
	type conflict struct {
		A int
		B int `json:"A"`
	}
	for _, typ := range []reflect.Type{
		reflect.TypeFor[record](), reflect.TypeFor[embedded](), reflect.TypeFor[recursive](), reflect.TypeFor[quoted](),
		reflect.TypeFor[conflict](), reflect.TypeFor[[]byte](), reflect.TypeFor[map[string]int](), reflect.TypeFor[any](),
		reflect.TypeFor[json.RawMessage](), reflect.TypeFor[json.Number](),
	} {
		if planOf(typ) != nil {
			t.Errorf("%v is plain", typ)
		}
	}
	for _, typ := range []reflect.Type{reflect.TypeFor[int](), reflect.TypeFor[string](), reflect.TypeFor[[]item](), reflect.TypeFor[*float32]()} {
		if planOf(typ) == nil {
			t.Errorf("%v is not plain", typ)
		}
	}
}

// FuzzPlain checks Unmarshal against encoding/json on a plain destination.
func FuzzPlain(f *testing.F) { fuzzAgainstEncodingJSON[plainRecord](f, plainInputs) }

func BenchmarkUnmarshalPlain(b *testing.B) {
	in := `{"name":"widget","n":42}`
	b.ReportAllocs()
	for b.Loop() {
		var r item
		if err := Unmarshal(in, &r); err != nil {
			b.Fatal(err)
		}
	}
}

func TestParseIntMatchesStrconv(t *testing.T) {
	for _, num := range []string{"0", "-0", "7", "-7", "123456789012345678", "-123456789012345678", "1234567890123456789",
		"9223372036854775807", "-9223372036854775808", "9223372036854775808", "1.5", "1e3", "-", "", "12a"} {
		got, gotErr := parseInt(num)
		want, wantErr := strconv.ParseInt(num, 10, 64)
		if got != want || !reflect.DeepEqual(gotErr, wantErr) {
			t.Errorf("parseInt(%q) = %d, %v; strconv %d, %v", num, got, gotErr, want, wantErr)
		}
	}
}
