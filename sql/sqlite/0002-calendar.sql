-- 0002 calendar: per-year holiday overrides from the official notices,
-- which years are complete official schedules, and agency settings
-- (office hours, the 2/9 pairing).

CREATE TABLE holiday_overrides (
	day         TEXT    PRIMARY KEY CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	year        INTEGER NOT NULL,
	kind        TEXT    NOT NULL CHECK (kind IN ('off', 'work')),
	name        TEXT    NOT NULL CHECK (length(name) > 0),
	document    TEXT    NOT NULL DEFAULT '',
	source      TEXT    NOT NULL DEFAULT '',
	confidence  TEXT    NOT NULL DEFAULT 'V' CHECK (confidence IN ('V', 'I', 'NV')),
	updated_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX holiday_overrides_year ON holiday_overrides (year);

CREATE TABLE holiday_years (
	year        INTEGER PRIMARY KEY,
	complete    INTEGER NOT NULL CHECK (complete IN (0, 1))
) STRICT;

CREATE TABLE settings (
	key         TEXT    PRIMARY KEY,
	value       TEXT    NOT NULL
) STRICT;
