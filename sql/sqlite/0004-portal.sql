-- 0004 portal: news and announcements, the images editors upload, and the
-- per-day visit counters.  Times are Unix seconds UTC.

CREATE TABLE news (
	id            INTEGER PRIMARY KEY,
	slug          TEXT    NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 120),
	title         TEXT    NOT NULL CHECK (length(title) > 0),
	summary       TEXT    NOT NULL DEFAULT '',
	body          TEXT    NOT NULL DEFAULT '',   -- Markdown source (view/markdown.h)
	category      TEXT    NOT NULL CHECK (category IN ('hoat-dong', 'cai-cach-hanh-chinh',
	                          'kinh-te', 'van-hoa-xa-hoi', 'quoc-phong-an-ninh', 'phap-luat', 'khac')),
	kind          TEXT    NOT NULL CHECK (kind IN ('news', 'announcement')),
	status        TEXT    NOT NULL CHECK (status IN ('draft', 'published')),
	published_at  INTEGER,                        -- first publication; kept when unpublished
	author        TEXT    NOT NULL,
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX news_published ON news (status, published_at DESC);
CREATE INDEX news_category ON news (category, status, published_at DESC);

-- Search over title, summary and the body's plain text (rowid = news.id).
-- Tokenizer "vi": unicode61 without diacritics, plus đ → d (store/sqlite/fts_vi.c).
CREATE VIRTUAL TABLE news_fts USING fts5 (title, summary, body, tokenize = 'vi');

-- Images are files DIR/anh/<sha256>.<ext>; this table records who uploaded what.
CREATE TABLE news_images (
	sha256       TEXT    PRIMARY KEY CHECK (length(sha256) = 64),
	ext          TEXT    NOT NULL CHECK (ext IN ('jpg', 'png', 'webp')),
	size         INTEGER NOT NULL CHECK (size > 0),
	uploaded_at  INTEGER NOT NULL,
	uploaded_by  TEXT    NOT NULL
) STRICT, WITHOUT ROWID;

-- Visits per day (UTC+7 civil date): a count, nothing about the visitor.
CREATE TABLE visit_days (
	day     TEXT    PRIMARY KEY CHECK (length(day) = 10),
	visits  INTEGER NOT NULL CHECK (visits >= 0)
) STRICT, WITHOUT ROWID;
