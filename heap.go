package extlink

// minHeap is a binary min-heap ordered by less: the queue of the planner's
// search for subtrees holding both terminals (computeXb) and of the audit's
// walks and branch searches. Elements are held by value, never boxed in an
// interface; ties must be broken by less itself (by user ID), so that pops
// come in one order for every Store (R26).
type minHeap[T any] struct {
	a    []T
	less func(a, b T) bool
}

// Len returns the number of elements.
func (h *minHeap[T]) Len() int { return len(h.a) }

// push adds x.
func (h *minHeap[T]) push(x T) {
	h.a = append(h.a, x)
	for i := len(h.a) - 1; i > 0; {
		p := (i - 1) / 2
		if !h.less(h.a[i], h.a[p]) {
			break
		}
		h.a[i], h.a[p] = h.a[p], h.a[i]
		i = p
	}
}

// pop removes and returns the least element; the heap must not be empty.
func (h *minHeap[T]) pop() T {
	n := len(h.a) - 1
	h.a[0], h.a[n] = h.a[n], h.a[0]
	for i := 0; ; {
		l := 2*i + 1
		if l >= n {
			break
		}
		j := l
		if r := l + 1; r < n && h.less(h.a[r], h.a[l]) {
			j = r
		}
		if !h.less(h.a[j], h.a[i]) {
			break
		}
		h.a[i], h.a[j] = h.a[j], h.a[i]
		i = j
	}
	x := h.a[n]
	h.a = h.a[:n]
	return x
}
