package slab

import "testing"

func TestSlabHandsOutDistinctZeroValues(t *testing.T) {
	var s Slab[[2]int]
	seen := map[*[2]int]bool{}
	for i := range 3000 {
		p := s.New()
		if seen[p] {
			t.Fatalf("value %d handed out twice", i)
		}
		if *p != [2]int{} {
			t.Fatalf("value %d is not zero: %v", i, *p)
		}
		seen[p] = true
		p[0], p[1] = i, -i // writing one does not touch the others
	}
	for p := range seen {
		if p[0] != -p[1] {
			t.Fatalf("a value was overwritten: %v", *p)
		}
	}
}

func TestSlabChunksDoubleUpToTheBound(t *testing.T) {
	var s Slab[int]
	chunks := 0
	for range 5000 {
		if len(s.free) == 0 {
			chunks++
		}
		s.New()
	}
	// 1+2+...+1024 = 2047 in 11 chunks, then 3 more of 1024.
	if chunks != 14 || s.chunk != maxChunk {
		t.Fatalf("%d chunks, last of %d", chunks, s.chunk)
	}
}

func BenchmarkSlab(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		var s Slab[[7]int]
		for range 1000 {
			s.New()
		}
	}
}
