package extlink

// RefWith applies changes the plain way: to maps, through the same checks,
// and then NewDirectory on the result. It is the oracle for With (R28).
func RefWith(d *Directory, changes ...Change) (*Directory, error) {
	s := newRefState(d)
	if probs := applyChanges(s, changes); len(probs) > 0 {
		return d, &ChangeError{Problems: probs}
	}
	return NewDirectory(s.input())
}

// ArenaStats returns the entries d's link arena holds and the ones its
// links use.
func ArenaStats(d *Directory) (total, live int) {
	for _, c := range d.spans.chunks {
		total += len(c.data)
	}
	return total, 2 * d.nlinks
}
