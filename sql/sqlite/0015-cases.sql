-- 0015 cases (issue #14): complaints, denunciations, petitions and
-- feedback in one engine.  The rules (stages, actions, legal time limits
-- with their articles) are data in src/core/case_rules.c; these tables
-- keep each case, its timeline, its files and who sent it.

-- Feedback categories (lĩnh vực phản ánh), also the Open311 services.
CREATE TABLE case_categories (
	code        TEXT    PRIMARY KEY,
	name        TEXT    NOT NULL,
	description TEXT    NOT NULL DEFAULT '',
	grp         TEXT    NOT NULL DEFAULT '',
	kind        TEXT    NOT NULL DEFAULT 'phan-anh',   -- the case kind a request becomes
	keywords    TEXT    NOT NULL DEFAULT '',
	ord         INTEGER NOT NULL DEFAULT 0,
	active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT, WITHOUT ROWID;

-- A category's extra questions (Open311 service definition attributes).
CREATE TABLE case_category_attrs (
	category    TEXT    NOT NULL REFERENCES case_categories (code),
	code        TEXT    NOT NULL,
	datatype    TEXT    NOT NULL CHECK (datatype IN ('string', 'number', 'datetime', 'text',
	                                                   'singlevaluelist', 'multivaluelist')),
	required    INTEGER NOT NULL DEFAULT 0 CHECK (required IN (0, 1)),
	description TEXT    NOT NULL,
	ord         INTEGER NOT NULL DEFAULT 0,
	vals        TEXT    NOT NULL DEFAULT '',           -- "key=Name" lines for the list types
	PRIMARY KEY (category, code)
) STRICT, WITHOUT ROWID;

CREATE TABLE cases (
	id            INTEGER PRIMARY KEY,
	code          TEXT    NOT NULL UNIQUE,             -- KN-261203-0001
	kind          TEXT    NOT NULL,                    -- case_rules code: khieu-nai-1 …
	stage         TEXT    NOT NULL,
	channel       TEXT    NOT NULL CHECK (channel IN ('desk', 'post', 'online', 'api', 'open311')),
	category      TEXT    NOT NULL DEFAULT '',
	subject       TEXT    NOT NULL,
	subject_key   TEXT    NOT NULL DEFAULT '',         -- the subject folded (repeated cases)
	content       TEXT    NOT NULL,
	respondent    TEXT    NOT NULL DEFAULT '',         -- người/quyết định bị khiếu nại, người bị tố cáo
	papers        TEXT    NOT NULL DEFAULT '',         -- papers received with it (desk, post)
	address       TEXT    NOT NULL DEFAULT '',         -- where the matter is (feedback)
	lat           REAL,
	lon           REAL,
	anonymous     INTEGER NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),
	remote        INTEGER NOT NULL DEFAULT 0 CHECK (remote IN (0, 1)),
	complexity    INTEGER NOT NULL DEFAULT 0 CHECK (complexity BETWEEN 0 AND 2),
	extensions    INTEGER NOT NULL DEFAULT 0 CHECK (extensions BETWEEN 0 AND 2),
	intake_ext    INTEGER NOT NULL DEFAULT 0 CHECK (intake_ext IN (0, 1)),
	received_at   INTEGER NOT NULL,
	accepted_at   INTEGER,
	decided_at    INTEGER,
	closed_at     INTEGER,
	due_at        INTEGER,                             -- the running stage's legal limit (NULL: none)
	resolve_due   INTEGER,                             -- the resolution limit once accepted
	handler_id    INTEGER REFERENCES users (id),
	decider_id    INTEGER REFERENCES users (id),
	unit          TEXT    NOT NULL DEFAULT '',
	duplicate_of  INTEGER REFERENCES cases (id),
	parent_id     INTEGER REFERENCES cases (id),       -- the first-instance complaint of a second one
	forwarded_to  TEXT    NOT NULL DEFAULT '',
	reason        TEXT    NOT NULL DEFAULT '',         -- why not accepted / forwarded / withdrawn
	decision_no   TEXT    NOT NULL DEFAULT '',
	decision_text TEXT    NOT NULL DEFAULT '',
	verdict       TEXT    NOT NULL DEFAULT '',         -- đúng / đúng một phần / sai (complaints, denunciations)
	public_answer TEXT    NOT NULL DEFAULT '',
	published_at  INTEGER,
	finished_late INTEGER CHECK (finished_late IN (0, 1)), -- decided after resolve_due (NULL: not decided)
	token         TEXT    UNIQUE,                      -- Open311 token
	source        TEXT    NOT NULL DEFAULT '',         -- the API client that filed it
	submit_key    TEXT    UNIQUE,                      -- a resend with the same key returns the first case
	citizen_id    INTEGER REFERENCES citizens (id),
	created_by    TEXT    NOT NULL,
	updated_at    INTEGER NOT NULL,
	version       INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX cases_stage_due ON cases (stage, due_at);
CREATE INDEX cases_received ON cases (received_at);
CREATE INDEX cases_handler ON cases (handler_id, stage);
CREATE INDEX cases_citizen ON cases (citizen_id);
CREATE INDEX cases_published ON cases (published_at) WHERE published_at IS NOT NULL;

-- Who sent a case.  Apart from `cases` so that no list, export or public
-- query can carry it by accident; for a denunciation only the handler
-- and the deciding leader read it, and every read is an audit event.
CREATE TABLE case_parties (
	case_id     INTEGER PRIMARY KEY REFERENCES cases (id),
	name        TEXT    NOT NULL DEFAULT '',
	id_number   TEXT    NOT NULL DEFAULT '',
	phone       TEXT    NOT NULL DEFAULT '',           -- normalised (0912345678)
	email       TEXT    NOT NULL DEFAULT '',
	address     TEXT    NOT NULL DEFAULT '',
	match_key   TEXT    NOT NULL DEFAULT '',           -- keyed hash of the id number or phone: repeated cases
	sealed      BLOB                                   -- a denouncer: the fields above empty, sealed here
) STRICT;
CREATE INDEX case_parties_match ON case_parties (match_key) WHERE match_key <> '';

-- The timeline: one row per action.
CREATE TABLE case_events (
	id          INTEGER PRIMARY KEY,
	case_id     INTEGER NOT NULL REFERENCES cases (id),
	at          INTEGER NOT NULL,
	actor       TEXT    NOT NULL,
	action      TEXT    NOT NULL,
	stage_from  TEXT    NOT NULL,
	stage_to    TEXT    NOT NULL,
	note        TEXT    NOT NULL DEFAULT '',
	doc_no      TEXT    NOT NULL DEFAULT '',           -- the number of the document it issued
	details     TEXT    NOT NULL DEFAULT '{}'          -- JSON: dialogue, extension, due dates
) STRICT;
CREATE INDEX case_events_case ON case_events (case_id, id);

-- Files: attachments sent with the case, papers scanned at the desk,
-- the signed decision.  Content-addressed like dossier attachments.
CREATE TABLE case_files (
	id          INTEGER PRIMARY KEY,
	case_id     INTEGER NOT NULL REFERENCES cases (id),
	sha256      TEXT    NOT NULL,
	name        TEXT    NOT NULL,
	mime        TEXT    NOT NULL,
	size        INTEGER NOT NULL,
	kind        TEXT    NOT NULL DEFAULT 'sender' CHECK (kind IN ('sender', 'desk', 'result')),
	at          INTEGER NOT NULL
) STRICT;
CREATE INDEX case_files_case ON case_files (case_id);

-- Answers to a category's extra questions.
CREATE TABLE case_attr_values (
	case_id     INTEGER NOT NULL REFERENCES cases (id),
	code        TEXT    NOT NULL,
	value       TEXT    NOT NULL,
	PRIMARY KEY (case_id, code)
) STRICT, WITHOUT ROWID;

INSERT INTO case_categories (code, name, description, grp, kind, keywords, ord) VALUES
 ('giao-thong', 'Đường sá, cầu cống hư hỏng', 'Ổ gà, sụt lún, cầu cống, biển báo hư hỏng trên địa bàn xã.',
  'Hạ tầng', 'phan-anh', 'đường, ổ gà, cầu, cống, biển báo', 1),
 ('chieu-sang', 'Đèn chiếu sáng công cộng', 'Đèn đường không sáng, cột đèn nghiêng, dây điện nguy hiểm.',
  'Hạ tầng', 'phan-anh', 'đèn, điện, chiếu sáng', 2),
 ('moi-truong', 'Vệ sinh môi trường, rác thải', 'Rác thải không được thu gom, xả thải, ô nhiễm, cống rãnh tắc.',
  'Môi trường', 'phan-anh', 'rác, ô nhiễm, nước thải, cống', 3),
 ('trat-tu', 'Trật tự đô thị, lấn chiếm', 'Lấn chiếm lòng đường, vỉa hè, xây dựng không phép, tiếng ồn.',
  'Trật tự', 'phan-anh', 'lấn chiếm, xây dựng, tiếng ồn', 4),
 ('phuc-vu', 'Thái độ phục vụ, thủ tục hành chính', 'Chậm trễ, gây phiền hà khi giải quyết thủ tục hành chính.',
  'Hành chính', 'phan-anh', 'thủ tục, chậm trễ, phiền hà', 5),
 ('quy-dinh', 'Quy định hành chính', 'Phản ánh, kiến nghị về nội dung quy định hành chính (Nghị định 20/2008/NĐ-CP).',
  'Hành chính', 'kien-nghi-qdhc', 'quy định, thủ tục, giấy tờ', 6),
 ('khac', 'Vấn đề khác', 'Phản ánh, kiến nghị khác về đời sống trên địa bàn xã.', 'Khác', 'phan-anh', '', 9);

INSERT INTO case_category_attrs (category, code, datatype, required, description, ord, vals) VALUES
 ('giao-thong', 'muc-do', 'singlevaluelist', 1, 'Mức độ nguy hiểm', 1,
  'nguy-hiem=Nguy hiểm, cần xử lý ngay' || char(10) || 'binh-thuong=Bình thường'),
 ('giao-thong', 'vi-tri', 'string', 0, 'Mô tả vị trí (gần nhà số, thôn, xóm)', 2, ''),
 ('chieu-sang', 'so-cot', 'string', 0, 'Số hiệu cột đèn (nếu có)', 1, ''),
 ('moi-truong', 'loai', 'multivaluelist', 0, 'Loại vấn đề', 1,
  'rac=Rác thải' || char(10) || 'nuoc-thai=Nước thải' || char(10) || 'mui=Mùi hôi' || char(10) || 'khoi=Khói, bụi');

-- The timeline is append-only, like the dossiers'.
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;
