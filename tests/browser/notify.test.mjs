// notify.test.mjs — the admin's notification pages (issue #13 item 5): a
// dossier received over the API leaves its SMS and e-mail in the delivery
// log (the file gateway, nothing configured); the admin filters the log
// by state, edits the "received" SMS template with a preview, is refused
// an unknown {{name}} (nothing saved), saves, and the next dossier's SMS
// carries the new words.  Markup typed into a template is shown as text.
// axe on every page, and no overflow at 360 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launch, checkA11y, checkNoOverflow, loginAs, addStaff } from './lib.mjs';

const PW = 'mat-khau-thu-123';
let srv, browser, admin, token;

async function receive(name) {
  const r = await fetch(`${srv.url}/api/v1/dossiers`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ procedure_code: '1.001193', channel: 'counter',
      applicant: { name, phone: '0912345678', email: 'dan@xa.vn' }, documents: [] }),
  });
  assert.equal(r.status, 201);
  return (await r.json()).code;
}

async function waitFile(path) {
  for (let i = 0; i < 100 && !existsSync(path); i++) await new Promise((r) => setTimeout(r, 100));
  return readFileSync(path, 'utf8');
}

before(async () => {
  srv = await startServer();
  addStaff(srv.dir, [['thu.clerk', 'clerk', 'Nguyễn Thị Tiếp Nhận']], PW);
  const r = await fetch(`${srv.url}/api/v1/session`, { method: 'POST',
    headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'thu.clerk', password: PW }) });
  token = (await r.json()).token;
  browser = await launch();
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
  admin = await ctx.newPage();
  admin.on('dialog', () => assert.fail('a script ran: markup was not escaped'));
  await loginAs(admin, srv.url, 'admin', srv.adminPassword);
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('the delivery log shows each message, filtered by state', async () => {
  const code = await receive('Lê Văn Nhận');
  await waitFile(join(srv.dir, 'messages', '2-email.txt'));
  await admin.goto(`${srv.url}/quan-tri/thong-bao`);
  await checkA11y(admin, 'notify log');
  await checkNoOverflow(admin, 'notify log');
  const log = await admin.locator('table.list tbody').innerText();
  assert.match(log, new RegExp(code));
  assert.match(log, /0912345678/);
  assert.match(log, /dan@xa\.vn/);
  assert.match(log, /Đã gửi/);
  await admin.getByRole('link', { name: 'Gửi thất bại' }).click();
  assert.match(await admin.locator('#so-tin').innerText(), /^0 tin/);
  await admin.getByRole('link', { name: 'Đã gửi' }).click();
  assert.match(await admin.locator('#so-tin').innerText(), /^2 tin/);
  await checkA11y(admin, 'notify log filtered');
});

test('the admin edits a template with a preview; an unknown name is refused', async () => {
  await admin.goto(`${srv.url}/quan-tri/thong-bao/mau`);
  await checkA11y(admin, 'templates');
  await checkNoOverflow(admin, 'templates');
  await admin.getByRole('link', { name: 'Đã tiếp nhận hồ sơ (SMS)' }).click();
  await checkA11y(admin, 'template editor');
  await checkNoOverflow(admin, 'template editor');
  const body = admin.getByLabel('Nội dung');
  await body.fill('Hồ sơ {{code}} của <b>{{name}}</b> đã nhận, hẹn {{appointment}}. {{sai_ten}}');
  await admin.getByRole('button', { name: 'Lưu mẫu' }).click();
  assert.match(await admin.getByRole('alert').innerText(), /\{\{sai_ten\}\}/);
  await checkA11y(admin, 'template refused');
  await body.fill('Hồ sơ {{code}} của <b>{{name}}</b> đã nhận, hẹn {{appointment}}.');
  await admin.getByRole('button', { name: 'Xem trước' }).click();
  const preview = await admin.locator('#noi-dung-xem-truoc').innerText();
  assert.match(preview, /Hồ sơ H38\.01-261203-0001 của <b>Nguyễn Văn An<\/b> đã nhận, hẹn 08\/12\/2026 16:30\./);
  await admin.getByRole('button', { name: 'Lưu mẫu' }).click();
  assert.match(await admin.getByRole('status').or(admin.locator('.flash')).first().innerText(), /Đã lưu mẫu/);
  const code = await receive('Phạm Thị Mới');
  const sms = await waitFile(join(srv.dir, 'messages', '3-sms.txt'));
  assert.equal(sms.split('\n').slice(0, 3).join('|'), 'To: 0912345678|Subject: |');
  assert.match(sms, new RegExp(`Hồ sơ ${code} của <b>Phạm Thị Mới</b> đã nhận, hẹn \\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d\\.`));
});
