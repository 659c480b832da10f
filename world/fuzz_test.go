package world_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/extlink/extlink/world"
)

// FuzzDecode checks that Decode never panics, and either returns a world
// or a *world.Error with at least one well-placed problem; a world it
// returns encodes to a document that decodes to the same world. The seed
// corpus is testdata/fuzz/FuzzDecode plus the example worlds and the
// adversarial ones of issue 14: bad IDs, invalid UTF-8, a group whose
// members are all masters.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob("../examples/*.json")
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"tenants": [{"id": "t\u0007"}], "users": [{"id": "a\nb", "tenant": "t1"}], "groups": [{"home": "t1", "members": ["a\u0085"], "masters": ["a"]}]}`))
	f.Add([]byte("{\"tenants\": [{\"id\": \"t\xff\"}], \"users\": [{\"id\": \"a\xfe\"}]}"))
	f.Add(bigGroup(300))
	f.Fuzz(func(t *testing.T, data []byte) {
		w, err := world.Decode("fuzz.json", bytes.NewReader(data))
		if (w == nil) == (err == nil) {
			t.Fatalf("Decode returned world %v and error %v: want exactly one", w, err)
		}
		if err != nil {
			var we *world.Error
			if !errors.As(err, &we) || len(we.Problems) == 0 {
				t.Fatalf("error %T %q: want a *world.Error with problems", err, err)
			}
			for _, p := range we.Problems {
				if p.File != "fuzz.json" || p.Line < 1 || p.Col < 1 || p.Msg == "" {
					t.Fatalf("badly placed problem %+v", p)
				}
			}
			_ = err.Error()
			return
		}
		var buf bytes.Buffer
		if err := world.Encode(&buf, w); err != nil {
			t.Fatalf("Encode: %v", err)
		}
		text := buf.String()
		w2, err := world.Decode("again.json", &buf)
		if err != nil {
			t.Fatalf("decoding the encoded world:\n%s\n%v", text, err)
		}
		var again bytes.Buffer
		if err := world.Encode(&again, w2); err != nil || again.String() != text {
			t.Fatalf("the world changed on a round trip:\n%s\nthen:\n%s", text, again.String())
		}
	})
}
