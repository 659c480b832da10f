package extlink

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// The library's own text and JSON forms, so that a service logs, stores
// and returns decisions and groups without writing its own (R24, R26).

// MarshalText encodes r as its label, "R13" or "D4". It fails for a value
// out of range and for the zero Rule.
func (r Rule) MarshalText() ([]byte, error) {
	if r == 0 || r >= ruleEnd {
		return nil, fmt.Errorf("extlink: %w", errInvalidf("Rule(%d) is out of range", uint8(r)))
	}
	return []byte(r.String()), nil
}

// UnmarshalText decodes a label, "R13" or "D4". It leaves r unchanged on
// error.
func (r *Rule) UnmarshalText(b []byte) error {
	for x := R1; x < ruleEnd; x++ {
		if x.String() == string(b) {
			*r = x
			return nil
		}
	}
	return fmt.Errorf("extlink: %w", errInvalidf("unknown rule %q (want R1-R28 or D1-D8)", b))
}

// MarshalText encodes r as its name, "not-linked". It fails for a value out
// of range.
func (r Reason) MarshalText() ([]byte, error) {
	if r >= reasonEnd {
		return nil, fmt.Errorf("extlink: %w", errInvalidf("Reason(%d) is out of range", uint8(r)))
	}
	return []byte(reasonNames[r]), nil
}

// UnmarshalText decodes a reason's name. It leaves r unchanged on error.
func (r *Reason) UnmarshalText(b []byte) error {
	for x := ReasonNone; x < reasonEnd; x++ {
		if reasonNames[x] == string(b) {
			*r = x
			return nil
		}
	}
	return fmt.Errorf("extlink: %w", errInvalidf("unknown reason %q", b))
}

// MarshalText encodes a as its name, "talk" or "create-group". It fails for
// a value out of range and for the zero Action.
func (a Action) MarshalText() ([]byte, error) {
	if a == 0 || a >= actEnd {
		return nil, fmt.Errorf("extlink: %w", errInvalidf("Action(%d) is out of range", uint8(a)))
	}
	return []byte(a.String()), nil
}

// UnmarshalText decodes an action's name. It leaves a unchanged on error.
func (a *Action) UnmarshalText(b []byte) error {
	for x := Action(1); x < actEnd; x++ {
		if x.String() == string(b) {
			*a = x
			return nil
		}
	}
	return fmt.Errorf("extlink: %w", errInvalidf("unknown action %q", b))
}

// decisionJSON is a Decision's JSON form; see [Decision.MarshalJSON].
type decisionJSON struct {
	Allowed bool     `json:"allowed"`
	Action  Action   `json:"action"`
	By      UserID   `json:"by"`
	Who     UserID   `json:"who,omitempty"`
	Rule    Rule     `json:"rule"`
	Reason  Reason   `json:"reason,omitempty"`
	Cause   string   `json:"cause,omitempty"`
	Party   UserID   `json:"party,omitempty"`
	Tenant  TenantID `json:"tenant,omitempty"`
	Remedy  string   `json:"remedy,omitempty"`
	Fix     []Change `json:"fix,omitempty"`
	Before  []Change `json:"policyBefore,omitempty"`
	None    bool     `json:"noFix,omitempty"`
	Text    string   `json:"text"`
}

// causeNames names the cause sentinels in JSON.
var causeNames = []struct {
	err  error
	name string
}{
	{ErrUnknownUser, "ErrUnknownUser"}, {ErrDissolved, "ErrDissolved"}, {ErrNotMember, "ErrNotMember"},
	{ErrNotMaster, "ErrNotMaster"}, {ErrAlreadyMember, "ErrAlreadyMember"}, {ErrLastMaster, "ErrLastMaster"},
	{ErrInternalGroup, "ErrInternalGroup"}, {ErrNotPermitted, "ErrNotPermitted"},
	{ErrNotLinked, "ErrNotLinked"}, {ErrCallsOff, "ErrCallsOff"},
}

// MarshalJSON encodes d as one object, stable for logs and APIs:
//
//	{"allowed":false,"action":"talk","by":"me","who":"b","rule":"R2",
//	 "reason":"not-linked","cause":"ErrNotLinked","remedy":"link me with b first",
//	 "text":"me cannot talk with b: not linked (R2); link me with b first"}
//
// "who", "reason", "cause" (the sentinel's name), "party", "tenant" and
// "remedy" are left out when empty; "text" is [Decision.String]. "fix" is
// [Decision.Fix], the directory changes that make the question allowed,
// each as a [Change] marshals, and "policyBefore" the policies its
// setPolicy changes replace, as setPolicy changes that would undo them;
// "noFix" is true when the directory was
// at fault but no change of it helps (a LINE user is never called). Both
// are left out otherwise. The zero Decision, which names no action, fails.
//
//	{"allowed":false,"action":"talk","by":"me","who":"b","rule":"R2",
//	 "reason":"not-connected","cause":"ErrNotPermitted","party":"b","tenant":"t2",
//	 "remedy":"add b to t2's connected members, and link me with b",
//	 "fix":[{"op":"setConnected","user":{"id":"b","connected":true}},{"op":"addLink","link":{"a":"me","b":"b"}}],
//	 "text":"..."}
func (d Decision) MarshalJSON() ([]byte, error) {
	j := decisionJSON{Allowed: d.Allowed, Action: d.Action, By: d.By, Who: d.Who, Rule: d.Rule,
		Reason: d.Reason, Party: d.Party, Tenant: d.Tenant, Text: d.String()}
	if !d.Allowed {
		j.Remedy, j.Fix, j.Before, j.None = d.Remedy(), d.Fix(), d.before(), d.fx.bits&fixNone != 0
		for _, c := range causeNames {
			if c.err == d.Cause() {
				j.Cause = c.name
			}
		}
	}
	return json.Marshal(j)
}

// UnmarshalJSON decodes what [Decision.MarshalJSON] writes, so that a
// logged decision can be read back and compared (R26); "cause", "remedy"
// and "text" are derived, and read only to check that they are strings.
// It fails, wrapping [ErrInvalid], on an unknown field or word, and leaves
// d unchanged then.
func (d *Decision) UnmarshalJSON(b []byte) error {
	var j decisionJSON
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		if errors.Is(err, ErrInvalid) {
			return fmt.Errorf("extlink: cannot unmarshal decision: %w", err)
		}
		return fmt.Errorf("extlink: cannot unmarshal decision: %w: %w", ErrInvalid, err)
	}
	n := Decision{Allowed: j.Allowed, Rule: j.Rule, Action: j.Action, By: j.By, Who: j.Who,
		Reason: j.Reason, Party: j.Party, Tenant: j.Tenant}
	if !n.setFix(j.Fix, j.Before) || j.None && (len(j.Fix) > 0 || n.Allowed) {
		return fmt.Errorf("extlink: cannot unmarshal decision: %w", errInvalidf("\"fix\" is not a fix for %s's %s: want at most two setPolicy changes, %s and %s joining the connected members, and their link, in that order, and none when allowed or \"noFix\" is set", n.By, n.Action, n.By, n.Who))
	}
	if j.None {
		n.fx.bits |= fixNone
	}
	*d = n
	return nil
}

// MarshalJSON encodes g as its [GroupState], the shape world files use for
// groups: {"members":[...],"masters":[...],"external":true,"home":"t1"}.
func (g Group) MarshalJSON() ([]byte, error) { return json.Marshal(g.State()) }

// UnmarshalJSON decodes a [GroupState] and restores it with [RestoreGroup],
// which checks its consistency; an error wraps [ErrInvalid] and leaves g
// unchanged. [Reconcile] then checks it against a directory.
func (g *Group) UnmarshalJSON(b []byte) error {
	var s GroupState
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return fmt.Errorf("extlink: cannot unmarshal group: %w: %w", ErrInvalid, err)
	}
	n, err := RestoreGroup(s)
	if err != nil {
		if errors.Is(err, ErrInvalid) {
			return err
		}
		return fmt.Errorf("extlink: cannot unmarshal group: %w: %s", ErrInvalid, strings.TrimPrefix(err.Error(), "extlink: "))
	}
	*g = n
	return nil
}
