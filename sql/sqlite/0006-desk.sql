-- 0006 desk: what the one-stop desk's screens and forms need (issue #5).
-- The procedure's name and the fee are copied at intake: the receipt and
-- the register print what was promised then, whatever the catalogue says
-- later.  Attachments are stored content-addressed under the data folder
-- (DIR/files/ab/abcdef…); this table says which dossier holds which.

ALTER TABLE dossiers ADD COLUMN procedure_name TEXT NOT NULL DEFAULT '';
ALTER TABLE dossiers ADD COLUMN fee INTEGER NOT NULL DEFAULT 0 CHECK (fee >= 0);  -- whole đồng
ALTER TABLE dossiers ADD COLUMN unit TEXT NOT NULL DEFAULT '';                   -- the unit holding it

UPDATE dossiers SET procedure_name = coalesce(
	(SELECT v.name FROM procedure_versions v WHERE v.id = dossiers.procedure_version_id), '');

CREATE INDEX dossiers_received ON dossiers (received_at);
CREATE INDEX dossiers_assignee ON dossiers (assignee, status);
CREATE INDEX dossiers_name ON dossiers (applicant_key);

-- Each hand-over's own time budget (the control sheet, form 05): the
-- instant the step should be done by; NULL for actions that are not a
-- hand-over.
ALTER TABLE dossier_events ADD COLUMN step_due INTEGER;

CREATE TABLE dossier_attachments (
	id          INTEGER PRIMARY KEY,
	dossier_id  INTEGER NOT NULL REFERENCES dossiers (id),
	sha256      TEXT    NOT NULL CHECK (length(sha256) = 64),
	name        TEXT    NOT NULL,
	mime        TEXT    NOT NULL,
	size        INTEGER NOT NULL CHECK (size > 0),
	at          INTEGER NOT NULL,
	actor       TEXT    NOT NULL,
	UNIQUE (dossier_id, sha256)
) STRICT;
CREATE INDEX dossier_attachments_dossier ON dossier_attachments (dossier_id, id);
