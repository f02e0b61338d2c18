-- 0019 dossier reads at scale (issue #15 item 6): the desk's search by
-- name finds its rows through a full-text index instead of reading every
-- applicant's name.  dossier_names indexes dossiers.applicant_key (the
-- name folded: lower case, no tones, đ → d) as an external-content FTS5
-- table: the text stays in dossiers, the index holds the words.  The
-- store writes a dossier's words with the row, in the same transaction
-- (db_dossier_name_add; a name is never changed).  Not a trigger: the
-- connections run with trusted_schema=OFF, under which a trigger may not
-- write a virtual table.
-- The plain index on applicant_key served only the old LIKE '%…%' scan.

CREATE VIRTUAL TABLE dossier_names USING fts5 (
	applicant_key,
	content = 'dossiers', content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO dossier_names (dossier_names) VALUES ('rebuild');

DROP INDEX dossiers_name;
