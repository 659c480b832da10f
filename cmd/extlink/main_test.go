package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/extlink/extlink"
	"github.com/extlink/extlink/world"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

func runArgs(args ...string) (code int, stdout, stderr string) {
	return runStdin("", args...)
}

// runStdin runs extlink with args, stdin reading in.
func runStdin(in string, args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(in), &out, &errb)
	return code, out.String(), errb.String()
}

const (
	seed    = "../../examples/seed.json"
	three   = "../../examples/three-companies.json"
	bad     = "testdata/worlds/four-problems.json"
	noLeave = "testdata/worlds/no-leave.json"    // the post's cast where members may not leave groups (D5)
	unreach = "testdata/worlds/unreachable.json" // no creator between me and b; u1 linked with nobody
)

// goldens are the command lines whose whole output, exit status included,
// is kept under testdata/golden. Refresh them with go test -update.
var goldens = []struct {
	name string
	args []string
	code int
}{
	{"help", []string{"help"}, 0},
	{"version-h", []string{"version", "-h"}, 0},
	{"version-args", []string{"version", "x"}, 2},
	{"no-args", nil, 2},
	{"unknown-command", []string{"nope"}, 2},
	{"help-unknown", []string{"help", "nope"}, 2},
	{"help-world", []string{"help", "world"}, 0},
	{"completion-bash", []string{"completion", "bash"}, 0},
	{"completion-fish", []string{"completion", "fish"}, 0},
	{"completion-unknown", []string{"completion", "tcsh"}, 2},
	{"init-h", []string{"init", "-h"}, 0},
	{"init-args", []string{"init", "a.json", "b.json"}, 2},
	{"demo", []string{"demo"}, 0},
	{"demo-h", []string{"demo", "-h"}, 0},
	{"demo-args", []string{"demo", "x"}, 2},

	{"check-h", []string{"check", "-h"}, 0},
	{"check-talk-denied", []string{"check", "-world", seed, "talk", "me", "b"}, 1},
	{"check-talk-denied-json", []string{"check", "-world", seed, "-json", "talk", "me", "b"}, 1},
	{"check-talk-allowed", []string{"check", "-world", seed, "talk", "a", "b"}, 0},
	{"check-talk-allowed-json", []string{"check", "-world", seed, "-format", "json", "talk", "a", "b"}, 0},
	{"check-talk-colleague", []string{"check", "-world", seed, "talk", "me", "a"}, 0},
	{"check-talk-not-connected", []string{"check", "-world", three, "talk", "u2", "b"}, 1},
	{"check-talk-line", []string{"check", "-world", three, "talk", "a", "u8"}, 1},
	{"check-call-denied", []string{"check", "-world", seed, "call", "me", "b"}, 1},
	{"check-call-calls-off", []string{"check", "-world", three, "call", "a", "b"}, 1},
	{"check-call-calls-off-json", []string{"check", "-world", three, "-json", "call", "a", "b"}, 1},
	{"check-call-line", []string{"check", "-world", three, "call", "me", "u8"}, 1},
	{"check-call-allowed", []string{"check", "-world", three, "call", "a", "u5"}, 0},
	{"check-invite-allowed", []string{"check", "-world", three, "invite", "-group", "launch", "a", "u3"}, 0},
	{"check-invite-allowed-json", []string{"check", "-world", three, "-json", "invite", "-group", "launch", "a", "u3"}, 0},
	{"check-invite-not-master", []string{"check", "-world", three, "invite", "-group", "launch", "me", "u3"}, 1},
	{"check-invite-not-linked", []string{"check", "-world", three, "invite", "-group", "launch", "a", "u6"}, 1},
	{"check-invite-internal", []string{"check", "-world", three, "-group", "team", "invite", "u1", "b"}, 1},
	{"check-invite-internal-json", []string{"check", "-world", three, "-json", "-group", "team", "invite", "u1", "b"}, 1},
	{"check-invite-by-index", []string{"check", "-world", "testdata/worlds/dissolved.json", "invite", "-group", "0", "a", "me"}, 1},
	{"check-email-allowed", []string{"check", "-world", seed, "email", "me", "b"}, 0},
	{"check-email-by-name", []string{"check", "-world", three, "email", "u2", "U9"}, 0},
	{"check-email-by-name-json", []string{"check", "-world", three, "-json", "email", "u2", "U9"}, 0},
	{"check-email-no-address", []string{"check", "-world", three, "email", "me", "u8"}, 1},
	{"check-email-other-book", []string{"check", "-world", three, "email", "b", "U9"}, 1},
	{"check-create-room-allowed", []string{"check", "-world", seed, "create-room", "a", "b", "me"}, 0},
	{"check-create-room-denied", []string{"check", "-world", seed, "create-room", "me", "b"}, 1},
	{"check-create-room-json", []string{"check", "-world", seed, "-json", "create-room", "me", "a", "b"}, 1},
	{"check-create-group-allowed", []string{"check", "-world", three, "create-group", "a", "b", "u5"}, 0},
	{"check-create-group-alone", []string{"check", "-world", three, "create-group", "u1"}, 0},
	{"check-create-group-not-permitted", []string{"check", "-world", three, "create-group", "u6", "u7"}, 1},
	{"check-create-group-line", []string{"check", "-world", three, "-json", "create-group", "me", "u8"}, 1},
	{"check-create-group-twice", []string{"check", "-world", three, "create-group", "a", "b", "b"}, 2},
	{"check-create-room-self", []string{"check", "-world", three, "create-room", "a", "a"}, 2},
	{"check-invite-room-allowed", []string{"check", "-world", seed, "invite", "-room", "a, b", "a", "me"}, 0},
	{"check-invite-room-not-linked", []string{"check", "-world", seed, "invite", "-room", "a,me", "me", "b"}, 1},
	{"check-invite-room-json", []string{"check", "-world", seed, "-json", "invite", "-room", "a,me", "me", "b"}, 1},
	{"check-room-cannot-form", []string{"check", "-world", seed, "invite", "-room", "me,b", "me", "a"}, 2},
	{"check-convert-allowed", []string{"check", "-world", seed, "convert", "-room", "a,b,me", "a"}, 0},
	{"check-convert-not-linked", []string{"check", "-world", seed, "convert", "-room", "a,b,me", "me"}, 1},
	{"check-convert-too-small", []string{"check", "-world", seed, "convert", "-room", "a,b", "a"}, 1},
	{"check-convert-json", []string{"check", "-world", seed, "-json", "convert", "-room", "a,b,me", "b"}, 1},
	{"check-appoint-allowed", []string{"check", "-world", three, "appoint", "-group", "launch", "a", "b"}, 0},
	{"check-appoint-not-master", []string{"check", "-world", three, "appoint", "-group", "launch", "me", "b"}, 1},
	{"check-appoint-self-json", []string{"check", "-world", three, "-json", "appoint", "-group", "launch", "a", "a"}, 2},
	{"check-appoint-not-member", []string{"check", "-world", three, "appoint", "-group", "launch", "a", "u6"}, 1},
	{"check-remove-self", []string{"check", "-world", three, "remove", "-group", "launch", "a", "a"}, 2},
	{"check-resign-last-master", []string{"check", "-world", three, "resign", "-group", "launch", "a"}, 1},
	{"check-resign-not-master", []string{"check", "-world", three, "-json", "resign", "-group", "launch", "b"}, 1},
	{"check-transfer-allowed", []string{"check", "-world", three, "transfer", "-group", "launch", "a", "me"}, 0},
	{"check-transfer-not-member", []string{"check", "-world", three, "transfer", "-group", "launch", "a", "u6"}, 1},
	{"check-leave-allowed", []string{"check", "-world", three, "leave", "-group", "launch", "b"}, 0},
	{"check-leave-no-self-leave", []string{"check", "-world", three, "leave", "-group", "launch", "me"}, 1},
	{"check-leave-no-self-leave-json", []string{"check", "-world", three, "-json", "leave", "-group", "launch", "me"}, 1},
	{"check-leave-last-master", []string{"check", "-world", three, "leave", "-group", "launch", "a"}, 1},
	{"check-leave-room", []string{"check", "-world", seed, "leave", "-room", "a,b", "b"}, 0},
	{"check-leave-room-not-member", []string{"check", "-world", seed, "leave", "-room", "a,b", "me"}, 1},
	{"check-remove-allowed", []string{"check", "-world", three, "remove", "-group", "launch", "a", "me"}, 0},
	{"check-remove-not-master", []string{"check", "-world", three, "remove", "-group", "launch", "me", "a"}, 1},
	{"check-remove-json", []string{"check", "-world", three, "-json", "remove", "-group", "launch", "me", "a"}, 1},
	{"check-remove-dissolved", []string{"check", "-world", "testdata/worlds/dissolved.json", "remove", "-group", "0", "a", "me"}, 1},
	{"check-resign-no-group", []string{"check", "-world", three, "resign", "a"}, 2},
	{"check-convert-group", []string{"check", "-world", three, "convert", "-group", "launch", "a"}, 2},
	{"check-group-and-room", []string{"check", "-world", three, "invite", "-group", "launch", "-room", "a,b", "a", "me"}, 2},
	{"check-transfer-same-user", []string{"check", "-world", three, "transfer", "-group", "launch", "a", "a"}, 2},
	{"check-room-unknown-user", []string{"check", "-world", seed, "leave", "-room", "a,zz", "a"}, 2},
	{"check-flags-last", []string{"check", "talk", "me", "b", "-world", seed, "-json"}, 1},

	{"check-no-world", []string{"check", "talk", "me", "b"}, 2},
	{"check-no-question", []string{"check", "-world", seed}, 2},
	{"check-unknown-question", []string{"check", "-world", seed, "hug", "me", "b"}, 2},
	{"check-too-few", []string{"check", "-world", seed, "talk", "me"}, 2},
	{"check-unknown-flag", []string{"check", "-world", seed, "-x", "talk", "me", "b"}, 2},
	{"check-unknown-format", []string{"check", "-world", seed, "-format", "xml", "talk", "me", "b"}, 2},
	{"check-format-conflict", []string{"check", "-world", seed, "-format", "text", "-json", "talk", "me", "b"}, 2},
	{"check-invite-no-group", []string{"check", "-world", three, "invite", "a", "u3"}, 2},
	{"check-group-not-invite", []string{"check", "-world", three, "-group", "launch", "talk", "a", "b"}, 2},
	{"check-unknown-group", []string{"check", "-world", three, "invite", "-group", "nope", "a", "u3"}, 2},
	{"check-unknown-group-case", []string{"check", "-world", three, "leave", "-group", "Launch", "me"}, 2},
	{"check-unknown-group-index", []string{"check", "-world", three, "leave", "-group", "3", "me"}, 2},
	{"check-group-none", []string{"check", "-world", seed, "leave", "-group", "launch", "me"}, 2},
	{"check-unknown-user", []string{"check", "-world", seed, "talk", "me", "zz"}, 2},
	{"check-unknown-contact", []string{"check", "-world", seed, "email", "me", "zz"}, 2},
	{"check-missing-file", []string{"check", "-world", "testdata/worlds/none.json", "talk", "me", "b"}, 2},
	{"check-invalid-world", []string{"check", "-world", bad, "talk", "a", "me"}, 2},
	{"check-same-user", []string{"check", "-world", seed, "talk", "me", "me"}, 2},
	{"check-bom", []string{"check", "-world", "testdata/worlds/bom.json", "talk", "a", "b"}, 0},
	{"check-unknown-user-json", []string{"check", "-world", seed, "-json", "talk", "me", "zz"}, 2},
	{"check-invalid-world-json", []string{"check", "-world", bad, "-format", "json", "talk", "a", "me"}, 2},
	{"check-unknown-flag-json", []string{"check", "-json", "-world", seed, "-x", "talk", "me", "b"}, 2},
	{"check-names", []string{"check", "-world", "testdata/worlds/names.json", "talk", "me", "suzuki"}, 1},
	{"check-did-you-mean-name", []string{"check", "-world", "testdata/worlds/names.json", "talk", "me", "鈴木花子"}, 2},
	{"check-did-you-mean-id", []string{"check", "-world", "testdata/worlds/names.json", "talk", "me", "suzki"}, 2},
	{"check-did-you-mean-none", []string{"check", "-world", "testdata/worlds/names.json", "talk", "me", "watanabe"}, 2},
	{"plan-names", []string{"plan", "-world", "testdata/worlds/names.json", "me", "suzuki"}, 0},
	{"audit-did-you-mean", []string{"audit", "-world", "testdata/worlds/names.json", "佐藤物産"}, 2},
	{"audit-names", []string{"audit", "-world", "testdata/worlds/names.json", "t1"}, 0},
	{"whatif-names", []string{"whatif", "-world", "testdata/worlds/names.json", "-change", "unlink tanaka suzuki", "-tenant", "t1"}, 1},
	{"check-dash-dash", []string{"check", "-world", seed, "--", "talk", "me", "-b"}, 2},

	{"test-h", []string{"test", "-h"}, 0},
	{"test-pass", []string{"test", "-world", three, "../../examples/assertions/three-companies.json"}, 0},
	{"test-fail", []string{"test", "-world", three, "testdata/assertions/wrong.json"}, 1},
	{"test-two-files", []string{"test", "-world", three, "../../examples/assertions/three-companies.json", "testdata/assertions/wrong.json"}, 1},
	{"test-unknown-field", []string{"test", "-world", three, "testdata/assertions/unknown-field.json"}, 2},
	{"test-unknown-user", []string{"test", "-world", three, "testdata/assertions/unknown-user.json"}, 2},
	{"test-no-allowed", []string{"test", "-world", three, "testdata/assertions/no-allowed.json"}, 2},
	{"test-no-file", []string{"test", "-world", three}, 2},
	{"test-missing-file", []string{"test", "-world", three, "testdata/assertions/none.json"}, 2},
	{"check-batch-args", []string{"check", "-world", seed, "-batch", "talk", "me", "b"}, 2},
	{"check-batch-text", []string{"check", "-world", seed, "-batch", "-format", "text"}, 2},
	{"validate-h", []string{"validate", "-h"}, 0},
	{"validate-bom", []string{"validate", "-world", "testdata/worlds/bom.json"}, 0},
	{"validate-utf16", []string{"validate", "-world", "testdata/worlds/utf16.json"}, 1},
	{"check-utf16-json", []string{"check", "-world", "testdata/worlds/utf16.json", "-json", "talk", "a", "b"}, 2},
	{"validate-utf16-no-bom", []string{"validate", "-world", "testdata/worlds/utf16le-nobom.json"}, 1},
	{"validate-duplicate-link", []string{"validate", "-world", "testdata/worlds/duplicate-link.json"}, 1},
	{"validate-duplicate-link-json", []string{"validate", "-world", "testdata/worlds/duplicate-link.json", "-json"}, 1},
	{"validate-missing-file-json", []string{"validate", "-world", "testdata/worlds/none.json", "-json"}, 2},
	{"validate-seed", []string{"validate", "-world", seed}, 0},
	{"validate-seed-json", []string{"validate", "-world", seed, "-json"}, 0},
	{"validate-three", []string{"validate", "-world", three}, 0},
	{"validate-four-problems", []string{"validate", "-world", bad}, 1},
	{"validate-four-problems-json", []string{"validate", "-world", bad, "-format", "json"}, 1},
	{"validate-broken", []string{"validate", "-world", "testdata/worlds/broken.json"}, 1},
	{"validate-missing-file", []string{"validate", "-world", "testdata/worlds/none.json"}, 2},
	{"validate-args", []string{"validate", "-world", seed, "extra"}, 2},

	{"plan-h", []string{"plan", "-h"}, 0},
	{"plan-seed", []string{"plan", "-world", seed, "me", "b"}, 0},
	{"plan-seed-json", []string{"plan", "-world", seed, "-json", "me", "b"}, 0},
	{"plan-seed-mermaid", []string{"plan", "-world", seed, "-format", "mermaid", "me", "b"}, 0},
	{"plan-seed-dot", []string{"plan", "-world", seed, "-format", "dot", "me", "b"}, 0},
	{"plan-seed-text", []string{"plan", "-world", seed, "-format", "text", "b", "me"}, 0},
	{"plan-three", []string{"plan", "-world", three, "me", "u4"}, 0},
	{"plan-three-json", []string{"plan", "-world", three, "-format", "json", "me", "u4"}, 0},
	{"plan-three-mermaid", []string{"plan", "-world", three, "-format", "mermaid", "me", "u4"}, 0},
	{"plan-three-dot", []string{"plan", "-world", three, "-format", "dot", "me", "u4"}, 0},
	{"plan-three-colleague", []string{"plan", "-world", three, "me", "a"}, 0},
	{"plan-three-target-creates", []string{"plan", "-world", three, "u6", "b"}, 0},
	{"plan-no-leave", []string{"plan", "-world", noLeave, "me", "b"}, 0},
	{"plan-no-leave-mermaid", []string{"plan", "-world", noLeave, "-format", "mermaid", "me", "b"}, 0},
	{"plan-line-user", []string{"plan", "-world", three, "me", "u8"}, 1},
	{"plan-line-user-json", []string{"plan", "-world", three, "-json", "me", "u8"}, 1},
	{"plan-line-user-mermaid", []string{"plan", "-world", three, "-format", "mermaid", "me", "u8"}, 1},
	{"plan-line-user-dot", []string{"plan", "-world", three, "-format", "dot", "u8", "me"}, 1},
	{"plan-not-connected", []string{"plan", "-world", three, "me", "u7"}, 1},
	{"plan-not-connected-json", []string{"plan", "-world", three, "-json", "me", "u7"}, 1},
	{"plan-no-chain", []string{"plan", "-world", unreach, "me", "u1"}, 1},
	{"plan-no-creator", []string{"plan", "-world", unreach, "-no-groups", "me", "b"}, 1},
	{"plan-no-creator-json", []string{"plan", "-world", unreach, "-json", "-no-groups", "me", "b"}, 1},
	{"plan-existing-group", []string{"plan", "-world", unreach, "me", "b"}, 0},
	{"plan-already-played", []string{"plan", "-world", "testdata/worlds/played.json", "me", "b"}, 0},
	{"plan-already-played-json", []string{"plan", "-world", "testdata/worlds/played.json", "-json", "me", "b"}, 0},
	{"plan-flags-last", []string{"plan", "me", "b", "-world", seed, "-format", "dot"}, 0},

	{"plan-no-world", []string{"plan", "me", "b"}, 2},
	{"plan-too-few", []string{"plan", "-world", seed, "me"}, 2},
	{"plan-too-many", []string{"plan", "-world", seed, "me", "b", "a"}, 2},
	{"plan-same-user", []string{"plan", "-world", seed, "me", "me"}, 2},
	{"plan-unknown-user", []string{"plan", "-world", seed, "me", "zz"}, 2},
	{"plan-unknown-format", []string{"plan", "-world", seed, "-format", "svg", "me", "b"}, 2},
	{"plan-format-conflict", []string{"plan", "-world", seed, "-format", "dot", "-json", "me", "b"}, 2},
	{"plan-missing-file", []string{"plan", "-world", "testdata/worlds/none.json", "me", "b"}, 2},
	{"plan-invalid-world", []string{"plan", "-world", bad, "a", "me"}, 2},

	{"audit-h", []string{"audit", "-h"}, 0},
	{"audit-seed", []string{"audit", "-world", seed, "t1"}, 0},
	{"audit-seed-json", []string{"audit", "-world", seed, "-json", "t1"}, 0},
	{"audit-seed-csv", []string{"audit", "-world", seed, "-format", "csv", "t1"}, 0},
	{"audit-seed-t2", []string{"audit", "-world", seed, "t2"}, 0},
	{"audit-three", []string{"audit", "-world", three, "t1"}, 0},
	{"audit-three-json", []string{"audit", "-world", three, "-format", "json", "t1"}, 0},
	{"audit-three-csv", []string{"audit", "-world", three, "-format", "csv", "t1"}, 0},
	{"audit-three-no-limit", []string{"audit", "-world", three, "-max-steps", "0", "t1"}, 0},
	{"audit-three-no-limit-csv", []string{"audit", "-world", three, "-max-steps=0", "-format", "csv", "t1"}, 0},
	{"audit-three-t3", []string{"audit", "t3", "-world", three, "-max-steps", "7"}, 0},
	{"audit-no-leave", []string{"audit", "-world", noLeave, "t2"}, 0},
	{"audit-none", []string{"audit", "-world", seed, "-max-steps", "3", "t1"}, 1},
	{"audit-none-json", []string{"audit", "-world", seed, "-max-steps", "3", "-json", "t1"}, 1},
	{"audit-none-csv", []string{"audit", "-world", seed, "-max-steps", "3", "-format", "csv", "t1"}, 1},
	{"audit-none-unreachable", []string{"audit", "-world", unreach, "-max-steps", "0", "-no-groups", "t1"}, 1},
	{"audit-existing-group", []string{"audit", "-world", unreach, "-max-steps", "0", "t1"}, 0},
	{"audit-already-played", []string{"audit", "-world", "testdata/worlds/played.json", "t1"}, 0},

	{"audit-no-tenant", []string{"audit", "-world", seed}, 2},
	{"audit-two-tenants", []string{"audit", "-world", seed, "t1", "t2"}, 2},
	{"audit-unknown-tenant", []string{"audit", "-world", seed, "t9"}, 2},
	{"audit-negative-max-steps", []string{"audit", "-world", seed, "-max-steps", "-1", "t1"}, 2},
	{"audit-bad-max-steps", []string{"audit", "-world", seed, "-max-steps", "four", "t1"}, 2},
	{"audit-unknown-format", []string{"audit", "-world", seed, "-format", "mermaid", "t1"}, 2},
	{"audit-no-world", []string{"audit", "t1"}, 2},
	{"audit-invalid-world", []string{"audit", "-world", bad, "t1"}, 2},

	{"whatif-h", []string{"whatif", "-h"}, 0},
	{"whatif-works-off", []string{"whatif", "-world", three, "-change", "t1.works=off"}, 1},
	{"whatif-works-off-json", []string{"whatif", "-world", three, "-change", "t1.works=off", "-json"}, 1},
	{"whatif-disconnect", []string{"whatif", "-world", three, "-change", "disconnect u1", "-tenant", "t1", "-users", "me,u1,u6"}, 1},
	{"whatif-connect", []string{"whatif", "-world", three, "-change", "u2.connected=yes", "-tenant", "t1"}, 1},
	{"whatif-link", []string{"whatif", "-world", seed, "-change", "link me b", "-tenant", "t1"}, 1},
	{"whatif-link-json", []string{"whatif", "-world", seed, "-change", "link me b", "-tenant", "t1", "-json"}, 1},
	{"whatif-unlink", []string{"whatif", "-world", seed, "-change", "unlink a b", "-tenant", "t2"}, 1},
	{"whatif-calls-off", []string{"whatif", "-world", three, "-change", "t3.calls=off", "-users", "a,u5"}, 1},
	{"whatif-line-off", []string{"whatif", "-world", three, "-change", "t1.line=off", "-users", "u2,u8,me"}, 1},
	{"whatif-create", []string{"whatif", "-world", unreach, "-change", "t1.create=members", "-tenant", "t1", "-max-steps", "0", "-no-groups"}, 1},
	{"whatif-create-existing-group", []string{"whatif", "-world", unreach, "-change", "t1.create=members", "-tenant", "t1", "-max-steps", "0"}, 0},
	{"whatif-leave", []string{"whatif", "-world", noLeave, "-change", "t1.leave=yes", "-tenant", "t1"}, 0},
	{"whatif-sequence", []string{"whatif", "-world", three, "-change", "t1.works=all", "-change", "t1.calls=off", "-change", "connect u2", "-users", "u2,b,me"}, 1},
	{"whatif-link-then-unlink", []string{"whatif", "-world", seed, "-change", "link me b", "-change", "unlink me b", "-tenant", "t1"}, 0},
	{"whatif-unnamed-group", []string{"whatif", "-world", unreach, "-change", "t1.works=off", "-users", "a,b"}, 1},
	{"whatif-empty", []string{"whatif", "-world", three, "-change", "t2.leave=no", "-tenant", "t2"}, 0},
	{"whatif-empty-json", []string{"whatif", "-world", three, "-change", "t2.leave=no", "-format", "json"}, 0},

	{"whatif-bad-changes", []string{"whatif", "-world", three, "-change", "unlink a b", "-change", "t9.calls=off",
		"-change", "hug a", "-change", "t1.works=maybe", "-change", "t1.color=red", "-change", "link a zz",
		"-change", "unlink me b", "-change", "link a b", "-change", "u2.connected=maybe", "-change", "t1.create=everyone",
		"-change", ".works=off", "-change", "connect", "-change", "link a me", "-change", "link me me", "-change", "disconnect zz", "-change", "t1.leave=maybe"}, 2},
	{"whatif-no-change", []string{"whatif", "-world", three}, 2},
	{"whatif-args", []string{"whatif", "-world", three, "-change", "t1.works=off", "extra"}, 2},
	{"whatif-max-steps-no-tenant", []string{"whatif", "-world", three, "-change", "t1.works=off", "-max-steps", "7"}, 2},
	{"whatif-negative-max-steps", []string{"whatif", "-world", three, "-change", "t1.works=off", "-tenant", "t1", "-max-steps", "-2"}, 2},
	{"whatif-unknown-tenant", []string{"whatif", "-world", three, "-change", "t1.works=off", "-tenant", "t9"}, 2},
	{"whatif-unknown-user", []string{"whatif", "-world", three, "-change", "t1.works=off", "-users", "me,zz"}, 2},
	{"whatif-empty-user", []string{"whatif", "-world", three, "-change", "t1.works=off", "-users", "me,,b"}, 2},
	{"whatif-user-twice", []string{"whatif", "-world", three, "-change", "t1.works=off", "-users", "me,b,me"}, 2},
	{"whatif-unknown-format", []string{"whatif", "-world", three, "-change", "t1.works=off", "-format", "csv"}, 2},
	{"whatif-no-world", []string{"whatif", "-change", "t1.works=off"}, 2},
}

func TestGolden(t *testing.T) {
	seen := map[string]bool{}
	for _, g := range goldens {
		if seen[g.name] {
			t.Fatalf("two goldens named %s", g.name)
		}
		seen[g.name] = true
		t.Run(g.name, func(t *testing.T) {
			code, out, errs := runArgs(g.args...)
			if code != g.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, g.code, errs)
			}
			got := "$ extlink " + strings.Join(g.args, " ") + "\n" +
				"exit " + strconv.Itoa(code) + "\n" +
				"-- stdout --\n" + out +
				"-- stderr --\n" + errs
			path := filepath.Join("testdata", "golden", g.name+".txt")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", path, diff)
			}
		})
	}
	if *update {
		return
	}
	// No stale golden files.
	files, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.txt"))
	for _, f := range files {
		if !seen[strings.TrimSuffix(filepath.Base(f), ".txt")] {
			t.Errorf("%s belongs to no test case", f)
		}
	}
}

// check's json form is the library's own JSON for the decision, passed
// through unchanged (extlink.Decision.MarshalJSON: its keys are the
// library's to choose), followed by check's keys, always all of them; no
// key is written twice. validate's keys are all always present.
func TestJSONKeys(t *testing.T) {
	contextKeys := []string{"group", "room", "with", "contact", "summary", "linkedColleagues"}
	validateKeys := []string{"file", "valid", "tenants", "users", "links", "contacts", "groups", "problems"}
	problemKeys := []string{"line", "col", "record", "index", "id", "field", "rule", "message", "text"}
	keys := func(m map[string]any) []string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		slices.Sort(ks)
		return ks
	}
	sorted := func(s []string) []string { return slices.Sorted(slices.Values(s)) }
	seedW, threeW := decodeWorld(t, seed), decodeWorld(t, three)
	team := threeW.Groups[slices.IndexFunc(threeW.Groups, func(g world.Group) bool { return g.Name == "team" })].Group
	for _, c := range []struct {
		args []string
		dec  extlink.Decision // the library's decision, for check
	}{
		{[]string{"check", "-world", seed, "-json", "talk", "a", "b"}, extlink.CanTalk(seedW.Directory, "a", "b")},
		{[]string{"check", "-world", seed, "-json", "call", "me", "b"}, extlink.CanCall(seedW.Directory, "me", "b")},
		{[]string{"check", "-world", three, "-json", "email", "me", "u8"}, extlink.CanEmail(threeW.Directory, "me", contactOf(t, threeW, "u8"))},
		{[]string{"check", "-world", three, "-json", "invite", "-group", "team", "u1", "b"}, extlink.CanInvite(threeW.Directory, team, "u1", "b")},
		{[]string{"validate", "-world", seed, "-json"}, extlink.Decision{}},
		{[]string{"validate", "-world", bad, "-json"}, extlink.Decision{}},
	} {
		args := c.args
		_, out, _ := runArgs(args...)
		if dup := duplicateKey([]byte(out)); dup != "" {
			t.Errorf("%v: key %q written twice:\n%s", args, dup, out)
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(out), &m); err != nil {
			t.Errorf("%v: %v\n%s", args, err, out)
			continue
		}
		if args[0] == "validate" {
			probs, _ := m["problems"].([]any)
			for _, p := range probs {
				if diff := cmp.Diff(sorted(problemKeys), keys(p.(map[string]any))); diff != "" {
					t.Errorf("%v: problem keys (-want +got):\n%s", args, diff)
				}
			}
			if diff := cmp.Diff(sorted(validateKeys), keys(m)); diff != "" {
				t.Errorf("%v: keys (-want +got):\n%s", args, diff)
			}
			continue
		}
		for _, k := range contextKeys {
			if _, ok := m[k]; !ok {
				t.Errorf("%v: no key %q:\n%s", args, k, out)
			}
			delete(m, k)
		}
		b, err := json.Marshal(c.dec)
		if err != nil {
			t.Fatal(err)
		}
		var want map[string]any
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, m); diff != "" {
			t.Errorf("%v: the decision's keys differ from the library's JSON (-library +check):\n%s", args, diff)
		}
	}
}

// decodeWorld reads a world file.
func decodeWorld(t testing.TB, name string) *world.World {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := world.Decode(name, f)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// contactOf returns w's address-book entry for user u.
func contactOf(t *testing.T, w *world.World, u extlink.UserID) extlink.Contact {
	t.Helper()
	for _, c := range w.Contacts {
		if c.User == u {
			return c
		}
	}
	t.Fatalf("no contact for %s", u)
	return extlink.Contact{}
}

// duplicateKey returns a key that some object of the JSON document b
// holds twice, or "".
func duplicateKey(b []byte) string {
	dec := json.NewDecoder(bytes.NewReader(b))
	type frame struct {
		object bool
		keys   map[string]bool
		key    bool // the next token of an object is a key
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.object && top.key {
			if k, ok := tok.(string); ok {
				if top.keys[k] {
					return k
				}
				top.keys[k] = true
				top.key = false
				continue
			}
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{object: true, keys: map[string]bool{}, key: true})
			continue
		case json.Delim('['):
			stack = append(stack, &frame{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		// A value ended: the next token of an enclosing object is a key.
		if len(stack) > 0 && stack[len(stack)-1].object {
			stack[len(stack)-1].key = true
		}
	}
}

// The json forms of plan, audit and whatif keep the keys their help
// documents, always all of them, at every level.
func TestJSONShapes(t *testing.T) {
	group := []string{"members", "masters", "external", "text"}
	decision := []string{libraryDecision} // the library's JSON, checked by round trip
	// The keys of the object at each path; "[]" stands for every element.
	planShape := map[string][]string{
		"":       {"me", "target", "found", "steps", "plan", "group", "rule", "reason", "cause", "party", "tenant", "remedy", "text"},
		"plan[]": {"n", "op", "by", "who", "rule", "text", "state", "group", "groupName"},
		"group":  group,
	}
	auditShape := map[string][]string{
		"":            {"tenant", "maxSteps", "exposures"},
		"exposures[]": {"member", "outsider", "steps", "via", "group", "groupName"},
	}
	whatifShape := map[string][]string{
		"":                 {"changes", "users", "around", "groups", "tenant", "maxSteps", "empty", "flips", "removals", "exposure"},
		"changes[]":        {"change", "text"},
		"flips[]":          {"action", "by", "who", "text", "before", "after"},
		"flips[].before":   decision,
		"flips[].after":    decision,
		"removals[]":       {"group", "index", "removed", "promoted", "after"},
		"removals[].after": group,
		"exposure[]":       {"member", "outsider", "before", "after"},
	}
	shapes := map[string]map[string][]string{"plan": planShape, "audit": auditShape, "whatif": whatifShape}
	seen := map[string]bool{} // command and path
	for _, c := range []struct {
		args  []string
		shape map[string][]string
	}{
		{[]string{"plan", "-world", seed, "-json", "me", "b"}, planShape},
		{[]string{"plan", "-world", three, "-json", "me", "u8"}, planShape},
		{[]string{"audit", "-world", three, "-json", "t1"}, auditShape},
		{[]string{"audit", "-world", seed, "-json", "-max-steps", "3", "t1"}, auditShape},
		{[]string{"whatif", "-world", three, "-json", "-change", "t1.works=off", "-tenant", "t1"}, whatifShape},
		{[]string{"whatif", "-world", three, "-json", "-change", "t2.leave=no"}, whatifShape},
	} {
		_, out, _ := runArgs(c.args...)
		var v any
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Errorf("%v: %v\n%s", c.args, err, out)
			continue
		}
		top := false
		var walk func(path string, v any)
		walk = func(path string, v any) {
			switch v := v.(type) {
			case map[string]any:
				seen[c.args[0]+" "+path] = true
				top = top || path == ""
				want, ok := c.shape[path]
				if !ok {
					t.Errorf("%v: an object at %q, which the help does not document", c.args, path)
				}
				if slices.Equal(want, []string{libraryDecision}) {
					// A decision as the library writes it: it reads back
					// as one (unknown keys refused) and writes the same.
					b, _ := json.Marshal(v)
					var d extlink.Decision
					if err := json.Unmarshal(b, &d); err != nil {
						t.Errorf("%v: %q is not the library's decision: %v", c.args, path, err)
						return
					}
					again, _ := json.Marshal(d)
					var w any
					json.Unmarshal(again, &w)
					if diff := cmp.Diff(w, any(v)); diff != "" {
						t.Errorf("%v: %q differs from the library's JSON (-library +got):\n%s", c.args, path, diff)
					}
					return
				}
				var got []string
				for k, x := range v {
					got = append(got, k)
					sep := "."
					if path == "" {
						sep = ""
					}
					walk(path+sep+k, x)
				}
				if diff := cmp.Diff(slices.Sorted(slices.Values(want)), slices.Sorted(slices.Values(got))); diff != "" {
					t.Errorf("%v: keys at %q (-want +got):\n%s", c.args, path, diff)
				}
			case []any:
				for _, x := range v {
					walk(path+"[]", x)
				}
			}
		}
		walk("", v)
		if !top {
			t.Errorf("%v: not one object:\n%s", c.args, out)
		}
	}
	for cmd, shape := range shapes {
		for path := range shape {
			if !seen[cmd+" "+path] {
				t.Errorf("%s: no case has an object at %q", cmd, path)
			}
		}
	}
}

// libraryDecision stands, in TestJSONShapes, for an object that is a
// decision as extlink.Decision.MarshalJSON writes it.
const libraryDecision = "(extlink.Decision)"

// Every command has a usage with an example, from -h and from help.
func TestHelp(t *testing.T) {
	for _, c := range commands() {
		for _, args := range [][]string{{c.name, "-h"}, {"help", c.name}} {
			code, out, errs := runArgs(args...)
			if code != 0 || errs != "" || !strings.HasPrefix(out, "usage: extlink "+c.name) ||
				!strings.Contains(out, "Example") || !strings.Contains(out, "extlink "+c.name) {
				t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errs)
			}
		}
		if _, out, _ := runArgs("help"); !strings.Contains(out, "  "+c.name+" ") {
			t.Errorf("help does not list %s", c.name)
		}
	}
}

// examples/seed.json is the demo's built-in world, and its contact the
// demo's.
func TestSeedIsDemoWorld(t *testing.T) {
	d, err := postWorld()
	if err != nil {
		t.Fatal(err)
	}
	w, err := world.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(slices.Collect(d.Users()), slices.Collect(w.Directory.Users())); diff != "" {
		t.Errorf("users (-demo +seed.json):\n%s", diff)
	}
	if diff := cmp.Diff(slices.Collect(d.AllLinks()), slices.Collect(w.Directory.AllLinks())); diff != "" {
		t.Errorf("links (-demo +seed.json):\n%s", diff)
	}
	if diff := cmp.Diff(slices.Collect(d.Tenants()), slices.Collect(w.Directory.Tenants())); diff != "" {
		t.Errorf("tenants (-demo +seed.json):\n%s", diff)
	}
	if diff := cmp.Diff([]extlink.Contact{demoContact}, w.Contacts); diff != "" {
		t.Errorf("contacts (-demo +seed.json):\n%s", diff)
	}
}

// Every world under examples/ and testdata/worlds is read the same way by
// validate and by the world package, and the examples are valid; but for
// the worlds where the command does more than world.Decode: a byte order
// mark, UTF-16 and a duplicate link.
func TestValidateAgreesWithDecode(t *testing.T) {
	files, _ := filepath.Glob("../../examples/*.json")
	more, _ := filepath.Glob("testdata/worlds/*.json")
	for _, f := range append(files, more...) {
		switch filepath.Base(f) {
		case "bom.json", "utf16.json", "utf16le-nobom.json", "duplicate-link.json":
			continue
		}
		_, err := world.ReadFile(f)
		code, out, _ := runArgs("validate", "-world", f)
		switch {
		case err == nil && code != 0, err != nil && code != 1:
			t.Errorf("%s: validate exit %d, Decode error %v", f, code, err)
		case err != nil && strings.TrimSpace(out) != problemLines(err):
			t.Errorf("%s: validate says\n%s\nDecode says\n%s", f, out, err)
		case strings.HasPrefix(f, "../../examples/") && err != nil:
			t.Errorf("%s: %v", f, err)
		}
	}
}

// problemLines returns the problems of a world.Error one a line, as
// validate prints them, or err's text.
func problemLines(err error) string {
	we, ok := err.(*world.Error)
	if !ok {
		return err.Error()
	}
	var lines []string
	for _, p := range we.Problems {
		lines = append(lines, p.String())
	}
	return strings.Join(lines, "\n")
}

func TestJoinObjectsAndDuplicateKey(t *testing.T) {
	// A Marshaler's object is kept as it writes it, but for the braces.
	b, err := joinObjects(map[string]int{"a": 1}, struct{}{}, json.RawMessage(` { "b" : [ {"c":2} ] } `))
	if err != nil || string(b) != `{"a":1,"b" : [ {"c":2} ]}` {
		t.Errorf("joinObjects: %s, %v", b, err)
	}
	if _, err := joinObjects([]int{1}); err == nil {
		t.Error("joinObjects of an array: no error")
	}
	for doc, want := range map[string]string{
		`{"a":1,"b":{"a":2},"c":[{"a":1},{"a":2}]}`: "",
		`{"a":1,"b":{"x":2,"x":3}}`:                 "x",
		`{"a":[1,{"b":1}],"a":2}`:                   "a",
		`[{"k":"k"},{"k":{"k":1}}]`:                 "",
	} {
		if got := duplicateKey([]byte(doc)); got != want {
			t.Errorf("duplicateKey(%s) = %q, want %q", doc, got, want)
		}
	}
}

// causeName, which check's text form, test's assertions and plan use,
// names each cause as the library's JSON does.
func TestCauseNameAgreesWithLibrary(t *testing.T) {
	n := 0
	for r := extlink.Reason(1); !strings.HasPrefix(r.String(), "Reason("); r++ {
		d := extlink.Decision{Action: extlink.ActTalk, Rule: extlink.R2, By: "a", Who: "b", Reason: r}
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatalf("%v: %v", r, err)
		}
		var j struct{ Cause string }
		if err := json.Unmarshal(b, &j); err != nil {
			t.Fatal(err)
		}
		if got := causeName(d.Cause()); got != j.Cause || got == "" {
			t.Errorf("reason %v: causeName %q, library %q", r, got, j.Cause)
		}
		n++
	}
	if n < 10 {
		t.Errorf("only %d reasons", n)
	}
}
