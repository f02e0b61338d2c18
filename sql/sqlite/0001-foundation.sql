-- 0001 foundation: the agency, accounts, sessions and the audit trail.
-- Every table is STRICT; times are Unix seconds UTC unless named *_us.

CREATE TABLE agency (
	id          INTEGER PRIMARY KEY CHECK (id = 1),
	name        TEXT    NOT NULL,
	code        TEXT    NOT NULL,
	demo        INTEGER NOT NULL CHECK (demo IN (0, 1)),
	secret      BLOB    NOT NULL CHECK (length(secret) = 32),
	created_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE users (
	id          INTEGER PRIMARY KEY,
	username    TEXT    NOT NULL UNIQUE,
	full_name   TEXT    NOT NULL DEFAULT '',
	role        TEXT    NOT NULL CHECK (role IN ('admin', 'leader', 'clerk', 'officer', 'viewer')),
	unit        TEXT    NOT NULL DEFAULT '',
	active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	pwhash      TEXT    NOT NULL,
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE sessions (
	token_hash      BLOB    PRIMARY KEY,
	user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at      INTEGER NOT NULL,
	last_seen_at    INTEGER NOT NULL,
	idle_expires_at INTEGER NOT NULL,
	expires_at      INTEGER NOT NULL,
	client          TEXT    NOT NULL DEFAULT ''
) STRICT, WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);

-- The audit trail: append-only, each event chained to the previous one by
-- hash = SHA-256(prev_hash, id, at_us, actor, action, object, details).
-- `motcua check` recomputes the chain and checks these triggers exist.
CREATE TABLE audit_events (
	id          INTEGER PRIMARY KEY,
	at_us       INTEGER NOT NULL,
	actor       TEXT    NOT NULL,
	action      TEXT    NOT NULL,
	object      TEXT    NOT NULL,
	details     TEXT    NOT NULL,
	prev_hash   TEXT    NOT NULL,
	hash        TEXT    NOT NULL
) STRICT;
CREATE INDEX audit_events_object ON audit_events (object);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
