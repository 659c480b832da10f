package extlink

// RefWith applies changes the plain way: to maps, through the same checks,
// and then NewDirectory on the result. It is the oracle for With (R28).
func RefWith(d *Directory, changes ...Change) (*Directory, error) {
	nd, err := d.rebuild(changes)
	if err != nil {
		return d, err
	}
	return nd, nil
}

// ArenaStats returns the entries d's link arena holds and the ones its
// links use.
func ArenaStats(d *Directory) (total, live int) {
	for _, c := range d.spans.chunks {
		total += len(c.data)
	}
	return total, 2 * d.nlinks
}
