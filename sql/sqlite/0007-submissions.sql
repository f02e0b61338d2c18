-- 0007 submissions: a dossier is received once, however many times its
-- form is sent.  The intake form carries a random token and API clients
-- send Idempotency-Key; the first send creates the dossier and records the
-- key here in the same transaction, a repeat (double click, a resend after
-- a dropped connection) finds it and gets the same dossier back.  The key
-- is the sender ("user:lan.clerk") and their token, so one account can
-- never reach another's dossier through a key.
CREATE TABLE dossier_submissions (
	key         TEXT    PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 200),
	dossier_id  INTEGER NOT NULL REFERENCES dossiers (id),
	at          INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
