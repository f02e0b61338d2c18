-- 0018 Statistics from incrementally maintained aggregates (issue #15
-- item 6).  Every dossier's facts — the groups it counts in and the
-- measures it adds (store/facts.h) — are kept in dossier_facts, and
-- their sums per local day and per month in facts_agg, both updated in
-- the same transaction as the change that moved them: triggers note the
-- dossier in facts_dirty, and the store's transaction runner has the
-- application recompute the noted dossiers' facts just before COMMIT
-- (store/sqlite/facts.c, app/facts.c).  Reports read the sums, not the
-- dossiers; only pending dossiers (whose in-time / overdue status moves
-- with the clock) are judged when read.
CREATE TABLE facts_dirty (
	dossier_id INTEGER PRIMARY KEY
) STRICT;

-- dossiers that existed before this migration: fed to facts_dirty a
-- chunk per transaction when the application opens (app_facts_catch_up)
CREATE TABLE facts_backlog (
	dossier_id INTEGER PRIMARY KEY
) STRICT;
INSERT INTO facts_backlog (dossier_id) SELECT id FROM dossiers;

CREATE TRIGGER facts_dossier_ins AFTER INSERT ON dossiers
BEGIN INSERT OR IGNORE INTO facts_dirty (dossier_id) VALUES (NEW.id); END;
CREATE TRIGGER facts_dossier_upd AFTER UPDATE ON dossiers
BEGIN INSERT OR IGNORE INTO facts_dirty (dossier_id) VALUES (NEW.id); END;
CREATE TRIGGER facts_event_ins AFTER INSERT ON dossier_events
BEGIN INSERT OR IGNORE INTO facts_dirty (dossier_id) VALUES (NEW.dossier_id); END;
CREATE TRIGGER facts_rating_ins AFTER INSERT ON dossier_ratings
BEGIN INSERT OR IGNORE INTO facts_dirty (dossier_id) VALUES (NEW.dossier_id); END;
CREATE TRIGGER facts_attachment_ins AFTER INSERT ON dossier_attachments
BEGIN INSERT OR IGNORE INTO facts_dirty (dossier_id) VALUES (NEW.dossier_id); END;

-- One row per dossier: its groups, its measures v0…v34 (store/facts.h
-- names them) and what judging it while pending needs.
CREATE TABLE dossier_facts (
	dossier_id     INTEGER PRIMARY KEY REFERENCES dossiers (id),
	day            INTEGER NOT NULL,      -- local day received (days since 1970-01-01, UTC+7)
	procedure_code TEXT    NOT NULL,
	unit           TEXT    NOT NULL,      -- '' = not handed to a unit
	assignee       INTEGER NOT NULL,      -- users.id, 0 = nobody
	channel        TEXT    NOT NULL,
	pending        INTEGER NOT NULL,      -- 1: counted and not finished
	late_list      INTEGER NOT NULL,      -- 1: finished late, or pending (maybe overdue)
	apology        INTEGER NOT NULL,      -- 0 none, 1 in time, 2 sent late
	rating         INTEGER NOT NULL,      -- 0 none, 1 very satisfied, 2 satisfied, 3 not satisfied
	due_at         INTEGER NOT NULL,
	paused_at      INTEGER NOT NULL,
	received_at    INTEGER NOT NULL,
	appointment    INTEGER NOT NULL,      -- the index's (766) appointment
	supp_secs      INTEGER NOT NULL,
	nsupp          INTEGER NOT NULL,
	waiting_since  INTEGER NOT NULL,
	v0 INTEGER NOT NULL, v1 INTEGER NOT NULL, v2 INTEGER NOT NULL, v3 INTEGER NOT NULL, v4 INTEGER NOT NULL, v5 INTEGER NOT NULL, v6 INTEGER NOT NULL, v7 INTEGER NOT NULL,
	v8 INTEGER NOT NULL, v9 INTEGER NOT NULL, v10 INTEGER NOT NULL, v11 INTEGER NOT NULL, v12 INTEGER NOT NULL, v13 INTEGER NOT NULL, v14 INTEGER NOT NULL, v15 INTEGER NOT NULL,
	v16 INTEGER NOT NULL, v17 INTEGER NOT NULL, v18 INTEGER NOT NULL, v19 INTEGER NOT NULL, v20 INTEGER NOT NULL, v21 INTEGER NOT NULL, v22 INTEGER NOT NULL, v23 INTEGER NOT NULL,
	v24 INTEGER NOT NULL, v25 INTEGER NOT NULL, v26 INTEGER NOT NULL, v27 INTEGER NOT NULL, v28 INTEGER NOT NULL, v29 INTEGER NOT NULL, v30 INTEGER NOT NULL, v31 INTEGER NOT NULL,
	v32 INTEGER NOT NULL, v33 INTEGER NOT NULL, v34 INTEGER NOT NULL
) STRICT;
CREATE INDEX dossier_facts_day ON dossier_facts (day, dossier_id);
CREATE INDEX dossier_facts_pending ON dossier_facts (day) WHERE pending = 1;
CREATE INDEX dossier_facts_late ON dossier_facts (day) WHERE late_list = 1;

-- The sums: grain 0 per local day (period = the day), grain 1 per month
-- (period = its first day).
CREATE TABLE facts_agg (
	grain          INTEGER NOT NULL,
	period         INTEGER NOT NULL,
	procedure_code TEXT    NOT NULL,
	unit           TEXT    NOT NULL,
	assignee       INTEGER NOT NULL,
	channel        TEXT    NOT NULL,
	v0 INTEGER NOT NULL, v1 INTEGER NOT NULL, v2 INTEGER NOT NULL, v3 INTEGER NOT NULL, v4 INTEGER NOT NULL, v5 INTEGER NOT NULL, v6 INTEGER NOT NULL, v7 INTEGER NOT NULL,
	v8 INTEGER NOT NULL, v9 INTEGER NOT NULL, v10 INTEGER NOT NULL, v11 INTEGER NOT NULL, v12 INTEGER NOT NULL, v13 INTEGER NOT NULL, v14 INTEGER NOT NULL, v15 INTEGER NOT NULL,
	v16 INTEGER NOT NULL, v17 INTEGER NOT NULL, v18 INTEGER NOT NULL, v19 INTEGER NOT NULL, v20 INTEGER NOT NULL, v21 INTEGER NOT NULL, v22 INTEGER NOT NULL, v23 INTEGER NOT NULL,
	v24 INTEGER NOT NULL, v25 INTEGER NOT NULL, v26 INTEGER NOT NULL, v27 INTEGER NOT NULL, v28 INTEGER NOT NULL, v29 INTEGER NOT NULL, v30 INTEGER NOT NULL, v31 INTEGER NOT NULL,
	v32 INTEGER NOT NULL, v33 INTEGER NOT NULL, v34 INTEGER NOT NULL,
	PRIMARY KEY (grain, period, procedure_code, unit, assignee, channel)
) STRICT, WITHOUT ROWID;
