package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/extlink/extlink"
	"github.com/jackc/pgx/v5"
)

// Live is a directory kept current: it follows the change log of a [DB],
// applying each new revision with [extlink.Directory.With], so that a
// replica decides in memory on a snapshot (R26) at the cost of the changes
// only. Its methods are safe for concurrent use.
//
// It polls the log (every [FollowOptions.Poll]) and, on PostgreSQL, is
// woken by LISTEN/NOTIFY as soon as a batch commits; a [DB.Apply] in the
// same process wakes it too. If the database goes away it keeps serving
// its last snapshot, reports the failure in [Live.Status], retries with
// backoff, and once the database is back catches up from the revision it
// had, applying each revision once, in order.
type Live struct {
	db   *DB
	opts FollowOptions
	cur  atomic.Pointer[liveSnap]

	poke      chan struct{} // buffered: a request to poll now
	stop      chan struct{}
	done      chan struct{} // closed when run returns
	listening sync.WaitGroup
	closed    sync.Once

	mu     sync.Mutex
	status Status
}

// liveSnap is a published snapshot; next is closed when a newer one
// replaces it, to wake Wait.
type liveSnap struct {
	snapshot
	next chan struct{}
}

// Status is how current a [Live] is.
type Status struct {
	Rev Rev // the revision Directory serves
	// Polled is when the Live last read the change log successfully: the
	// snapshot was the latest as of then. Staleness is time.Since(Polled).
	Polled time.Time
	// Err is the last attempt's error, nil once an attempt succeeds; Since
	// is when the current run of failures began (zero without one).
	Err   error
	Since time.Time
	// Listening reports whether a LISTEN connection is up (PostgreSQL).
	Listening bool
}

// FollowOptions tune [DB.Follow]. The zero value takes the defaults.
type FollowOptions struct {
	// Poll is how often the Live reads the change log when nothing wakes
	// it: default 20ms on SQLite (a local read), 1s on PostgreSQL (which
	// wakes it by NOTIFY).
	Poll time.Duration
	// MaxBackoff bounds the wait between attempts while the database
	// fails; the wait starts at Poll (at most 100ms) and doubles, with
	// jitter. Default 5s.
	MaxBackoff time.Duration

	// onRev, if set (by tests), sees each revision the Live reaches, in
	// order, and whether it adopted its DB's snapshot or applied the log.
	onRev func(rev Rev, adopted bool)
	// beforePoll, if set (by tests), runs before each poll.
	beforePoll func()
}

// Follow returns a [Live] that starts at the latest revision and follows
// the change log until [Live.Close] (or [DB.Close]). ctx bounds the first
// read only. The first Follow of a DB reads every table; later ones start
// from the directory the DB holds and read the log since.
func (db *DB) Follow(ctx context.Context, opts ...FollowOptions) (*Live, error) {
	var o FollowOptions
	if len(opts) > 0 {
		o = opts[len(opts)-1]
	}
	if o.Poll <= 0 {
		o.Poll = 20 * time.Millisecond
		if db.d.name == "postgres" {
			o.Poll = time.Second
		}
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 5 * time.Second
	}
	s, err := db.current(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: follow %s: %w", db.dsn, err)
	}
	var head Rev
	if err := db.sql.QueryRowContext(ctx, `SELECT rev FROM extlink_head WHERE id = 1`).Scan(&head); err != nil {
		return nil, fmt.Errorf("sqlstore: follow %s: read the head revision: %w", db.dsn, err)
	}
	if s.rev < head {
		if s, err = catchUp(ctx, db.sql, db.d, s, 0, nil); err != nil {
			return nil, fmt.Errorf("sqlstore: follow %s: %w", db.dsn, err)
		}
		db.offer(s)
	}
	l := &Live{db: db, opts: o, poke: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	l.cur.Store(&liveSnap{*s, make(chan struct{})})
	l.status = Status{Rev: s.rev, Polled: time.Now()}
	db.mu.Lock()
	if db.closed {
		db.mu.Unlock()
		return nil, ErrClosed
	}
	db.lives[l] = struct{}{}
	db.mu.Unlock()
	go l.run()
	if db.pgcfg != nil {
		l.listening.Go(l.listen)
	}
	return l, nil
}

// Directory returns the snapshot the Live holds and its revision. It never
// blocks and never touches the database.
func (l *Live) Directory() (*extlink.Directory, Rev) {
	s := l.cur.Load()
	return s.dir, s.rev
}

// Status reports the revision served, when the log was last read, and the
// last error.
func (l *Live) Status() Status {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.status
	s.Rev = l.cur.Load().rev
	return s
}

// Wait returns the Live's directory once it has reached revision rev (the
// one [DB.Apply] returned, to read one's own writes), or ctx's error, or
// [ErrClosed] once the Live is closed. It asks the Live to read the log at
// once rather than at its next poll.
func (l *Live) Wait(ctx context.Context, rev Rev) (*extlink.Directory, error) {
	for {
		s := l.cur.Load()
		if s.rev >= rev {
			return s.dir, nil
		}
		l.wake()
		select {
		case <-s.next:
		case <-ctx.Done():
			return nil, fmt.Errorf("sqlstore: wait for revision %d (at %d): %w", rev, l.cur.Load().rev, ctx.Err())
		case <-l.done:
			return nil, fmt.Errorf("sqlstore: wait for revision %d: %w", rev, ErrClosed)
		}
	}
}

// Close stops following. The Live keeps serving its last snapshot.
func (l *Live) Close() error {
	l.closed.Do(func() {
		close(l.stop)
		<-l.done
		l.listening.Wait()
		l.db.mu.Lock()
		delete(l.db.lives, l)
		l.db.mu.Unlock()
	})
	return nil
}

// wake asks the Live to read the log now.
func (l *Live) wake() {
	select {
	case l.poke <- struct{}{}:
	default:
	}
}

// pokeLives wakes every Live of db, after a commit.
func (db *DB) pokeLives() {
	db.mu.Lock()
	defer db.mu.Unlock()
	for l := range db.lives {
		l.wake()
	}
}

func (db *DB) isClosed() bool {
	db.mu.Lock()
	defer db.mu.Unlock()
	return db.closed
}

// publish makes s the Live's snapshot.
func (l *Live) publish(s *snapshot, adopted bool) {
	old := l.cur.Load()
	if s.rev <= old.rev {
		return
	}
	if l.opts.onRev != nil {
		l.opts.onRev(s.rev, adopted)
	}
	l.cur.Store(&liveSnap{*s, make(chan struct{})})
	close(old.next)
}

// stopContext returns a context that is cancelled when the Live stops, or
// when cancel is called.
func (l *Live) stopContext() (ctx context.Context, cancel context.CancelFunc) {
	ctx, cancel = context.WithCancel(context.Background())
	go func() {
		select {
		case <-l.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, cancel
}

// run is the Live's loop: read the log, then wait for a poke, a NOTIFY,
// or the next poll; after a failure, back off.
func (l *Live) run() {
	defer close(l.done)
	ctx, cancel := l.stopContext()
	defer cancel()
	backoff := time.Duration(0)
	for {
		if l.opts.beforePoll != nil {
			l.opts.beforePoll()
		}
		err := l.poll(ctx)
		now := time.Now()
		l.mu.Lock()
		if err == nil {
			l.status.Polled, l.status.Err, l.status.Since = now, nil, time.Time{}
			backoff = 0
		} else if ctx.Err() == nil {
			if l.status.Err == nil {
				l.status.Since = now
			}
			l.status.Err = err
			backoff = min(max(2*backoff, min(l.opts.Poll, 100*time.Millisecond)), l.opts.MaxBackoff)
		}
		l.mu.Unlock()
		wait := l.opts.Poll
		if backoff > 0 {
			wait = backoff/2 + rand.N(backoff/2+1)
		}
		t := time.NewTimer(wait)
		select {
		case <-l.stop:
			t.Stop()
			return
		case <-l.poke:
			if backoff > 0 { // failing: a poke does not cut the backoff short
				select {
				case <-t.C:
				case <-l.stop:
					t.Stop()
					return
				}
			}
		case <-t.C:
		}
		t.Stop()
	}
}

// poll brings the Live to the latest revision: first to the DB's own
// snapshot if that is newer (a Directory value is immutable, so the DB's
// writer and its Lives share them), then through the change log.
func (l *Live) poll(ctx context.Context) error {
	cur := l.cur.Load().snapshot
	if s := l.db.snap.Load(); s != nil && s.rev > cur.rev {
		l.publish(s, true)
		cur = *s
	}
	s, err := catchUp(ctx, l.db.sql, l.db.d, &cur, 0, func(s *snapshot) { l.publish(s, false) })
	if err != nil {
		return fmt.Errorf("sqlstore: follow %s at revision %d: %w", l.db.dsn, cur.rev, err)
	}
	l.db.offer(s)
	return nil
}

// listen keeps a LISTEN connection to PostgreSQL up and wakes the Live on
// each notification, and after each reconnection (notifications sent while
// it was down are lost; the poll that follows finds what they announced).
func (l *Live) listen() {
	ctx, cancel := l.stopContext()
	defer cancel()
	backoff := time.Duration(0)
	for ctx.Err() == nil {
		err := l.listenOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		l.mu.Lock()
		l.status.Listening = false
		l.mu.Unlock()
		if err != nil {
			backoff = min(max(2*backoff, 100*time.Millisecond), l.opts.MaxBackoff)
		}
		t := time.NewTimer(backoff/2 + rand.N(backoff/2+1))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

func (l *Live) listenOnce(ctx context.Context) error {
	cctx, ccancel := context.WithTimeout(ctx, 10*time.Second)
	conn, err := pgx.ConnectConfig(cctx, l.db.pgcfg.Copy())
	ccancel()
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, `LISTEN extlink_log`); err != nil {
		return err
	}
	l.mu.Lock()
	l.status.Listening = true
	l.mu.Unlock()
	l.wake()
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			if errors.Is(err, context.Canceled) {
				return nil
			}
			return err
		}
		l.wake()
	}
}
