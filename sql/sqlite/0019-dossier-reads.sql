-- 0019 dossier reads at scale (issue #15 item 6).
--
-- The desk's search by name finds its rows through an index instead of
-- reading every applicant's name.  dossier_name_keys holds, for each
-- dossier, every tail of its folded name's words (vi_words: punctuation
-- made spaces) that starts at a word ("nguyen van an", "van an", "an"):
-- a name part typed from the start of
-- any word is a prefix of one of them, found by one range of the primary
-- key, whose order (the key, then the newest dossier) is the list's, so
-- a page reads only its own rows among ten million.  The store writes a
-- dossier's keys with the row, in the same transaction
-- (db_dossier_name_add; a name is never changed afterwards).  The plain
-- index on applicant_key served only the old LIKE '%…%' scan; it goes.

CREATE TABLE dossier_name_keys (
	key         TEXT    NOT NULL,
	dossier_id  INTEGER NOT NULL REFERENCES dossiers (id),
	PRIMARY KEY (key, dossier_id DESC)
) STRICT, WITHOUT ROWID;

INSERT INTO dossier_name_keys (key, dossier_id)
WITH RECURSIVE tails (id, k) AS (
	SELECT id, vi_words(applicant_key) FROM dossiers
	UNION ALL
	SELECT id, substr(k, instr(k, ' ') + 1) FROM tails WHERE instr(k, ' ') > 0
)
SELECT k, id FROM tails WHERE k <> '' ORDER BY 1, 2 DESC;

DROP INDEX dossiers_name;

-- The search by one state, newest first ("every dossier withdrawn"): the
-- rows of that state in receipt order, without reading the others.
CREATE INDEX dossiers_state_received ON dossiers (status, received_at);

-- The desk's line "what applicants said in the last 30 days" counts a
-- month of ratings on every view of the desk: from the index alone.
CREATE INDEX dossier_ratings_at_level ON dossier_ratings (at, level);
DROP INDEX dossier_ratings_at;
