-- 0008 ratings (DOMAIN decision 9): the applicant rates the service once per
-- dossier, after it is finished — Rất hài lòng / Hài lòng / Không hài lòng,
-- with an optional comment.  Who rated is the applicant proven by the
-- dossier code and their phone (or the ID's last four digits); nothing
-- else about them is stored here.
CREATE TABLE dossier_ratings (
	dossier_id  INTEGER PRIMARY KEY REFERENCES dossiers (id),
	level       TEXT    NOT NULL CHECK (level IN ('very_satisfied', 'satisfied', 'unsatisfied')),
	comment     TEXT    NOT NULL DEFAULT '' CHECK (length(comment) <= 1000),
	at          INTEGER NOT NULL
) STRICT;
CREATE INDEX dossier_ratings_at ON dossier_ratings (at);
