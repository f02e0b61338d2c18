-- 0016 citizen reception (issue #14 item 4): the published reception
-- schedule, the reception register (sổ tiếp công dân) and the periodic
-- dialogue meetings with the people.  Every row is written with its audit
-- event in the same transaction (store/sqlite/reception.c).

-- One standing or one-off reception session of a person: every week on
-- a weekday (0 = Sunday … 6 = Saturday, as cal_weekday) when weekday is
-- set, else on the fixed day (days since 1970-01-01, local date).
CREATE TABLE reception_slots (
	id          INTEGER PRIMARY KEY,
	role        TEXT    NOT NULL CHECK (role IN ('chairman', 'vice', 'officer')),
	person      TEXT    NOT NULL CHECK (person <> ''),
	title       TEXT    NOT NULL DEFAULT '',
	weekday     INTEGER CHECK (weekday BETWEEN 0 AND 6),
	day         INTEGER,
	start_min   INTEGER NOT NULL CHECK (start_min BETWEEN 0 AND 1439),
	end_min     INTEGER NOT NULL CHECK (end_min BETWEEN 1 AND 1440 AND end_min > start_min),
	place       TEXT    NOT NULL CHECK (place <> ''),
	note        TEXT    NOT NULL DEFAULT '',
	updated_at  INTEGER NOT NULL,
	CHECK ((weekday IS NULL) <> (day IS NULL))
) STRICT;

-- One visit: who came, about what, who received them, what they were
-- told, and whether a written petition was handed in.
CREATE TABLE reception_visits (
	id            INTEGER PRIMARY KEY,
	at            INTEGER NOT NULL,          -- the visit's instant (UTC seconds)
	name          TEXT    NOT NULL CHECK (name <> ''),
	id_number     TEXT    NOT NULL DEFAULT '',
	address       TEXT    NOT NULL DEFAULT '',
	phone         TEXT    NOT NULL DEFAULT '',
	people        INTEGER NOT NULL DEFAULT 1 CHECK (people >= 1),
	kind          TEXT    NOT NULL CHECK (kind IN ('complaint', 'denunciation', 'petition', 'other')),
	matter        TEXT    NOT NULL CHECK (matter <> ''),
	received_by   TEXT    NOT NULL CHECK (received_by <> ''),
	guidance      TEXT    NOT NULL DEFAULT '',
	petition      INTEGER NOT NULL DEFAULT 0 CHECK (petition IN (0, 1)),
	petition_code TEXT    NOT NULL DEFAULT '',
	recorded_by   TEXT    NOT NULL,
	created_at    INTEGER NOT NULL,
	sealed        BLOB                       -- a denouncer: name, ID, address, phone sealed (secret.key),
	                                         -- the columns above hold "*" and ""
) STRICT;
CREATE INDEX reception_visits_at ON reception_visits (at);

-- A dialogue meeting with the people and its conclusions.
CREATE TABLE reception_dialogues (
	id            INTEGER PRIMARY KEY,
	at            INTEGER NOT NULL,
	place         TEXT    NOT NULL CHECK (place <> ''),
	chair         TEXT    NOT NULL CHECK (chair <> ''),
	participants  INTEGER NOT NULL CHECK (participants >= 1),
	attendees     TEXT    NOT NULL DEFAULT '',
	topics        TEXT    NOT NULL CHECK (topics <> ''),
	conclusions   TEXT    NOT NULL DEFAULT '',
	followup      TEXT    NOT NULL DEFAULT '',
	recorded_by   TEXT    NOT NULL,
	created_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX reception_dialogues_at ON reception_dialogues (at);
