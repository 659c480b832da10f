package extlinktest

import (
	"flag"
	"fmt"
	"iter"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/extlink/extlink"
	"pgregory.net/rapid"
)

func newDirectoryStore(tenants []extlink.Tenant, users []extlink.User, links []extlink.Link) (extlink.Store, error) {
	return extlink.NewDirectory(tenants, users, links)
}

// TestStore passes on the library's own store.
func TestStoreDirectory(t *testing.T) {
	TestStore(t, newDirectoryStore)
}

// recorder is a rapid.TB that records what a check reports instead of
// failing the test, so that a test can check that TestStore's checks fail.
// Fatalf and FailNow end the goroutine, as on a *testing.T: run the check
// with record.
type recorder struct {
	name   string
	mu     sync.Mutex
	logs   []string
	failed bool
}

func (r *recorder) add(failed bool, s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.logs = append(r.logs, s)
	r.failed = r.failed || failed
}

func (r *recorder) Helper()                         {}
func (r *recorder) Name() string                    { return r.name }
func (r *recorder) Logf(format string, args ...any) { r.add(false, fmt.Sprintf(format, args...)) }
func (r *recorder) Log(args ...any)                 { r.add(false, fmt.Sprint(args...)) }
func (r *recorder) Errorf(format string, args ...any) {
	r.add(true, fmt.Sprintf(format, args...))
}
func (r *recorder) Error(args ...any) { r.add(true, fmt.Sprint(args...)) }
func (r *recorder) Fatalf(format string, args ...any) {
	r.add(true, fmt.Sprintf(format, args...))
	runtime.Goexit()
}
func (r *recorder) Fatal(args ...any) { r.add(true, fmt.Sprint(args...)); runtime.Goexit() }
func (r *recorder) FailNow()          { r.add(true, "FailNow"); runtime.Goexit() }
func (r *recorder) Fail()             { r.add(true, "Fail") }
func (r *recorder) Skipf(format string, args ...any) {
	r.add(false, fmt.Sprintf(format, args...))
	runtime.Goexit()
}
func (r *recorder) Skip(args ...any) { r.add(false, fmt.Sprint(args...)); runtime.Goexit() }
func (r *recorder) SkipNow()         { runtime.Goexit() }
func (r *recorder) Failed() bool     { r.mu.Lock(); defer r.mu.Unlock(); return r.failed }
func (r *recorder) output() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.logs, "\n")
}

var _ rapid.TB = (*recorder)(nil)

// record runs f with a recorder on a goroutine of its own and returns the
// recorder once f returns or ends the goroutine.
func record(name string, f func(tb rapid.TB)) *recorder {
	r := &recorder{name: name}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
	return r
}

// noFailFiles stops rapid from saving the failing cases these tests
// provoke under testdata/, for the test's duration.
func noFailFiles(t *testing.T) {
	f := flag.Lookup("rapid.nofailfile")
	if f == nil {
		t.Fatal("rapid has no -rapid.nofailfile flag")
	}
	old := f.Value.String()
	if err := f.Value.Set("true"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Value.Set(old) })
}

// broken wraps a Directory and breaks one promise.
type broken struct {
	*extlink.Directory
	links   func(d *extlink.Directory, u extlink.UserID) iter.Seq[extlink.UserID]
	linked  func(d *extlink.Directory, a, b extlink.UserID) bool
	members func(d *extlink.Directory, t extlink.TenantID) iter.Seq[extlink.UserID]
	user    func(d *extlink.Directory, id extlink.UserID) (extlink.User, bool)
}

func (b *broken) Links(u extlink.UserID) iter.Seq[extlink.UserID] {
	if b.links != nil {
		return b.links(b.Directory, u)
	}
	return b.Directory.Links(u)
}

func (b *broken) Linked(u, v extlink.UserID) bool {
	if b.linked != nil {
		return b.linked(b.Directory, u, v)
	}
	return b.Directory.Linked(u, v)
}

func (b *broken) Members(t extlink.TenantID) iter.Seq[extlink.UserID] {
	if b.members != nil {
		return b.members(b.Directory, t)
	}
	return b.Directory.Members(t)
}

func (b *broken) User(id extlink.UserID) (extlink.User, bool) {
	if b.user != nil {
		return b.user(b.Directory, id)
	}
	return b.Directory.User(id)
}

func newBroken(b broken) newStoreFunc {
	return func(tenants []extlink.Tenant, users []extlink.User, links []extlink.Link) (extlink.Store, error) {
		d, err := extlink.NewDirectory(tenants, users, links)
		if err != nil {
			return nil, err
		}
		s := b
		s.Directory = d
		return &s, nil
	}
}

func collectAll(seq iter.Seq[extlink.UserID]) []extlink.UserID {
	var ids []extlink.UserID
	for id := range seq {
		ids = append(ids, id)
	}
	return ids
}

// TestStore fails on stores that break the contract, naming the promise
// broken and printing a small input.
func TestStoreFailsOnBrokenStores(t *testing.T) {
	noFailFiles(t)
	for _, tc := range []struct {
		name    string
		store   broken
		promise string // the subtest that must fail
		want    string // what its report must say
	}{
		{
			name: "unsorted Links",
			store: broken{links: func(d *extlink.Directory, u extlink.UserID) iter.Seq[extlink.UserID] {
				ids := collectAll(d.Links(u))
				slices.Reverse(ids)
				return slices.Values(ids)
			}},
			promise: "Links",
			want:    "Links(%q) yields users in increasing ID order",
		},
		{
			name: "asymmetric Linked",
			store: broken{linked: func(d *extlink.Directory, a, b extlink.UserID) bool {
				return a < b && d.Linked(a, b)
			}},
			promise: "Linked",
			want:    "Linked is symmetric (R5)",
		},
		{
			name: "Members repeating an ID",
			store: broken{members: func(d *extlink.Directory, t extlink.TenantID) iter.Seq[extlink.UserID] {
				ids := collectAll(d.Members(t))
				if len(ids) > 0 {
					ids = append(ids[:1], ids...)
				}
				return slices.Values(ids)
			}},
			promise: "Members",
			want:    "Members(%q) yields each user once",
		},
		{
			name: "a lookup answering for an unknown ID",
			store: broken{user: func(d *extlink.Directory, id extlink.UserID) (extlink.User, bool) {
				if u, ok := d.User(id); ok {
					return u, true
				}
				return extlink.User{ID: id, Kind: extlink.LINEUser}, true
			}},
			promise: "Lookups",
			want:    "User answers only for users of the input",
		},
		{
			name: "a lookup folding case, as a database collation may",
			store: broken{user: func(d *extlink.Directory, id extlink.UserID) (extlink.User, bool) {
				for u := range d.Users() {
					if strings.EqualFold(string(u.ID), string(id)) {
						return u, true
					}
				}
				return extlink.User{}, false
			}},
			promise: "Lookups",
			want:    "User",
		},
		{
			name: "Members sorted ignoring case, as a database collation may",
			store: broken{members: func(d *extlink.Directory, t extlink.TenantID) iter.Seq[extlink.UserID] {
				ids := collectAll(d.Members(t))
				slices.SortStableFunc(ids, func(a, b extlink.UserID) int {
					return strings.Compare(strings.ToLower(string(a)), strings.ToLower(string(b)))
				})
				return slices.Values(ids)
			}},
			promise: "Members",
			want:    "Members(%q) yields users in increasing ID order",
		},
		{
			name: "Links going on after the loop broke",
			store: broken{links: func(d *extlink.Directory, u extlink.UserID) iter.Seq[extlink.UserID] {
				return func(yield func(extlink.UserID) bool) {
					for v := range d.Links(u) {
						yield(v)
					}
				}
			}},
			promise: "Links",
			want:    "Links(%q) stops when the loop breaks",
		},
		{
			name: "Links sharing one buffer",
			store: func() broken {
				var buf []extlink.UserID // reused by every call: not re-entrant
				return broken{links: func(d *extlink.Directory, u extlink.UserID) iter.Seq[extlink.UserID] {
					return func(yield func(extlink.UserID) bool) {
						buf = append(buf[:0], collectAll(d.Links(u))...)
						for i := 0; i < len(buf); i++ {
							if !yield(buf[i]) {
								return
							}
						}
					}
				}}
			}(),
			promise: "Reentrant",
			want:    "calling the store again while ranging over Links or Members gives the same answers",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, p := range promises {
				if p.name != tc.promise {
					continue
				}
				r := record(t.Name(), func(tb rapid.TB) { checkPromise(tb, p, newBroken(tc.store)) })
				out := r.output()
				want := tc.want
				if strings.Contains(want, "%q") {
					want = want[:strings.Index(want, "(")]
				}
				switch {
				case !r.Failed():
					t.Errorf("%s passed on a store with %s", p.name, tc.name)
				case !strings.Contains(out, "extlinktest: the store breaks a promise: "+want):
					t.Errorf("%s: the report does not name the promise %q:\n%s", p.name, want, out)
				case !strings.Contains(out, "input:\ntenants:\n"):
					t.Errorf("%s: the report prints no input:\n%s", p.name, out)
				}
				if t.Failed() || testing.Verbose() {
					t.Logf("report:\n%s", lastReport(out))
				}
			}
		})
	}
}

// lastReport returns the last broken-promise message in out: the one for
// the shrunk input.
func lastReport(out string) string {
	i := strings.LastIndex(out, "extlinktest: the store breaks a promise")
	if i < 0 {
		return out
	}
	return out[i:]
}
