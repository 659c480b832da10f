package extlinktest

import (
	"testing"

	"github.com/extlink/extlink"
)

func newDirectoryStore(tenants []extlink.Tenant, users []extlink.User, links []extlink.Link) (extlink.Store, error) {
	return extlink.NewDirectory(tenants, users, links)
}

// TestStore passes on the library's own store.
func TestStoreDirectory(t *testing.T) {
	TestStore(t, newDirectoryStore)
}
