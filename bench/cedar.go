package bench

import (
	_ "embed"
	"fmt"
	"slices"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/x/exp/schema"
	"github.com/cedar-policy/cedar-go/x/exp/schema/resolved"

	"github.com/extlink/extlink"
)

// PolicyText is the Cedar policy set for the talk and call rules: the
// contents of talk.cedar.
//
//go:embed talk.cedar
var PolicyText []byte

// SchemaText is the Cedar schema the policies and entities follow: the
// contents of talk.cedarschema.
//
//go:embed talk.cedarschema
var SchemaText []byte

// The Cedar entity types and actions of talk.cedarschema.
const (
	TypeUser   = cedar.EntityType("User")
	TypeTenant = cedar.EntityType("Tenant")
	TypeAccess = cedar.EntityType("Access")
	TypeAction = cedar.EntityType("Action")
)

// Policies parses [PolicyText] into a policy set, each policy named by its
// @id annotation ("R2-linked"), so that a [cedar.Diagnostic] names rules.
func Policies() (*cedar.PolicySet, error) {
	list, err := cedar.NewPolicyListFromBytes("talk.cedar", PolicyText)
	if err != nil {
		return nil, err
	}
	ps := cedar.NewPolicySet()
	for i, p := range list {
		id, ok := p.Annotations()["id"]
		if !ok {
			return nil, fmt.Errorf("talk.cedar: policy %d has no @id", i)
		}
		if !ps.Add(cedar.PolicyID(id), p) {
			return nil, fmt.Errorf("talk.cedar: @id %q is used twice", id)
		}
	}
	return ps, nil
}

// Schema parses and resolves [SchemaText].
func Schema() (*resolved.Schema, error) {
	var s schema.Schema
	s.SetFilename("talk.cedarschema")
	if err := s.UnmarshalCedar(SchemaText); err != nil {
		return nil, err
	}
	return s.Resolve()
}

// Cedar is the talk and call rules evaluated by cedar-go: the policy set of
// talk.cedar over one directory's tenants, users and links as Cedar entities.
// It is built once by [NewCedar] and then only read, so it is safe for
// concurrent use.
type Cedar struct {
	Policies *cedar.PolicySet
	Entities cedar.EntityMap
}

// NewCedar builds the Cedar entities of d: a Tenant for each tenant, its
// Works and LINE access and its calls switch as attributes; a User for each
// user, with its tenant (none for a LINE user), its connected flag and the
// set of users it is linked with. Links are a Set<User> attribute tested
// with contains, not parents: Cedar's in follows parents transitively, which
// would make a friend of a friend linked. It costs O(users + links).
func NewCedar(d *extlink.Directory) (*Cedar, error) {
	ps, err := Policies()
	if err != nil {
		return nil, err
	}
	users, tenants, _ := d.Len()
	em := make(cedar.EntityMap, users+tenants)
	for t := range d.Tenants() {
		uid := cedar.NewEntityUID(TypeTenant, cedar.String(t.ID))
		em[uid] = cedar.Entity{
			UID: uid,
			Attributes: cedar.NewRecord(cedar.RecordMap{
				"works": accessUID(t.Policy.Works),
				"line":  accessUID(t.Policy.LINE),
				"calls": cedar.Boolean(!t.Policy.NoCalls),
			}),
		}
	}
	var links []cedar.Value
	for u := range d.Users() {
		uid := UserUID(u.ID)
		links = links[:0]
		for v := range d.Links(u.ID) {
			links = append(links, UserUID(v))
		}
		attrs := cedar.RecordMap{
			"connected": cedar.Boolean(u.Connected),
			"links":     cedar.NewSet(slices.Clip(links)...),
		}
		if u.Kind == extlink.WorksUser {
			attrs["tenant"] = cedar.NewEntityUID(TypeTenant, cedar.String(u.Tenant))
		}
		em[uid] = cedar.Entity{UID: uid, Attributes: cedar.NewRecord(attrs)}
	}
	return &Cedar{Policies: ps, Entities: em}, nil
}

func accessUID(a extlink.Access) cedar.EntityUID {
	return cedar.NewEntityUID(TypeAccess, cedar.String(a.String()))
}

// UserUID returns the Cedar entity UID of the user id: User::"id".
func UserUID(id extlink.UserID) cedar.EntityUID {
	return cedar.NewEntityUID(TypeUser, cedar.String(id))
}

// Request returns the Cedar request for the question "may from act with
// to?", where act is [extlink.ActTalk] or [extlink.ActCall]. It panics for
// any other action: a programmer's mistake.
func Request(act extlink.Action, from, to extlink.UserID) cedar.Request {
	var name cedar.String
	switch act {
	case extlink.ActTalk:
		name = "talk"
	case extlink.ActCall:
		name = "call"
	default:
		panic(fmt.Sprintf("bench: Request: %v is not talk or call", act))
	}
	return cedar.Request{
		Principal: UserUID(from),
		Action:    cedar.NewEntityUID(TypeAction, name),
		Resource:  UserUID(to),
	}
}

// Authorize decides req with [cedar.Authorize]. A policy that fails to
// evaluate is skipped by Cedar and shows only in the diagnostic's Errors;
// callers checking correctness must look there.
func (c *Cedar) Authorize(req cedar.Request) (cedar.Decision, cedar.Diagnostic) {
	return cedar.Authorize(c.Policies, c.Entities, req)
}

// Decide is Authorize for the question "may from act with to?".
func (c *Cedar) Decide(act extlink.Action, from, to extlink.UserID) (cedar.Decision, cedar.Diagnostic) {
	return c.Authorize(Request(act, from, to))
}
