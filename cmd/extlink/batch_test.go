package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/extlink/extlink/extlinktest"
	"github.com/extlink/extlink/world"
	"github.com/google/go-cmp/cmp"
)

// Each -batch answer is check -json's answer to the same question, plus
// its id and an empty error.
func TestBatchAgreesWithCheck(t *testing.T) {
	cases := []struct {
		line string
		args []string
	}{
		{`{"id": 1, "q": "talk", "args": ["me", "b"]}`, []string{"talk", "me", "b"}},
		{`{"id": "two", "q": "call", "args": ["a", "b"]}`, []string{"call", "a", "b"}},
		{`{"q": "email", "args": ["u2", "U9"]}`, []string{"email", "u2", "U9"}},
		{`{"q": "invite", "group": "launch", "args": ["a", "u3"]}`, []string{"invite", "-group", "launch", "a", "u3"}},
		{`{"q": "invite", "group": "team", "args": ["u1", "b"]}`, []string{"invite", "-group", "team", "u1", "b"}},
		{`{"q": "create-group", "args": ["u6", "u7"]}`, []string{"create-group", "u6", "u7"}},
		{`{"q": "create-room", "args": ["me", "u8"]}`, []string{"create-room", "me", "u8"}},
		{`{"q": "convert", "room": ["a", "b", "u5"], "args": ["b"]}`, []string{"convert", "-room", "a,b,u5", "b"}},
		{`{"q": "leave", "group": "launch", "args": ["me"]}`, []string{"leave", "-group", "launch", "me"}},
		{`{"q": "leave", "room": ["a", "b"], "args": ["a"]}`, []string{"leave", "-room", "a,b", "a"}},
		{`{"q": "remove", "group": "launch", "args": ["me", "a"]}`, []string{"remove", "-group", "launch", "me", "a"}},
		{`{"q": "transfer", "group": "supply", "args": ["u5", "b"]}`, []string{"transfer", "-group", "supply", "u5", "b"}},
		{`{"q": "resign", "group": "supply", "args": ["u5"]}`, []string{"resign", "-group", "supply", "u5"}},
		{`{"q": "appoint", "group": "1", "args": ["u5", "u6"]}`, []string{"appoint", "-group", "1", "u5", "u6"}},
	}
	var in strings.Builder
	for _, c := range cases {
		in.WriteString(c.line + "\n\n")
	}
	code, out, errs := runStdin(in.String(), "check", "-world", three, "-batch")
	if code != exitNo || errs != "" {
		t.Errorf("exit %d, want 1 (some denied); stderr %q", code, errs)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(cases) {
		t.Fatalf("%d answers to %d questions:\n%s", len(lines), len(cases), out)
	}
	for i, c := range cases {
		var got, want map[string]any
		if err := json.Unmarshal([]byte(lines[i]), &got); err != nil {
			t.Fatalf("answer %d: %v: %s", i, err, lines[i])
		}
		var q map[string]any
		json.Unmarshal([]byte(c.line), &q)
		if got["id"] != q["id"] || got["error"] != "" {
			t.Errorf("answer %d: id %v error %q, want id %v and no error", i, got["id"], got["error"], q["id"])
		}
		delete(got, "id")
		delete(got, "error")
		_, single, _ := runArgs(append([]string{"check", "-world", three, "-json"}, c.args...)...)
		if err := json.Unmarshal([]byte(single), &want); err != nil {
			t.Fatalf("check -json %v: %v", c.args, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: batch answer differs from check -json %v (-check +batch):\n%s", c.line, c.args, diff)
		}
	}
}

// A question -batch cannot answer gets an answer line with its error, the
// others are still answered, and the exit status is 2; all allowed is 0.
func TestBatchErrors(t *testing.T) {
	in := `{"id": 1, "q": "talk", "args": ["a", "b"]}
{"id": 2, "q": "talk", "args": ["a", "zz"]}
{"id": 3, "q": "hug", "args": ["a", "b"]}
not json
{"id": 5, "q": "talk", "args": ["a", "b"], "colour": "red"}
{"id": 6, "q": "talk", "args": ["a", "a"]}
{"id": 7, "q": "leave", "args": ["a"]}
{"id": 8, "q": "call", "args": ["a", "b"]}
`
	code, out, errs := runStdin(in, "check", "-world", seed, "-batch")
	if code != exitUsage || errs != "" {
		t.Errorf("exit %d, want 2; stderr %q", code, errs)
	}
	var got []string
	for line := range strings.Lines(out) {
		var a struct {
			ID      any
			Allowed bool
			Error   string
		}
		if err := json.Unmarshal([]byte(line), &a); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		got = append(got, fmt.Sprintf("%v %v %s", a.ID, a.Allowed, a.Error))
	}
	want := []string{
		"1 true ",
		`2 false line 2: unknown user "zz" in ../../examples/seed.json`,
		`3 false line 3: unknown question "hug" (want talk, call, email, create-room, create-group, invite, convert, appoint, resign, transfer, leave or remove)`,
		"<nil> false line 4: not a question: invalid character 'o' in literal null (expecting 'u')",
		`<nil> false line 5: not a question: json: unknown field "colour"`,
		`6 false line 6: FROM and TO are both "a"`,
		"7 false line 7: leave needs -group NAME or -room MEMBERS",
		"8 true ",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("answers (-want +got):\n%s", diff)
	}
	if code, _, _ := runStdin(`{"q": "talk", "args": ["a", "b"]}`, "check", "-world", seed, "-batch"); code != exitOK {
		t.Errorf("one allowed question: exit %d, want 0", code)
	}
	if code, out, _ := runStdin("", "check", "-world", seed, "-batch"); code != exitOK || out != "" {
		t.Errorf("no questions: exit %d, output %q", code, out)
	}
}

// BenchmarkBatch measures check -batch on a generated world: questions a
// second once the world is loaded (the load is outside the timer). Run it
// with -bench Batch -benchtime 100000x for 100,000 questions.
func BenchmarkBatch(b *testing.B) {
	lw := extlinktest.Large(extlinktest.LargeConfig{Users: 230_000, BigTenant: 20_000, Seed: 1})
	d, err := lw.Directory()
	if err != nil {
		b.Fatal(err)
	}
	var file bytes.Buffer
	if err := world.Encode(&file, &world.World{Directory: d}); err != nil {
		b.Fatal(err)
	}
	pairs := lw.Pairs(10_000, 1)
	qs := make([][]byte, len(pairs))
	for i, p := range pairs {
		op := "talk"
		if i%2 == 1 {
			op = "call"
		}
		qs[i] = fmt.Appendf(nil, `{"id": %d, "q": %q, "args": [%q, %q]}`+"\n", i, op, p.A, p.B)
	}
	b.Logf("world file: %d MB, %d users", file.Len()>>20, len(lw.Users))
	var in bytes.Buffer
	for i := range b.N {
		in.Write(qs[i%len(qs)])
	}
	w, err := world.Decode("large.json", bytes.NewReader(file.Bytes()))
	if err != nil {
		b.Fatal(err)
	}
	o := newOptions(checkCmd, nil)
	o.world = "large.json"
	b.ResetTimer()
	code := batch(o, w, &in, discard{}, discard{})
	b.StopTimer()
	if code == exitUsage {
		b.Fatal("a question could not be answered")
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "questions/s")
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// -batch answers a question before it reads the next, so that a program
// can hold a conversation with it through a pipe.
func TestBatchConversation(t *testing.T) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan int)
	go func() {
		done <- run([]string{"check", "-world", seed, "-batch"}, inR, outW, io.Discard)
		outW.Close()
	}()
	// Without an answer in time, the test fails instead of hanging.
	defer time.AfterFunc(30*time.Second, func() { outR.CloseWithError(errors.New("no answer in 30s")) }).Stop()
	answers := bufio.NewScanner(outR)
	for i, q := range []string{`{"id": 1, "q": "talk", "args": ["me", "b"]}`, `{"id": 2, "q": "talk", "args": ["a", "b"]}`} {
		fmt.Fprintln(inW, q) // the next question is not written until the answer is read
		if !answers.Scan() {
			t.Fatalf("no answer to question %d: %v", i+1, answers.Err())
		}
		var a batchAnswer
		if err := json.Unmarshal(answers.Bytes(), &a); err != nil || a.ID != float64(i+1) {
			t.Fatalf("answer %d: %v %s", i+1, err, answers.Bytes())
		}
	}
	inW.Close()
	if code := <-done; code != exitNo {
		t.Errorf("exit %d, want 1", code)
	}
}

// Only the first maxBatchHints unanswerable questions of a batch get a
// "did you mean", which scans the whole directory each time.
func TestBatchHintsCapped(t *testing.T) {
	var in strings.Builder
	for range maxBatchHints + 2 {
		in.WriteString(`{"q": "talk", "args": ["me", "bb"]}` + "\n")
	}
	_, out, _ := runStdin(in.String(), "check", "-world", seed, "-batch")
	hints := strings.Count(out, `did you mean \"b\"`)
	if hints != maxBatchHints || strings.Count(out, `unknown user \"bb\"`) != maxBatchHints+2 {
		t.Errorf("%d hints in %d answers, want %d:\n%s", hints, maxBatchHints+2, maxBatchHints, out)
	}
}

// BenchmarkBatchAnswerJSON measures writing one -batch answer (a denied
// talk with its linked colleague): the library's Decision.MarshalJSON and
// the command's keys around it.
func BenchmarkBatchAnswerJSON(b *testing.B) {
	w := decodeWorld(b, seed)
	res, err := (&asker{w: w, src: seed}).decide(question{Q: "talk", Args: []string{"me", "b"}})
	if err != nil {
		b.Fatal(err)
	}
	a := batchAnswer{ID: 1, res: &res}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.MarshalJSON(); err != nil {
			b.Fatal(err)
		}
	}
}
