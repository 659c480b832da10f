// Package sqlstore keeps an extlink directory (tenants, users, links) and
// groups in a database: SQLite, embedded and pure Go, by default, or
// PostgreSQL to share one store among many replicas.
//
// The database is the source of truth and a change log; each replica
// decides in memory, on a snapshot it keeps current by following that log
// (the shape of Zanzibar's snapshots and OpenFGA's ReadChanges). Decisions
// never touch the database, so they stay pure functions of a directory and
// a question (R26), as fast as with a directory built in memory, and
// database errors surface where they happen: when writing and when
// following, never as a denial.
//
//	db, err := sqlstore.Open(ctx, "sqlite:/var/lib/extlink/extlink.db") // or "postgres://..."
//	rev, err := db.Apply(ctx, extlink.AddUser(u), extlink.AddLink(u.ID, "b"))
//	live, err := db.Follow(ctx)
//	d, _ := live.Directory() // never blocks, never touches the database
//	extlink.CanTalk(d, "me", "b")
//
// # Writing
//
// [DB.Apply] takes one batch of [extlink.Change] values and checks it
// exactly as [extlink.Directory.With] does, against the latest revision:
// a bad batch is refused whole, with With's error, and writes nothing. A
// good one is written, to the tables and as one entry of the change log,
// in one transaction, and takes the next revision ([Rev]). Writers
// serialize, in one process or in several, so revisions are contiguous.
//
// # Reading
//
// [DB.Directory] reads every table (the cost of the whole directory);
// [DB.Follow] returns a [Live], which reads the tables once and then only
// the change log, applying each revision with With: by polling and, on
// PostgreSQL, woken by LISTEN/NOTIFY. If the database goes away, a Live
// keeps serving its last snapshot, says how stale it is ([Live.Status]),
// retries with backoff, and catches up without skipping or repeating a
// revision. [Live.Wait] waits for a revision, to read one's own writes.
//
// # Groups
//
// Groups are stored as data ([extlink.GroupState], JSON) with a [Version]
// for optimistic concurrency: [DB.SaveGroup] fails with [ErrConflict] if
// the group was saved since it was read, and [DB.UpdateGroup] retries. A
// group is reconciled with the directory at the latest revision when
// loaded ([extlink.Reconcile], R20); [DB.LoadGroup] reports whom that
// removed.
//
// # Order
//
// IDs are compared by their bytes everywhere (R26): the ID columns are
// COLLATE "C" on PostgreSQL (SQLite's default collation is bytewise), and
// the directory orders itself in memory, so a database created with a
// locale collation gives the same order, and the same plans, as a
// directory built from slices.
//
// # Schema
//
// Open creates the tables (all named extlink_*) in an empty database and
// records the schema's version; it refuses a database whose schema a newer
// version of this package made ([ErrSchema]). The log keeps every change as
// the JSON that [extlink.Change] marshals to, one row per change, so it
// can be read by anyone: SELECT change FROM extlink_log ORDER BY rev, seq.
package sqlstore
