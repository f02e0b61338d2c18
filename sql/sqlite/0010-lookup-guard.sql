-- 0010 the public lookup's guard against guessing (issue #11): failed
-- proofs counted per dossier code and per client address in fixed
-- windows, kept in the database so a restart does not reset them.
-- Counters, not business data: no audit event per failure (a flood of
-- guesses must not flood the append-only trail).
CREATE TABLE guess_failures (
	key           TEXT    PRIMARY KEY,   -- "code:<CODE>" or "client:<address>"
	window_start  INTEGER NOT NULL,      -- Unix seconds the window opened
	fails         INTEGER NOT NULL CHECK (fails >= 0)
) STRICT, WITHOUT ROWID;
CREATE INDEX guess_failures_window ON guess_failures (window_start);
