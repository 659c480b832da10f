package sqlstore

import "errors"

// The sentinels of this package. Use [errors.Is]: the errors returned wrap
// them and name the group or database involved.
var (
	// ErrConflict: a group was changed since the version given to
	// [DB.SaveGroup] (or exists already, for [DB.CreateGroup]).
	ErrConflict = errors.New("sqlstore: conflict")
	// ErrNotFound: no group has the ID asked for.
	ErrNotFound = errors.New("sqlstore: not found")
	// ErrSchema: the database's schema is newer than this package knows,
	// or is not one this package made.
	ErrSchema = errors.New("sqlstore: unknown schema")
	// ErrClosed: the [DB] or the [Live] is closed.
	ErrClosed = errors.New("sqlstore: closed")
)
