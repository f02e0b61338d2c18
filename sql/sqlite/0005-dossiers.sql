-- 0005 dossiers: the one-stop desk's records (issue #5).  A dossier keeps
-- the procedure version it was received under.  Codes come from a per-
-- agency, per-day counter incremented in the same transaction as the
-- insert, so they are unique and gap-free (DOMAIN decision 7).

CREATE TABLE dossier_sequences (
	agency  TEXT    NOT NULL,
	day     TEXT    NOT NULL,   -- YYMMDD in UTC+7
	last    INTEGER NOT NULL CHECK (last > 0),
	PRIMARY KEY (agency, day)
) STRICT, WITHOUT ROWID;

CREATE TABLE dossiers (
	id                    INTEGER PRIMARY KEY,
	code                  TEXT    NOT NULL UNIQUE,
	procedure_version_id  INTEGER NOT NULL REFERENCES procedure_versions (id),
	procedure_code        TEXT    NOT NULL,
	channel               TEXT    NOT NULL CHECK (channel IN ('counter', 'online', 'post')),
	applicant             TEXT    NOT NULL,   -- JSON: name, id_number, date_of_birth, sex, phone, email, address
	applicant_name        TEXT    NOT NULL,
	applicant_key         TEXT    NOT NULL,   -- folded name, for search without tones
	id_number             TEXT,
	phone                 TEXT,
	documents             TEXT    NOT NULL,   -- JSON: the checklist as received
	note                  TEXT    NOT NULL DEFAULT '',
	status                TEXT    NOT NULL,   -- core/dossier_fsm.c state code
	stage                 TEXT    NOT NULL DEFAULT '',
	received_at           INTEGER NOT NULL,
	due_at                INTEGER NOT NULL,
	received_by           TEXT    NOT NULL,
	assignee              INTEGER,            -- users.id while processing
	resume_state          TEXT    NOT NULL DEFAULT '',  -- where a wait returns to
	resume_stage          TEXT    NOT NULL DEFAULT '',
	paused_at             INTEGER,            -- the clock is paused since (decision 5)
	appointment_at        INTEGER,            -- the date last promised by an apology
	finished_at           INTEGER,            -- the clock stopped (result ready, refused …)
	version               INTEGER NOT NULL DEFAULT 1,  -- bumped by every action: optimistic lock
	updated_at            INTEGER NOT NULL
) STRICT;
CREATE INDEX dossiers_phone ON dossiers (phone);
CREATE INDEX dossiers_id_number ON dossiers (id_number);
CREATE INDEX dossiers_due ON dossiers (status, due_at);

-- The timeline: one row per action, written with the dossier's change.
CREATE TABLE dossier_events (
	id          INTEGER PRIMARY KEY,
	dossier_id  INTEGER NOT NULL REFERENCES dossiers (id),
	at          INTEGER NOT NULL,
	actor       TEXT    NOT NULL,
	action      TEXT    NOT NULL,
	from_state  TEXT    NOT NULL,
	to_state    TEXT    NOT NULL,
	note        TEXT    NOT NULL DEFAULT '',
	details     TEXT    NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX dossier_events_dossier ON dossier_events (dossier_id, id);
