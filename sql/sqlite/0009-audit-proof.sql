-- 0009 audit proof (issue #11).
-- The audit chain is keyed from some event on: HMAC-SHA256 with a key held
-- outside the database (DIR/audit.key, which also records the first event
-- it keys), so rewriting the log needs the key.  `keyed` marks those events;
-- it is informational (the key file says which events must be keyed) and
-- lets a store without its key refuse to start a second, unrelated key.
ALTER TABLE audit_events ADD COLUMN keyed INTEGER NOT NULL DEFAULT 0 CHECK (keyed IN (0, 1));

-- The other event tables are append-only too: a dossier's timeline, its
-- rating and its attachments are facts, never edited.  `motcua check`
-- fails when any of these guards is missing.
CREATE TRIGGER dossier_events_no_update BEFORE UPDATE ON dossier_events
BEGIN SELECT RAISE(ABORT, 'dossier_events is append-only'); END;
CREATE TRIGGER dossier_events_no_delete BEFORE DELETE ON dossier_events
BEGIN SELECT RAISE(ABORT, 'dossier_events is append-only'); END;
CREATE TRIGGER dossier_ratings_no_update BEFORE UPDATE ON dossier_ratings
BEGIN SELECT RAISE(ABORT, 'dossier_ratings is append-only'); END;
CREATE TRIGGER dossier_ratings_no_delete BEFORE DELETE ON dossier_ratings
BEGIN SELECT RAISE(ABORT, 'dossier_ratings is append-only'); END;
CREATE TRIGGER dossier_attachments_no_update BEFORE UPDATE ON dossier_attachments
BEGIN SELECT RAISE(ABORT, 'dossier_attachments is append-only'); END;
CREATE TRIGGER dossier_attachments_no_delete BEFORE DELETE ON dossier_attachments
BEGIN SELECT RAISE(ABORT, 'dossier_attachments is append-only'); END;
