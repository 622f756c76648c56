package telemetry

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// expect keys that relate the span to others instead of matching its own
// fields.
var relationKeys = []string{"parent", "links", "before", "after", "inside"}

// spanAssertions runs span_assertions in order: each item selects unconsumed
// spans, checks the count, consumes and covers them and applies expect to
// each. Then come require_all_spans and exact_attribute_prefixes.
func (c *checker) spanAssertions(a map[string]any) {
	raw, present := a["span_assertions"]
	if !present || raw == nil {
		return
	}
	items, ok := raw.([]any)
	if m, isMap := raw.(map[string]any); isMap {
		for _, k := range sortedKeys(m) {
			items = append(items, m[k])
		}
		ok = true
	}
	if !ok {
		c.fail("span_assertions: want a list, got %v", raw)
		return
	}
	prefixes, err := stringList(a, "exact_attribute_prefixes", nil)
	if err != nil {
		c.errs = append(c.errs, err)
		return
	}
	consumed := make([]bool, len(c.view))
	for i, it := range items {
		item, ok := it.(map[string]any)
		where := fmt.Sprintf("span_assertions[%d]", i)
		if !ok {
			c.fail("%s: want a mapping, got %v", where, it)
			continue
		}
		if err := checkKeys(item, where, "select", "expect", "count"); err != nil {
			c.errs = append(c.errs, err)
			continue
		}
		c.assertion(where, item, consumed, prefixes)
	}
	if on, _ := a["require_all_spans"].(bool); on {
		c.allCovered(a["span_assertion_scope"], consumed)
	}
}

// assertion runs one span_assertions item.
func (c *checker) assertion(where string, item map[string]any, consumed []bool, prefixes []string) {
	sel, _ := item["select"].(map[string]any)
	if item["select"] != nil && sel == nil {
		c.fail("%s: select must be a mapping", where)
		return
	}
	expect, ok := item["expect"].(map[string]any)
	if !ok {
		c.fail("%s: expect is required and must be a mapping", where)
		return
	}
	where = fmt.Sprintf("%s (select %s)", where, show(sel))
	var matched []int
	for i, s := range c.view {
		if !consumed[i] && matches(orEmpty(sel), s.canonical()) {
			matched = append(matched, i)
		}
	}
	if err := checkCount(item["count"], len(matched)); err != "" {
		c.fail("%s: %s", where, err)
		return
	}
	for _, i := range matched {
		consumed[i] = true
	}
	for _, i := range matched {
		c.expect(where, c.view[i], expect, prefixes)
	}
}

// checkCount returns why n matches do not satisfy count ("" when they do).
func checkCount(count any, n int) string {
	switch want := count.(type) {
	case nil:
		switch {
		case n == 0:
			return "matched no spans"
		case n > 1:
			return fmt.Sprintf("must select exactly one span, matched %d", n)
		}
		return ""
	case int64:
		if int64(n) != want {
			return fmt.Sprintf("matched %d spans, want %d", n, want)
		}
		return ""
	case int:
		return checkCount(int64(want), n)
	case map[string]any:
		alts, ok := anyOf(want)
		if !ok {
			return fmt.Sprintf("count: bad value %v", count)
		}
		for _, alt := range alts {
			if checkCount(alt, n) == "" {
				return ""
			}
		}
		return fmt.Sprintf("matched %d spans, want one of %v", n, alts)
	}
	return fmt.Sprintf("count: bad value %v", count)
}

// expect checks one selected span.
func (c *checker) expect(where string, s *Span, expect map[string]any, prefixes []string) {
	where = fmt.Sprintf("%s: span %s %q", where, s.SpanID, s.Name)
	canon := s.canonical()
	for _, k := range sortedKeys(expect) {
		if slices.Contains(relationKeys, k) {
			continue
		}
		v, present := canon[k]
		if !present {
			c.fail("%s: has no field %q", where, k)
			continue
		}
		if !matches(expect[k], v) {
			c.fail("%s: %s is %s, want %s", where, k, show(v), show(expect[k]))
		}
	}
	if p, ok := expect["parent"]; ok {
		c.parent(where, s, p)
	}
	if l, ok := expect["links"]; ok {
		c.links(where, s, l)
	}
	for _, rel := range []string{"before", "after", "inside"} {
		if sel, ok := expect[rel]; ok {
			c.temporal(where, s, rel, sel)
		}
	}
	if attrs, ok := expect["attributes"].(map[string]any); ok {
		for _, prefix := range prefixes {
			want, got := keysWithPrefix(attrs, prefix), keysWithPrefix(s.Attributes, prefix)
			if !slices.Equal(want, got) {
				c.fail("%s: exact_attribute_prefixes %q: attributes %v, want exactly %v", where, prefix, got, want)
			}
		}
	}
}

// parent checks expect.parent: a present parent in the same trace that
// matches, and contains the span unless $allow_outside.
func (c *checker) parent(where string, s *Span, raw any) {
	pattern, ok := raw.(map[string]any)
	if !ok {
		c.fail("%s: parent must be a mapping", where)
		return
	}
	if s.ParentSpanID == "" {
		c.fail("%s: has no parent", where)
		return
	}
	outside, pattern := flag(pattern, "$allow_outside")
	var candidates []*Span
	for _, p := range c.view {
		if p.SpanID == s.ParentSpanID && p.TraceID == s.TraceID {
			candidates = append(candidates, p)
		}
	}
	if len(candidates) == 0 {
		c.fail("%s: parent %s is not among the exported spans", where, s.ParentSpanID)
		return
	}
	var matching []*Span
	for _, p := range candidates {
		if matches(pattern, p.canonical()) {
			matching = append(matching, p)
		}
	}
	if len(matching) == 0 {
		c.fail("%s: parent %s %q does not match %s", where, s.ParentSpanID, candidates[0].Name, show(pattern))
		return
	}
	if outside {
		return
	}
	for _, p := range matching {
		if s.inside(p) {
			return
		}
	}
	p := matching[0]
	c.fail("%s: lies outside its parent %q (%s..%s, parent %s..%s)", where, p.Name, s.Start, s.End, p.Start, p.End)
}

// links checks expect.links: a list (or $any_of lists) the span's links
// match in order.
func (c *checker) links(where string, s *Span, raw any) {
	if m, ok := raw.(map[string]any); ok {
		alts, ok := anyOf(m)
		if !ok {
			c.fail("%s: links must be a list or {$any_of: [lists]}", where)
			return
		}
		var first []string
		for _, alt := range alts {
			errs := c.linkList(s, alt)
			if len(errs) == 0 {
				return
			}
			if first == nil {
				first = errs
			}
		}
		c.fail("%s: links match no alternative (first: %s)", where, strings.Join(first, "; "))
		return
	}
	for _, e := range c.linkList(s, raw) {
		c.fail("%s: %s", where, e)
	}
}

// linkList returns why the span's links do not match list.
func (c *checker) linkList(s *Span, raw any) []string {
	list, ok := raw.([]any)
	if !ok {
		return []string{fmt.Sprintf("links must be a list, got %v", raw)}
	}
	if len(list) != len(s.Links) {
		return []string{fmt.Sprintf("has %d links, want %d", len(s.Links), len(list))}
	}
	var errs []string
	for i, it := range list {
		item, ok := it.(map[string]any)
		if !ok {
			errs = append(errs, fmt.Sprintf("link %d: want a mapping", i))
			continue
		}
		if e := c.link(s.Links[i], item); e != "" {
			errs = append(errs, fmt.Sprintf("link %d: %s", i, e))
		}
	}
	return errs
}

// link checks one link against its item (count, $occurrence).
func (c *checker) link(l Link, item map[string]any) string {
	pattern := make(map[string]any, len(item))
	for k, v := range item {
		if k != "count" && k != "$occurrence" {
			pattern[k] = v
		}
	}
	var candidates []*Span
	for _, s := range c.view {
		if s.SpanID == l.SpanID && s.TraceID == l.TraceID {
			candidates = append(candidates, s)
		}
	}
	if len(candidates) == 0 {
		return fmt.Sprintf("linked span %s/%s is not present", l.TraceID, l.SpanID)
	}
	n := 0
	for _, s := range candidates {
		if matches(pattern, s.canonical()) {
			n++
		}
	}
	want := int64(1)
	if cnt, ok := item["count"]; ok {
		switch x := cnt.(type) {
		case int64:
			want = x
		case int:
			want = int64(x)
		default:
			return fmt.Sprintf("count %v is not an integer", cnt)
		}
	}
	if int64(n) != want {
		return fmt.Sprintf("linked span %q matches %s %d times, want %d", candidates[0].Name, show(pattern), n, want)
	}
	occ, ok := item["$occurrence"]
	if !ok {
		return ""
	}
	k, isInt := occ.(int64)
	if x, isGoInt := occ.(int); isGoInt {
		k, isInt = int64(x), true
	}
	if !isInt || k < 1 {
		return fmt.Sprintf("$occurrence %v is not a positive integer", occ)
	}
	ordered := c.occurrences(pattern)
	if int64(len(ordered)) < k {
		return fmt.Sprintf("$occurrence %d: only %d spans match %s", k, len(ordered), show(pattern))
	}
	if o := ordered[k-1]; o.SpanID != l.SpanID || o.TraceID != l.TraceID {
		return fmt.Sprintf("links to %q %s, want occurrence %d of %s (%s)", candidates[0].Name, l.SpanID, k, show(pattern), o.SpanID)
	}
	return ""
}

// occurrences are the distinct spans matching pattern, in (start, end,
// trace id, span id) order.
func (c *checker) occurrences(pattern map[string]any) []*Span {
	seen := map[[2]string]bool{}
	var out []*Span
	for _, s := range c.view {
		key := [2]string{s.TraceID, s.SpanID}
		if !seen[key] && matches(pattern, s.canonical()) {
			seen[key] = true
			out = append(out, s)
		}
	}
	slices.SortStableFunc(out, func(a, b *Span) int {
		return cmp.Or(a.Start.Compare(b.Start), a.End.Compare(b.End), cmp.Compare(a.TraceID, b.TraceID), cmp.Compare(a.SpanID, b.SpanID))
	})
	return out
}

// temporal checks before, after or inside: exactly one other span (among
// the linked ones with $linked) matches the selector, and the times relate.
func (c *checker) temporal(where string, s *Span, rel string, raw any) {
	pattern, ok := raw.(map[string]any)
	if !ok {
		c.fail("%s: %s must be a mapping", where, rel)
		return
	}
	linked, pattern := flag(pattern, "$linked")
	var others []*Span
	for _, o := range c.view {
		if o == s || !matches(pattern, o.canonical()) {
			continue
		}
		if linked && !slices.Contains(s.Links, Link{TraceID: o.TraceID, SpanID: o.SpanID}) {
			continue
		}
		others = append(others, o)
	}
	if len(others) != 1 {
		c.fail("%s: %s %s: %d spans match, want exactly one", where, rel, show(pattern), len(others))
		return
	}
	o := others[0]
	var holds bool
	switch rel {
	case "before":
		holds = !s.End.After(o.Start)
	case "after":
		holds = !s.Start.Before(o.End)
	case "inside":
		holds = s.inside(o)
	}
	if !holds {
		c.fail("%s: is not %s %q (%s..%s vs %s..%s)", where, rel, o.Name, s.Start, s.End, o.Start, o.End)
	}
}

// allCovered fails for every span in scope that no item covered.
func (c *checker) allCovered(scope any, covered []bool) {
	var selectors []any
	switch x := scope.(type) {
	case nil:
	case []any:
		selectors = x
	case map[string]any:
		selectors = []any{x}
	default:
		c.fail("span_assertion_scope: want a mapping or a list, got %v", scope)
		return
	}
	var missed []string
	for i, s := range c.view {
		if covered[i] {
			continue
		}
		inScope := len(selectors) == 0
		for _, sel := range selectors {
			inScope = inScope || matches(sel, s.canonical())
		}
		if inScope {
			missed = append(missed, fmt.Sprintf("%s %q %v", s.SpanID, s.Name, s.Attributes))
		}
	}
	if len(missed) > 0 {
		c.fail("require_all_spans: %d spans are not covered by any assertion: %s", len(missed), strings.Join(missed, "; "))
	}
}

// flag removes key from pattern and reports whether it was true.
func flag(pattern map[string]any, key string) (bool, map[string]any) {
	v, present := pattern[key]
	if !present {
		return false, pattern
	}
	rest := make(map[string]any, len(pattern))
	for k, e := range pattern {
		if k != key {
			rest[k] = e
		}
	}
	on, _ := v.(bool)
	return on, rest
}

func keysWithPrefix[V any](m map[string]V, prefix string) []string {
	var out []string
	for _, k := range sortedKeys(m) {
		if strings.HasPrefix(k, prefix) {
			out = append(out, k)
		}
	}
	return out
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

func show(v any) string { return fmt.Sprintf("%v", v) }
