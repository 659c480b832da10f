package world_test

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/extlink/extlink"
	"github.com/extlink/extlink/world"
)

// bigGroup returns a world of n members of t1, all of them members and
// masters of one group: the file that took seconds and gigabytes to decode
// while RestoreGroup copied the master list per master.
func bigGroup(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"tenants": [{"id": "t1"}], "users": [`)
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `{"id": "u%06d", "tenant": "t1"}`, i)
	}
	b.WriteString("],\n\"groups\": [{\"home\": \"t1\", \"members\": [")
	for k := range 2 {
		if k == 1 {
			b.WriteString("], \"masters\": [")
		}
		for i := range n {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, `"u%06d"`, i)
		}
	}
	b.WriteString("]}]}\n")
	return b.Bytes()
}

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Decoding a group of n masters costs memory linear in n (give or take a
// log): four times the members cost well under eight times the bytes. The
// quadratic decoder allocated 16 times as much.
func TestDecodeBigGroupNotQuadratic(t *testing.T) {
	decode := func(n int) uint64 {
		data := bigGroup(n)
		return allocated(func() {
			w, err := world.Decode("w.json", bytes.NewReader(data))
			if err != nil || len(w.Groups) != 1 || len(w.Groups[0].Group.Masters()) != n {
				t.Fatalf("n=%d: %v", n, err)
			}
		})
	}
	small, big := decode(2000), decode(8000)
	if big > 8*small {
		t.Errorf("decoding 2,000 masters allocated %d bytes, 8,000: %d (%.1fx): quadratic", small, big, float64(big)/float64(small))
	}
}

// The limits: the problems listed (the first ones in file order, then how
// many more), the length of an ID and the document's size, each with a
// message that says which limit; every one wraps ErrInvalid.
func TestDecodeLimits(t *testing.T) {
	// 250 users with an unknown kind: 250 problems.
	var b strings.Builder
	b.WriteString(`{"tenants": [{"id": "t1"}], "users": [`)
	for i := range 250 {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `{"id": "u%03d", "tenant": "t1", "kind": "robot"}`, i)
	}
	b.WriteString("]}")
	doc := b.String()
	for _, tt := range []struct {
		lim        world.Limits
		listed     int
		more       int
		firstIndex int
	}{
		{world.Limits{}, 100, 150, 0},
		{world.Limits{MaxProblems: 7}, 7, 243, 0},
		{world.Limits{MaxProblems: -1}, 250, 0, 0},
	} {
		_, err := world.DecodeLimits("w.json", strings.NewReader(doc), tt.lim)
		var we *world.Error
		if !errors.As(err, &we) || !errors.Is(err, extlink.ErrInvalid) {
			t.Fatalf("%+v: got %v, want a *world.Error wrapping ErrInvalid", tt.lim, err)
		}
		if len(we.Problems) != tt.listed || we.More != tt.more {
			t.Errorf("%+v: %d listed and %d more, want %d and %d", tt.lim, len(we.Problems), we.More, tt.listed, tt.more)
		}
		for i, p := range we.Problems {
			if p.Index != i || p.Line != i+1 {
				t.Fatalf("%+v: problem %d is %q, want users[%d] on line %d: the first ones in file order", tt.lim, i, p, i, i+1)
			}
		}
		msg := err.Error()
		if want := "invalid world: 250 problems:"; !strings.Contains(msg, want) {
			t.Errorf("%+v: message lacks %q", tt.lim, want)
		}
		if want := fmt.Sprintf("\n\tand %d more", tt.more); tt.more > 0 && !strings.HasSuffix(msg, want) {
			t.Errorf("%+v: message ends %q, want %q", tt.lim, msg[max(0, len(msg)-40):], want)
		}
	}

	const small = `{"tenants": [{"id": "t1"}], "users": [{"id": "abcdefgh", "tenant": "t1"}], "groups": [{"home": "t1", "members": ["abcdefgh"], "masters": ["abcdefgh"]}]}`
	if _, err := world.DecodeLimits("w.json", strings.NewReader(small), world.Limits{MaxIDLen: 8}); err != nil {
		t.Errorf("IDs of 8 bytes, MaxIDLen 8: %v", err)
	}
	_, err := world.DecodeLimits("w.json", strings.NewReader(small), world.Limits{MaxIDLen: 7})
	if want := `w.json:1:46: users[0] "abcdefgh": id: ID of 8 bytes, longer than 7 (the decoder's MaxIDLen) (R26)`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("MaxIDLen 7: got %v, want %q", err, want)
	}
	long := strings.Repeat("x", 1025)
	_, err = world.Decode("w.json", strings.NewReader(`{"tenants": [{"id": "t1"}], "users": [{"id": "`+long+`", "tenant": "t1"}]}`))
	if want := "id: ID of 1025 bytes, longer than 1024"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("an ID of 1,025 bytes: got %v, want %q", err, want)
	}

	_, err = world.DecodeLimits("w.json", strings.NewReader(small), world.Limits{MaxBytes: int64(len(small) - 1)})
	if want := fmt.Sprintf("w.json: the document is larger than %d bytes, the decoder's MaxBytes", len(small)-1); err == nil || err.Error() != want || !errors.Is(err, extlink.ErrInvalid) {
		t.Errorf("MaxBytes: got %v, want %q", err, want)
	}
	if _, err := world.DecodeLimits("w.json", strings.NewReader(small), world.Limits{MaxBytes: int64(len(small))}); err != nil {
		t.Errorf("MaxBytes = the size: %v", err)
	}
}
