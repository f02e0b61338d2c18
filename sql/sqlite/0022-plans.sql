-- 0022 yearly plans and the reform budget (issue #16 items 1 and 5): the
-- administrative reform plan and the IT application plan of a year, each
-- issued by a document, with their tasks, the progress reports on each
-- task and the evidence files; the budget lines of each year (planned,
-- allocated) and the spending entries against them.
-- Every row is written with its audit event in the same transaction
-- (store/sqlite/plans.c).  Days are civil dates in UTC+7 as days since
-- 1970-01-01 (core/calendar.h cal_day).

-- One plan per kind and year: "reform" (kế hoạch cải cách hành chính) or
-- "it" (kế hoạch ứng dụng công nghệ thông tin, chuyển đổi số), and the
-- document that issued it (số, ngày, người ký) once it is issued.
CREATE TABLE plans (
	id          INTEGER PRIMARY KEY,
	year        INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	kind        TEXT    NOT NULL CHECK (kind IN ('reform', 'it')),
	title       TEXT    NOT NULL CHECK (title <> ''),
	doc_number  TEXT    NOT NULL DEFAULT '',
	doc_day     INTEGER,
	doc_signer  TEXT    NOT NULL DEFAULT '',
	created_by  TEXT    NOT NULL,
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL,
	UNIQUE (year, kind)
) STRICT;

-- One budget line of a year's reform work (dòng kinh phí): what it is
-- for, the reform field it serves ('' for several), where the money
-- comes from, the amount planned (dự kiến) and the amount allocated
-- (dự toán được giao), whole đồng.  Spent is the sum of its entries.
CREATE TABLE budget_lines (
	id          INTEGER PRIMARY KEY,
	year        INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	name        TEXT    NOT NULL CHECK (name <> ''),
	field       TEXT    NOT NULL DEFAULT '',
	source      TEXT    NOT NULL DEFAULT '',
	planned     INTEGER NOT NULL CHECK (planned >= 0),
	allocated   INTEGER NOT NULL CHECK (allocated >= 0),
	created_by  TEXT    NOT NULL,
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL,
	UNIQUE (year, name)
) STRICT;

-- One task of a plan.  person_id is the responsible officer (an account),
-- unit the responsible unit; coop_units the cooperating units in words.
-- status: not_started, in_progress, done, cancelled; overdue is not a
-- status but read from due_day and the day (app/plans.c).  carried_from
-- is the task of the year before this one continues; carried_to the task
-- of the next year that continues this one.
CREATE TABLE plan_tasks (
	id            INTEGER PRIMARY KEY,
	plan_id       INTEGER NOT NULL REFERENCES plans (id),
	no            INTEGER NOT NULL CHECK (no >= 1),
	title         TEXT    NOT NULL CHECK (title <> ''),
	field         TEXT    NOT NULL,
	unit          TEXT    NOT NULL CHECK (unit <> ''),
	person_id     INTEGER REFERENCES users (id),
	coop_units    TEXT    NOT NULL DEFAULT '',
	start_day     INTEGER NOT NULL,
	due_day       INTEGER NOT NULL CHECK (due_day >= start_day),
	output        TEXT    NOT NULL DEFAULT '',
	budget_line   INTEGER REFERENCES budget_lines (id),
	budget        INTEGER NOT NULL DEFAULT 0 CHECK (budget >= 0),
	progress      INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
	status        TEXT    NOT NULL DEFAULT 'not_started'
	              CHECK (status IN ('not_started', 'in_progress', 'done', 'cancelled')),
	done_day      INTEGER,
	carried_from  INTEGER REFERENCES plan_tasks (id),
	carried_to    INTEGER REFERENCES plan_tasks (id),
	version       INTEGER NOT NULL DEFAULT 1,
	updated_by    TEXT    NOT NULL,
	updated_at    INTEGER NOT NULL,
	UNIQUE (plan_id, no),
	CHECK ((status = 'done') = (done_day IS NOT NULL))
) STRICT;
CREATE INDEX plan_tasks_plan ON plan_tasks (plan_id, no);
CREATE INDEX plan_tasks_due ON plan_tasks (status, due_day);
CREATE INDEX plan_tasks_person ON plan_tasks (person_id, due_day);

-- The task's history: each progress report (progress, status, what was
-- done) and each change of the task by a leader, newest last.
CREATE TABLE plan_task_events (
	id        INTEGER PRIMARY KEY,
	task_id   INTEGER NOT NULL REFERENCES plan_tasks (id),
	at        INTEGER NOT NULL,
	actor     TEXT    NOT NULL,
	actor_name TEXT   NOT NULL DEFAULT '',
	action    TEXT    NOT NULL,          -- create, edit, report, carry, file
	progress  INTEGER,
	status    TEXT,
	note      TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX plan_task_events_task ON plan_task_events (task_id, id);

-- Evidence files (minh chứng), content-addressed in DATA/files.
CREATE TABLE plan_task_files (
	id        INTEGER PRIMARY KEY,
	task_id   INTEGER NOT NULL REFERENCES plan_tasks (id),
	sha256    TEXT    NOT NULL,
	name      TEXT    NOT NULL,
	mime      TEXT    NOT NULL,
	size      INTEGER NOT NULL,
	at        INTEGER NOT NULL,
	actor     TEXT    NOT NULL,
	UNIQUE (task_id, sha256)
) STRICT;

-- One spending entry against a budget line: the day, the amount, what it
-- paid for, the voucher (chứng từ: number and day), the plan task it
-- served (optional) and a scan of the voucher (optional).  The line's
-- allocation bounds the sum (app/budget.c); never edited, a mistake is
-- put right by an entry with a negative amount and its reason.
CREATE TABLE budget_spends (
	id          INTEGER PRIMARY KEY,
	line_id     INTEGER NOT NULL REFERENCES budget_lines (id),
	day         INTEGER NOT NULL,
	amount      INTEGER NOT NULL CHECK (amount <> 0),
	content     TEXT    NOT NULL CHECK (content <> ''),
	doc_number  TEXT    NOT NULL DEFAULT '',
	doc_day     INTEGER,
	task_id     INTEGER REFERENCES plan_tasks (id),
	sha256      TEXT,
	file_name   TEXT    NOT NULL DEFAULT '',
	file_mime   TEXT    NOT NULL DEFAULT '',
	actor       TEXT    NOT NULL,
	at          INTEGER NOT NULL
) STRICT;
CREATE INDEX budget_spends_line ON budget_spends (line_id, day, id);
CREATE INDEX budget_lines_year ON budget_lines (year, id);

-- The quality system's documented processes (quy trình ISO 9001, issue #16
-- item 4).  A process keeps every version: a revision adds a row, the
-- current one is the highest version.  Steps, forms and records are text,
-- one per line; procedures lists the catalogue codes the process governs.
CREATE TABLE iso_processes (
	id          INTEGER PRIMARY KEY,
	code        TEXT    NOT NULL UNIQUE CHECK (code <> ''),
	created_by  TEXT    NOT NULL,
	created_at  INTEGER NOT NULL
) STRICT;
CREATE TABLE iso_versions (
	id            INTEGER PRIMARY KEY,
	process_id    INTEGER NOT NULL REFERENCES iso_processes (id),
	version       INTEGER NOT NULL CHECK (version >= 1),
	title         TEXT    NOT NULL CHECK (title <> ''),
	owner         TEXT    NOT NULL CHECK (owner <> ''),
	scope         TEXT    NOT NULL DEFAULT '',
	steps         TEXT    NOT NULL CHECK (steps <> ''),
	forms         TEXT    NOT NULL DEFAULT '',
	records       TEXT    NOT NULL DEFAULT '',
	retention     TEXT    NOT NULL DEFAULT '',
	procedures    TEXT    NOT NULL DEFAULT '',
	effective_day INTEGER NOT NULL,
	approved_by   TEXT    NOT NULL CHECK (approved_by <> ''),
	change_note   TEXT    NOT NULL DEFAULT '',
	created_by    TEXT    NOT NULL,
	created_at    INTEGER NOT NULL,
	UNIQUE (process_id, version)
) STRICT;

-- Internal audits (đánh giá nội bộ) and their findings: a nonconformity or
-- an observation, the corrective action, who carries it out and by when,
-- and its closing.
CREATE TABLE iso_audits (
	id          INTEGER PRIMARY KEY,
	day         INTEGER NOT NULL,
	scope       TEXT    NOT NULL CHECK (scope <> ''),
	auditors    TEXT    NOT NULL CHECK (auditors <> ''),
	summary     TEXT    NOT NULL DEFAULT '',
	created_by  TEXT    NOT NULL,
	created_at  INTEGER NOT NULL
) STRICT;
CREATE TABLE iso_findings (
	id           INTEGER PRIMARY KEY,
	audit_id     INTEGER NOT NULL REFERENCES iso_audits (id),
	process_id   INTEGER REFERENCES iso_processes (id),
	kind         TEXT    NOT NULL CHECK (kind IN ('nonconformity', 'observation')),
	description  TEXT    NOT NULL CHECK (description <> ''),
	action       TEXT    NOT NULL DEFAULT '',
	unit         TEXT    NOT NULL DEFAULT '',
	due_day      INTEGER,
	closed_day   INTEGER,
	closed_note  TEXT    NOT NULL DEFAULT '',
	created_at   INTEGER NOT NULL,
	CHECK (kind = 'observation' OR (action <> '' AND due_day IS NOT NULL))
) STRICT;
CREATE INDEX iso_findings_audit ON iso_findings (audit_id, id);
CREATE INDEX iso_findings_open ON iso_findings (closed_day, due_day);
