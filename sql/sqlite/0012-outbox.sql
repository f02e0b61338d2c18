-- 0012 notifications that are never lost (issue #13 item 5).
--
-- outbox: every message to an applicant (or a one-time sign-in code) is a
-- row written in the same transaction as the change that causes it, so a
-- committed change always has its message and a rolled-back one never
-- does.  A background worker (app/notify.c) delivers due rows:
--   queued   waiting for next_at (a new row is due at once)
--   sending  claimed by the worker, durably, before the gateway is called;
--            a row found "sending" at start-up was cut off by a crash and
--            goes back to queued (at least once, never lost)
--   sent     delivered (sent_at); a secret body is blanked then
--   failed   given up: a permanent refusal or too many attempts
-- The idempotency key names what the message is about (the dossier, its
-- version after the change, the template, the channel): a message is
-- written once, and gateways receive the key (Message-ID, {{key}}) to
-- drop a repeat.
CREATE TABLE outbox (
	id              INTEGER PRIMARY KEY,
	dossier_id      INTEGER REFERENCES dossiers (id),
	channel         TEXT    NOT NULL CHECK (channel IN ('email', 'sms')),
	recipient       TEXT    NOT NULL CHECK (length(recipient) BETWEEN 1 AND 320),
	template        TEXT    NOT NULL,
	subject         TEXT    NOT NULL DEFAULT '',
	body            TEXT    NOT NULL DEFAULT '',
	secret          INTEGER NOT NULL DEFAULT 0 CHECK (secret IN (0, 1)),
	created_at      INTEGER NOT NULL,
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_at         INTEGER NOT NULL,
	state           TEXT    NOT NULL DEFAULT 'queued'
	                CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
	last_error      TEXT    NOT NULL DEFAULT '',
	sent_at         INTEGER,
	idempotency_key TEXT    NOT NULL UNIQUE
) STRICT;
CREATE INDEX outbox_due ON outbox (state, next_at);
CREATE INDEX outbox_dossier ON outbox (dossier_id);

-- The messages' wording, one per (key, channel), editable by the admin
-- (/quan-tri/thong-bao/mau).  {{name}} placeholders are filled at enqueue
-- time; which names each key knows is app/notify.c's table.
CREATE TABLE message_templates (
	key         TEXT    NOT NULL,
	channel     TEXT    NOT NULL CHECK (channel IN ('email', 'sms')),
	subject     TEXT    NOT NULL DEFAULT '' CHECK (length(subject) <= 300),
	body        TEXT    NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
	updated_at  INTEGER NOT NULL DEFAULT 0,
	updated_by  TEXT    NOT NULL DEFAULT '',
	PRIMARY KEY (key, channel)
) STRICT;

INSERT INTO message_templates (key, channel, subject, body) VALUES
('received', 'email', 'Hồ sơ {{code}} đã được tiếp nhận',
 'Kính gửi ông/bà {{name}},

{{agency}} đã tiếp nhận hồ sơ {{procedure}}.
Mã hồ sơ: {{code}}
Ngày hẹn trả kết quả: {{appointment}}

Ông/bà tra cứu tình trạng hồ sơ bằng mã hồ sơ và số điện thoại tại trang Tra cứu hồ sơ.'),
('received', 'sms', '',
 '{{agency}}: đã tiếp nhận hồ sơ {{code}}. Hẹn trả kết quả: {{appointment}}. Tra cứu bằng mã hồ sơ và số điện thoại.'),
('supplement', 'email', 'Hồ sơ {{code}} cần bổ sung giấy tờ',
 'Kính gửi ông/bà {{name}},

Hồ sơ {{code}} ({{procedure}}) cần bổ sung các giấy tờ sau:
{{missing}}

Lý do: {{reason}}
Mời ông/bà nộp bổ sung tại Bộ phận Một cửa của {{agency}}.'),
('supplement', 'sms', '',
 '{{agency}}: hồ sơ {{code}} cần bổ sung: {{missing}}. Mời ông/bà nộp bổ sung tại Bộ phận Một cửa.'),
('refused', 'email', 'Hồ sơ {{code}} không được giải quyết',
 'Kính gửi ông/bà {{name}},

Hồ sơ {{code}} ({{procedure}}) không được tiếp nhận hoặc không được giải quyết.
Lý do: {{reason}}

Mọi thắc mắc xin liên hệ Bộ phận Một cửa của {{agency}}.'),
('refused', 'sms', '',
 '{{agency}}: hồ sơ {{code}} không được giải quyết. Lý do: {{reason}}'),
('apology', 'email', 'Thư xin lỗi và hẹn lại ngày trả hồ sơ {{code}}',
 'Kính gửi ông/bà {{name}},

{{agency}} xin lỗi vì hồ sơ {{code}} ({{procedure}}) chưa giải quyết xong đúng hẹn.
Lý do: {{reason}}
Ngày hẹn trả kết quả mới: {{new_date}}

Mong ông/bà thông cảm.'),
('apology', 'sms', '',
 '{{agency}} xin lỗi: hồ sơ {{code}} chưa xong đúng hẹn. Hẹn trả lại ngày {{new_date}}.'),
('result_ready', 'email', 'Hồ sơ {{code}} đã có kết quả',
 'Kính gửi ông/bà {{name}},

Hồ sơ {{code}} ({{procedure}}) đã có kết quả.
Mời ông/bà đến Bộ phận Một cửa của {{agency}} để nhận, mang theo giấy tờ tùy thân.'),
('result_ready', 'sms', '',
 '{{agency}}: hồ sơ {{code}} đã có kết quả. Mời ông/bà đến Bộ phận Một cửa để nhận.'),
('returned', 'email', 'Hồ sơ {{code}} đã trả kết quả',
 'Kính gửi ông/bà {{name}},

Kết quả hồ sơ {{code}} ({{procedure}}) đã được trả.
Ông/bà có thể đánh giá mức độ hài lòng tại trang Tra cứu hồ sơ.
Cảm ơn ông/bà.'),
('returned', 'sms', '',
 '{{agency}}: đã trả kết quả hồ sơ {{code}}. Cảm ơn ông/bà. Mời đánh giá mức độ hài lòng tại trang Tra cứu hồ sơ.'),
('otp', 'email', 'Mã đăng nhập của ông/bà',
 'Mã đăng nhập một lần của ông/bà là: {{code}}

Mã có hiệu lực trong {{minutes}} phút. Không đưa mã này cho bất kỳ ai, kể cả cán bộ.'),
('otp', 'sms', '',
 'Mã đăng nhập {{agency}}: {{code}} (hiệu lực {{minutes}} phút). Không đưa mã này cho bất kỳ ai.');
