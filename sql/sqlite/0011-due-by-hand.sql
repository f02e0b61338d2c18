-- 0011 an appointment set by hand (issue #12): for a procedure whose time
-- limit the law texts at hand do not give, the clerk sets the due instant
-- at intake (or when a held dossier is received) instead of being refused.
-- The flag says the due_at was set by a person, not counted from a limit;
-- the receipt and the dossier page say so, and the intake's audit event
-- records it (its "state" snapshot, checked by `motcua check`).
ALTER TABLE dossiers ADD COLUMN due_by_hand INTEGER NOT NULL DEFAULT 0 CHECK (due_by_hand IN (0, 1));
