-- 0017 Open311 API keys (issue #14 item 7): GeoReport v2 requires an
-- api_key to POST a request.  The admin issues one key per client (the
-- application that files requests: a city app, FixMyStreet, …); the key
-- is shown once and kept only as its SHA-256, like session tokens.
CREATE TABLE open311_keys (
	id          INTEGER PRIMARY KEY,
	name        TEXT    NOT NULL,                  -- the client, as the admin names it
	key_hash    BLOB    NOT NULL UNIQUE CHECK (length(key_hash) = 32),
	prefix      TEXT    NOT NULL,                  -- first characters of the key, to recognise it
	created_at  INTEGER NOT NULL,
	created_by  TEXT    NOT NULL,
	revoked_at  INTEGER,
	revoked_by  TEXT    NOT NULL DEFAULT '',
	last_used   INTEGER,
	uses        INTEGER NOT NULL DEFAULT 0 CHECK (uses >= 0)
) STRICT;
