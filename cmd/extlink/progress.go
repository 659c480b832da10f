package main

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// progress shows on standard error what a long command is doing, so that
// a run of minutes is seen to be alive: on a terminal one line, rewritten
// in place every second with the time spent; elsewhere (with -progress, for
// a CI log) a line when the work changes and then every progressEvery. A
// nil *progress shows nothing, and every method may be called on it.
type progress struct {
	w    io.Writer
	cmd  string
	tty  bool
	stop chan struct{}
	done chan struct{}
	once sync.Once // end's

	mu      sync.Mutex
	what    string    // what the command is doing now
	start   time.Time // when the command started
	printed time.Time // when a line was last written
	shown   bool      // a line is on the terminal, to be cleared
}

// progressEvery is how often progress writes a line when standard error is
// not a terminal.
const progressEvery = 30 * time.Second

// newProgress returns a progress for the command cmd writing to stderr
// when stderr is a terminal or force (-progress) is set, else nil. Under
// -json it writes to the real standard error, not to run's error log.
func newProgress(stderr io.Writer, cmd string, force bool) *progress {
	if l, ok := stderr.(*errorLog); ok && l.real != nil {
		stderr = l.real
	}
	tty := terminal(stderr)
	if !tty && !force {
		return nil
	}
	p := &progress{w: stderr, cmd: cmd, tty: tty, stop: make(chan struct{}), done: make(chan struct{}), start: time.Now()}
	go p.tick()
	return p
}

// tick redraws the line every second (off a terminal, every
// progressEvery) until end.
func (p *progress) tick() {
	defer close(p.done)
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.mu.Lock()
			if p.tty || time.Since(p.printed) >= progressEvery {
				p.draw()
			}
			p.mu.Unlock()
		}
	}
}

// set says what the command is doing now, as a phrase ("comparing the
// decisions of 2,000 users"), and shows it at once, off a terminal too.
func (p *progress) set(format string, args ...any) {
	if p == nil {
		return
	}
	what := fmt.Sprintf(format, args...)
	p.mu.Lock()
	defer p.mu.Unlock()
	if what != p.what {
		p.what = what
		p.draw()
	}
}

// update is set for a phrase that changes often ("at member tanaka, 120
// rows so far"): it is shown on the next tick, so at most once a second on
// a terminal and every progressEvery elsewhere.
func (p *progress) update(format string, args ...any) {
	if p == nil {
		return
	}
	what := fmt.Sprintf(format, args...)
	p.mu.Lock()
	p.what = what
	p.mu.Unlock()
}

// draw writes the line; p.mu is held.
func (p *progress) draw() {
	if p.what == "" {
		return
	}
	elapsed := time.Since(p.start).Round(time.Second)
	if p.tty {
		fmt.Fprintf(p.w, "\r%s: %s (%s)\033[K", p.cmd, safeText(p.what), elapsed)
		p.shown = true
	} else {
		fmt.Fprintf(p.w, "%s: %s (%s)\n", p.cmd, safeText(p.what), elapsed)
	}
	p.printed = time.Now()
}

// end stops the progress and clears its line from the terminal, so that
// what the command writes next starts on a clean line. It may be called
// more than once.
func (p *progress) end() {
	if p == nil {
		return
	}
	p.once.Do(func() {
		close(p.stop)
		<-p.done
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.shown {
			fmt.Fprint(p.w, "\r\033[K")
		}
	})
}

// guard returns stderr, which on its first write ends the progress: a
// command's message then never shares the progress's line.
func (p *progress) guard(stderr io.Writer) io.Writer {
	if p == nil {
		return stderr
	}
	return endingWriter{p, stderr}
}

// share returns stdout, which, when it is the terminal too, clears the
// progress line before each write, so that output written while progress
// shows (audit's rows) starts at the start of a line; the line is drawn
// again on the next tick.
func (p *progress) share(stdout io.Writer) io.Writer {
	inner := stdout
	if s, ok := inner.(*stickyWriter); ok {
		inner = s.w
	}
	if p == nil || !p.tty || !terminal(inner) {
		return stdout
	}
	return clearingWriter{p, stdout}
}

// clearingWriter is share's writer.
type clearingWriter struct {
	p *progress
	w io.Writer
}

func (c clearingWriter) Write(b []byte) (int, error) {
	c.p.mu.Lock()
	defer c.p.mu.Unlock()
	if c.p.shown {
		fmt.Fprint(c.p.w, "\r\033[K")
		c.p.shown = false
	}
	return c.w.Write(b)
}

// endingWriter is guard's writer.
type endingWriter struct {
	p *progress
	w io.Writer
}

func (e endingWriter) Write(b []byte) (int, error) {
	e.p.end()
	return e.w.Write(b)
}
