-- 0013 digitised dossiers, electronic results and fees (issue #13 items
-- 3, 4; the figures Decision 766 group 4 and 3.6 count).
-- An attachment says what it is: a scan of one line of the dossier's
-- checklist (its 1-based number and name; none for a loose scan) or the
-- signed result; and, when the clerk reused an earlier dossier's scan of
-- the same person instead of scanning again, that dossier's code.  The
-- table stays append-only (0009): these are written once with the row.
ALTER TABLE dossier_attachments ADD COLUMN kind TEXT NOT NULL DEFAULT 'component'
	CHECK (kind IN ('component', 'result'));
ALTER TABLE dossier_attachments ADD COLUMN component INTEGER CHECK (component IS NULL OR component > 0);
ALTER TABLE dossier_attachments ADD COLUMN component_name TEXT NOT NULL DEFAULT '';
ALTER TABLE dossier_attachments ADD COLUMN reused_from TEXT NOT NULL DEFAULT '';
CREATE INDEX dossier_attachments_sha ON dossier_attachments (sha256);

-- How the fee (dossiers.fee, whole đồng) was settled: paid (through a
-- channel, with an optional receipt number), exempt (nothing due), or
-- not yet.  Recorded at intake or later by the clerk, once.
ALTER TABLE dossiers ADD COLUMN fee_status TEXT NOT NULL DEFAULT 'unpaid'
	CHECK (fee_status IN ('paid', 'exempt', 'unpaid'));
ALTER TABLE dossiers ADD COLUMN pay_channel TEXT NOT NULL DEFAULT ''
	CHECK (pay_channel IN ('', 'cash', 'bank', 'online'));
ALTER TABLE dossiers ADD COLUMN receipt_no TEXT NOT NULL DEFAULT '';
ALTER TABLE dossiers ADD COLUMN paid_at INTEGER;
-- dossiers received before: nothing was due when the fee was zero
UPDATE dossiers SET fee_status = 'exempt' WHERE fee = 0;

-- The rating kiosk (issue #13 item 6): the dossier a clerk has just
-- returned and asks the applicant to rate on the desk's tablet, signed in
-- as that clerk.  One row per clerk; taken away by the rating (or by the
-- next invitation).
CREATE TABLE desk_kiosk (
	clerk  TEXT    PRIMARY KEY,      -- the inviting account ("user:NAME")
	code   TEXT    NOT NULL,         -- the dossier to rate
	at     INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
