package engine

// Flat batches run their items in virtual contexts: a virtual context gives
// its operations ids prefixed by its own id (so concurrent items keep
// deterministic, distinct ids) but records nothing itself; its operations
// are recorded as children of the nearest real context.

// recordID returns the id that operations started on c record as their
// ParentId: c's id, or for a virtual context that of its nearest real
// ancestor.
func (c *Context) recordID() string {
	for c.virtual {
		c = c.parent
	}
	return c.id
}

// virtualChild returns the virtual context of item i of the batch whose
// context is c.
func (c *Context) virtualChild(i int, name string) *Context {
	v := c.child(c.Context, ChildID(c.id, int64(i+1)), name, c.replaying.Load())
	v.virtual = true
	return v
}
