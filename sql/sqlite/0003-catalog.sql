-- 0003 catalogue: administrative procedures with immutable versions.
-- A version's data is the canonical JSON of the procedure (web/catalog_model.c);
-- name, field and online_level are copied out for filtering and sorting.
-- A dossier will reference procedure_versions.id, so a published version is
-- never changed: editing it makes a new version.

CREATE TABLE procedures (
	id          INTEGER PRIMARY KEY,
	code        TEXT    NOT NULL UNIQUE,
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE procedure_versions (
	id            INTEGER PRIMARY KEY,
	procedure_id  INTEGER NOT NULL REFERENCES procedures (id),
	version       INTEGER NOT NULL CHECK (version > 0),
	status        TEXT    NOT NULL CHECK (status IN ('draft', 'published', 'superseded', 'retired')),
	data          TEXT    NOT NULL,
	name          TEXT    NOT NULL,
	field         TEXT    NOT NULL,
	online_level  TEXT,
	search_body   TEXT    NOT NULL DEFAULT '',
	created_at    INTEGER NOT NULL,
	created_by    TEXT    NOT NULL,
	published_at  INTEGER,
	UNIQUE (procedure_id, version)
) STRICT;
CREATE INDEX procedure_versions_status ON procedure_versions (status, field);

-- Search over the published version of each procedure (rowid = procedures.id).
-- Tokenizer "vi": unicode61 without diacritics, plus đ → d (store/sqlite/fts_vi.c).
CREATE VIRTUAL TABLE procedure_fts USING fts5 (name, field, body, tokenize = 'vi');
