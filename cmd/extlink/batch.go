package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/extlink/extlink/world"
)

// batchAnswer is one line of check -batch's output: the question's id,
// check's json form when the question was answered, and why it could not
// be ("" when it was).
type batchAnswer struct {
	ID    any
	res   *checkResult // nil when the question could not be answered
	Error string
}

// MarshalJSON writes {"id": ..., check's json form, "error": ...}, check's
// keys left out when there is no answer.
func (a batchAnswer) MarshalJSON() ([]byte, error) {
	parts := []any{struct {
		ID any `json:"id"`
	}{a.ID}}
	if a.res != nil {
		parts = append(parts, *a.res)
	}
	return joinObjects(append(parts, struct {
		Error string `json:"error"`
	}{a.Error})...)
}

// denied reports whether the question was answered, and denied.
func (a batchAnswer) denied() bool { return a.res != nil && !a.res.dec.Allowed }

// maxBatchLine is the longest question line -batch reads.
const maxBatchLine = 1 << 20

// runBatch answers check -batch's questions: one JSON question a line of
// stdin, one JSON answer a line of stdout, the world loaded once. It
// returns 2 if a question could not be answered, else 1 if one was denied,
// else 0.
func runBatch(o *options, stdin io.Reader, stdout, stderr io.Writer) int {
	set := false
	o.fs.Visit(func(f *flag.Flag) { set = set || f.Name == "format" })
	if set && o.format != "json" {
		return o.cmd.usageError(stderr, "-batch writes JSON lines: -format %s is not for it", o.format)
	}
	w, ok := o.load(stderr)
	if !ok {
		return exitUsage
	}
	return batch(o, w, stdin, stdout, stderr)
}

// batch answers the questions of stdin in w; see runBatch.
func batch(o *options, w *world.World, stdin io.Reader, stdout, stderr io.Writer) int {
	out := bufio.NewWriter(stdout)
	// Answers are buffered, but flushed before each read of stdin that
	// may block, so that a program that writes a question and waits for
	// its answer gets it.
	in := bufio.NewScanner(flushingReader{stdin, out})
	in.Buffer(make([]byte, 0, 64<<10), maxBatchLine)
	code := exitOK
	failed := 0 // questions not answered so far
	ask := &asker{w: w, src: o.world}
	for n := 1; in.Scan(); n++ {
		line := bytes.TrimSpace(in.Bytes())
		if len(line) == 0 {
			continue
		}
		ask.suggest = failed < maxBatchHints
		a := answer(ask, line)
		if a.Error != "" {
			failed++
			a.Error = fmt.Sprintf("line %d: %s", n, a.Error)
		}
		switch {
		case a.Error != "":
			code = exitUsage
		case a.denied() && code == exitOK:
			code = exitNo
		}
		b, err := a.MarshalJSON()
		if err != nil {
			fmt.Fprintf(stderr, "extlink check: %v\n", err)
			return exitUsage
		}
		out.Write(append(b, '\n'))
	}
	if err := in.Err(); err != nil {
		out.Flush()
		fmt.Fprintf(stderr, "extlink check: reading the questions: %v\n", err)
		return exitUsage
	}
	out.Flush() // a failed write is run's to report
	return code
}

// maxBatchHints is how many unanswerable questions of -batch get a "did
// you mean": each hint scans the whole directory (milliseconds on a large
// world), which a batch of stale IDs must not multiply.
const maxBatchHints = 10

// answer decides one line of -batch's input.
func answer(ask *asker, line []byte) batchAnswer {
	var a batchAnswer
	var q question
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&q); err != nil {
		a.Error = "not a question: " + err.Error()
		return a
	}
	a.ID = q.ID
	if dec.More() {
		a.Error = "not a question: data after the object"
		return a
	}
	if err := q.check(); err != nil {
		a.Error = err.Error()
		return a
	}
	res, err := ask.decide(q)
	if err != nil {
		a.Error = err.Error()
		return a
	}
	a.res = &res
	return a
}

// flushingReader reads from r after flushing w.
type flushingReader struct {
	r io.Reader
	w *bufio.Writer
}

func (f flushingReader) Read(p []byte) (int, error) {
	if f.w.Buffered() > 0 {
		if err := f.w.Flush(); err != nil {
			return 0, err
		}
	}
	return f.r.Read(p)
}
