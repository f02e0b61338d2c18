-- 0014 citizens (issue #13): the people who submit online, a kind apart
-- from staff (never in `users`, never a staff role).  One account per
-- phone number or e-mail address, proven by a one-time code.
CREATE TABLE citizens (
	id          INTEGER PRIMARY KEY,
	contact     TEXT    NOT NULL UNIQUE,   -- normalised phone (0912345678) or lower-case e-mail
	channel     TEXT    NOT NULL CHECK (channel IN ('sms', 'email')),
	created_at  INTEGER NOT NULL
) STRICT;

-- The live one-time code of a recipient: only its keyed hash, when it
-- dies, and the wrong tries so far.  A new send replaces it; a right
-- code, the fifth wrong try or the expiry ends it.
CREATE TABLE citizen_codes (
	contact     TEXT    PRIMARY KEY,
	hash        BLOB    NOT NULL CHECK (length(hash) = 32),
	expires_at  INTEGER NOT NULL,
	attempts    INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0)
) STRICT, WITHOUT ROWID;

-- Citizen sessions (cookie motcua_citizen), by the SHA-256 of the token.
CREATE TABLE citizen_sessions (
	token_hash  BLOB    PRIMARY KEY CHECK (length(token_hash) = 32),
	citizen_id  INTEGER NOT NULL REFERENCES citizens (id),
	created_at  INTEGER NOT NULL,
	expires_at  INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- Who submitted a dossier online: the only citizen who reads it.
CREATE TABLE dossier_owners (
	dossier_id  INTEGER PRIMARY KEY REFERENCES dossiers (id),
	citizen_id  INTEGER NOT NULL REFERENCES citizens (id)
) STRICT;
CREATE INDEX dossier_owners_citizen ON dossier_owners (citizen_id);

-- A citizen's request to withdraw a dossier: the clerk acts on it
-- (action `withdraw`); open until then.
CREATE TABLE withdraw_requests (
	dossier_id  INTEGER PRIMARY KEY REFERENCES dossiers (id),
	citizen_id  INTEGER NOT NULL REFERENCES citizens (id),
	reason      TEXT    NOT NULL,
	at          INTEGER NOT NULL
) STRICT;
