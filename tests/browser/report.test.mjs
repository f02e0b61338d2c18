// report.test.mjs — issue #12 item 7: the leader's report reads at a
// glance.  On a server whose wall clock libfaketime sets (Friday 5 March
// 2027, Hà Nội time) the desk receives three same-day registrations at
// 10:00: one is done on time, one is still with its officer when the
// leader looks at 17:30 (overdue), one is refused at reception.  The
// leader's report shows the on-time rate inside the first screen at 360 ×
// 740 and at 1280 × 800, counts the refused dossier apart (not as
// received), breaks the counts down by officer (full name) and by unit
// beside the field, and its CSV holds the late dossier too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launch, checkA11y, shoot, loginAs, addUsers, BIN, SHOTS } from './lib.mjs';

const PW = 'mat-khau-thu-123';
const FAKE = '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1';   // thread-safe variant
const env = (utc) => ({ LD_PRELOAD: FAKE, FAKETIME: `@${utc}`, FAKETIME_DONT_FAKE_MONOTONIC: '1', TZ: 'UTC' });
let srv, browser;
const codes = {};

async function api(token, method, path, body) {
  const res = await fetch(`${srv.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const signIn = async (username) => (await api(null, 'POST', '/api/v1/session', { username, password: PW })).token;
const act = (token, code, body) => api(token, 'POST', `/api/v1/dossiers/${code}/actions`, body);

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  // 10:00 in Hà Nội: three birth registrations (same day: due 17:00)
  srv = await startServer({ env: env('2027-03-05 03:00:00') });
  addUsers(srv.dir, [
    ['bc.clerk', 'clerk', 'Nguyễn Thị Lan', ''],
    ['bc.tuan', 'officer', 'Trần Anh Tuấn', 'Tư pháp - Hộ tịch'],
    ['bc.dung', 'officer', 'Đặng Văn Dũng', 'Văn hóa - Xã hội'],
    ['bc.hai', 'leader', 'Lê Văn Hải', ''],
  ], PW);
  const clerk = await signIn('bc.clerk');
  const tuan = await signIn('bc.tuan');
  const leader = await signIn('bc.hai');
  const ids = {};
  for (const line of execFileSync(BIN, ['user', 'list', '--data', srv.dir]).toString().split('\n')) {
    const m = line.match(/^\s*(\d+)\s+(\S+)/);
    if (m) ids[m[2]] = Number(m[1]);
  }
  assert.ok(ids['bc.tuan'] && ids['bc.dung'] && ids['bc.hai'], `user ids: ${JSON.stringify(ids)}`);
  const receive = async (name, intake = 'receive') => (await api(clerk, 'POST', '/api/v1/dossiers', {
    procedure_code: '1.001193', intake, applicant: { name, phone: '0912000111' },
  })).code;
  codes.onTime = await receive('Phan Thị Đúng Hẹn');
  codes.overdue = await receive('Phan Văn Quá Hạn');
  codes.refused = await receive('Phan Văn Từ Chối', 'hold');
  await act(clerk, codes.refused, { action: 'refuse_intake', note: 'Không thuộc thẩm quyền của xã' });
  await act(clerk, codes.onTime, { action: 'assign', assignee: ids['bc.tuan'] });
  await act(clerk, codes.overdue, { action: 'assign', assignee: ids['bc.dung'] });
  await act(tuan, codes.onTime, { action: 'submit_for_approval', assignee: ids['bc.hai'] });
  await act(leader, codes.onTime, { action: 'approve' });
  await act(tuan, codes.onTime, { action: 'result_ready' });
  // 17:30: the second one is overdue
  assert.equal(await srv.stop({ keep: true }), 0);
  srv = await startServer({ dir: srv.dir, env: env('2027-03-05 10:30:00') });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  assert.equal(await srv?.stop(), 0);
});

async function leaderAt(width, height) {
  const ctx = await browser.newContext({ viewport: { width, height } });
  const page = await ctx.newPage();
  await loginAs(page, srv.url, 'bc.hai', PW);
  await page.goto(`${srv.url}/bao-cao?tu=2027-03-01&den=2027-03-05`);
  return page;
}

test('the on-time rate is inside the first screen on a phone and on a desktop', async () => {
  for (const [w, h] of [[360, 740], [1280, 800]]) {
    const p = await leaderAt(w, h);
    const rate = p.locator('#bc-ty-le');
    assert.match(await rate.innerText(), /Tỷ lệ đúng hạn\s+100,0%\s+của 1 hồ sơ đã giải quyết xong/);
    const box = await rate.boundingBox();
    assert.ok(box.y >= 0 && box.y + box.height <= h, `rate at ${w}×${h}: ${JSON.stringify(box)}`);
    assert.equal(await p.evaluate(() => window.scrollY), 0);
    // the other figures of the summary are on the first screen too
    for (const id of ['#bc-tiep-nhan', '#bc-tre-han-so']) {
      const b = await p.locator(id).boundingBox();
      assert.ok(b.y + b.height <= h, `${id} at ${w}×${h}: ${JSON.stringify(b)}`);
    }
    assert.ok(await p.evaluate(() => document.documentElement.scrollWidth) <= w);
    await checkA11y(p, `báo cáo ${w}`);
    await p.screenshot({ path: join(SHOTS, `bao-cao-man-hinh-dau-${w}.png`) });   // what shows before any scrolling
    await p.context().close();
  }
});

test('refused at reception is counted apart; counts by officer and by unit beside the field', async () => {
  const p = await leaderAt(1280, 800);
  const fig = async (id) => (await p.locator(`${id} .kpi-value`).innerText()).trim();
  assert.equal(await fig('#bc-tiep-nhan'), '2');
  assert.equal(await fig('#bc-da-xong'), '1');
  assert.equal(await fig('#bc-tre-han-so'), '1');
  assert.equal(await fig('#bc-dang-giai-quyet'), '1');
  assert.equal(await fig('#bc-tu-choi'), '1');
  const cells = async (table, name) => p.locator('table', { has: p.locator(`caption#${table}`) })
    .locator('tr', { has: p.getByRole('rowheader', { name, exact: true }) }).locator('td').allInnerTexts();
  // received, early, on time, late, in time, overdue, rate, withdrawn/stopped, not received, refused
  assert.deepEqual(await cells('bc-linh-vuc', 'Hộ tịch'), ['2', '0', '1', '0', '0', '1', '100,0%', '0', '0', '1']);
  assert.deepEqual(await cells('bc-can-bo', 'Trần Anh Tuấn'), ['1', '0', '1', '0', '0', '0', '100,0%', '0', '0', '0']);
  assert.deepEqual(await cells('bc-can-bo', 'Đặng Văn Dũng'), ['1', '0', '0', '0', '0', '1', '—', '0', '0', '0']);
  assert.deepEqual(await cells('bc-can-bo', 'Chưa giao cán bộ'), ['0', '0', '0', '0', '0', '0', '—', '0', '0', '1']);
  assert.deepEqual(await cells('bc-bo-phan', 'Tư pháp - Hộ tịch'), ['1', '0', '1', '0', '0', '0', '100,0%', '0', '0', '0']);
  assert.deepEqual(await cells('bc-bo-phan', 'Văn hóa - Xã hội'), ['1', '0', '0', '0', '0', '1', '—', '0', '0', '0']);
  // officers by name without tones: Đặng among the D, before Trần
  const officers = await p.locator('table', { has: p.locator('caption#bc-can-bo') }).locator('tbody th').allInnerTexts();
  assert.deepEqual(officers, ['Đặng Văn Dũng', 'Trần Anh Tuấn', 'Chưa giao cán bộ']);
  const late = await p.locator('tr', { hasText: codes.overdue }).innerText();
  assert.match(late, /Đặng Văn Dũng \(Văn hóa - Xã hội\)/);
  assert.match(late, /Đang quá hạn/);
  await checkA11y(p, 'báo cáo');
  await shoot(p, 'bao-cao');
  // the CSV, as the link downloads it: the counts, then the late dossier
  const [dl] = await Promise.all([p.waitForEvent('download'), p.getByRole('link', { name: /Tải về \(CSV/ }).click()]);
  const csv = (await (await dl.createReadStream()).toArray()).map(String).join('');
  const sections = csv.split('\r\n\r\n');
  assert.match(sections[0], /^\uFEFFLĩnh vực,Tiếp nhận,/);
  assert.match(sections[0], /\r\nHộ tịch,2,0,1,0,0,1,"100,0%",0,0,1\r\n/);
  const lateSection = sections.find((s) => s.startsWith('Hồ sơ trễ hạn và quá hạn\r\n'));
  assert.ok(lateSection, `a late-dossier section: ${csv}`);
  const rows = lateSection.trim().split('\r\n');
  assert.equal(rows[1], 'Mã hồ sơ,Thủ tục,Lĩnh vực,Cán bộ xử lý,Bộ phận,Hạn trả,Tình trạng,Xong lúc,Phiếu xin lỗi,Hẹn lại');
  assert.equal(rows.length, 3, 'one late dossier');
  assert.equal(rows[2], `${codes.overdue},Thủ tục đăng ký khai sinh,Hộ tịch,Đặng Văn Dũng,Văn hóa - Xã hội,05/03/2027 17:00,Đang quá hạn,,Không có,`);
  assert.ok(sections.indexOf(lateSection) > 0, 'after the counts');
  await p.context().close();
});

test('the report on a phone: each row a card, nothing wider than the screen', async () => {
  const p = await leaderAt(360, 740);
  const row = p.locator('table', { has: p.locator('caption#bc-can-bo') }).locator('tbody tr').first();
  const box = await row.boundingBox();
  assert.ok(box.width <= 340, `a card fits the phone: ${box.width}`);
  // each value beside its column's name (the thead is hidden on a phone)
  const shown = await row.locator('td').evaluateAll((tds) => tds.map((td) => `${getComputedStyle(td, '::before').content} ${td.innerText}`));
  assert.equal(shown[0], '"Tiếp nhận" 1');
  assert.equal(shown[6], '"Tỷ lệ đúng hạn" —');
  assert.ok(await p.evaluate(() => document.documentElement.scrollWidth) <= 360);
  await p.context().close();
});
