package main

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// joinObjects returns one JSON object holding the keys of every part in
// order, each part being a value that marshals to an object. A part's
// bytes are kept as its MarshalJSON or json.Marshal gives them, so that a decision is written
// exactly as the library writes it ([extlink.Decision.MarshalJSON]), with
// whatever keys the library adds, and the command's own keys after it.
// The parts must not share a key; the tests check that they do not.
func joinObjects(parts ...any) ([]byte, error) {
	out := make([]byte, 1, 1024)
	out[0] = '{'
	for _, p := range parts {
		var b []byte
		var err error
		if m, ok := p.(json.Marshaler); ok {
			// The library's and the command's own marshalers write compact,
			// valid JSON: no need for json.Marshal's second pass over it.
			b, err = m.MarshalJSON()
		} else {
			b, err = json.Marshal(p)
		}
		if err != nil {
			return nil, err
		}
		b = bytes.TrimSpace(b)
		if len(b) < 2 || b[0] != '{' || b[len(b)-1] != '}' {
			return nil, fmt.Errorf("%T marshals to %.40q, not to an object", p, b)
		}
		inner := bytes.TrimSpace(b[1 : len(b)-1])
		if len(inner) == 0 {
			continue
		}
		if len(out) > 1 {
			out = append(out, ',')
		}
		out = append(out, inner...)
	}
	return append(out, '}'), nil
}
