package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func runArgs(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestDemo(t *testing.T) {
	code, out, errs := runArgs("demo")
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	want := `The post's cast: A and me at t1, B at t2; A is linked with B, me is not.

me opens B in the shared address book:
b (B): a shared contact, not linked with me
  talk   no   me cannot talk with b: not linked (R2); link me with b first
  call   no   me cannot call b: not linked (R3); link me with b first
  e-mail yes  me may e-mail b (R4)
  linked colleagues: a (they can talk with b, or build a group for me: R21)

A builds a group of B and me, six steps, each checked by the rules (R21):
1. a creates a room with b (R7): room [a b]
2. a invites me (R8): room [a b me]
3. a turns the room into a group (R10): external group [a* b me]
4. a appoints me as master (R14): external group [a* b me*]
5. a resigns as master (R15): external group [a b me*]
6. me removes a (R16): external group [b me*]

The final group: members [b me], masters [me], external true.
me and B share it, yet still: me cannot talk with b: not linked (R2); link me with b first
`
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("demo output (-want +got):\n%s", diff)
	}
}

func TestUsage(t *testing.T) {
	for _, tt := range []struct {
		args []string
		code int
		in   string // expected in stdout or stderr
	}{
		{nil, 2, "usage: extlink"},
		{[]string{"help"}, 0, "extlink demo"},
		{[]string{"nope"}, 2, `unknown command "nope"`},
		{[]string{"demo", "x"}, 2, "unexpected arguments"},
	} {
		code, out, errs := runArgs(tt.args...)
		if code != tt.code || !strings.Contains(out+errs, tt.in) {
			t.Errorf("%v: exit %d, output %q", tt.args, code, out+errs)
		}
	}
}
