package extlink

import "context"

// canceller lets a long search stop once its context is done: stop is
// called for every unit of work (a link or a member looked at), and asks
// the context every cancelEvery calls, so that a cancelled search returns
// within some thousand units, microseconds, whatever the directory's size.
type canceller struct {
	done <-chan struct{} // nil: never cancelled (context.Background)
	ctx  context.Context
	n    uint32
	err  error // the context's error, once seen
	// units, if not nil, counts the units of work (stop's calls): the
	// tests' measure of how much work a range did (export_test.go).
	units *int
}

const cancelEvery = 1 << 10

func newCanceller(ctx context.Context) canceller {
	if ctx == nil {
		return canceller{}
	}
	return canceller{done: ctx.Done(), ctx: ctx, err: ctx.Err()}
}

// stop counts one unit of work and reports whether the search must stop.
func (c *canceller) stop() bool {
	if c.units != nil {
		*c.units++
	}
	if c.err != nil {
		return true
	}
	if c.done == nil {
		return false
	}
	if c.n++; c.n%cancelEvery == 0 {
		select {
		case <-c.done:
			c.err = c.ctx.Err()
		default:
		}
	}
	return c.err != nil
}

// stopped reports whether the search has seen its context done, asking it
// now: for the boundaries between a search's phases.
func (c *canceller) stopped() bool {
	if c.err == nil && c.done != nil {
		select {
		case <-c.done:
			c.err = c.ctx.Err()
		default:
		}
	}
	return c.err != nil
}
