// index766.test.mjs — issue #15 item 2: the Decision 766 dashboard.  On a
// server whose clock libfaketime sets (Friday 5 March 2027, Hà Nội time)
// the desk receives three same-day registrations: one is done on time,
// one is still open at 17:30 (overdue), one is refused at reception (not
// received).  The leader's dashboard shows 2.1 as 1 of 2 (50 %, 10 of 20
// points) under both on-time rules, each count opens exactly its dossiers,
// the indicators that need national systems say so (never 0 points), the
// SVG chart has a title and description, and the page passes axe, fits a
// 360 px screen and prints the chart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launch, checkA11y, checkNoOverflow, loginAs, addUsers, shoot, BIN, SHOTS } from './lib.mjs';

const PW = 'mat-khau-thu-123';
const FAKE = '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1';
const env = (utc) => ({ LD_PRELOAD: FAKE, FAKETIME: `@${utc}`, FAKETIME_DONT_FAKE_MONOTONIC: '1', TZ: 'UTC' });
let srv, browser;
const codes = {};
const PERIOD = 'tu=2027-03-01&den=2027-03-05';

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
  srv = await startServer({ env: env('2027-03-05 03:00:00') });
  addUsers(srv.dir, [
    ['cs.clerk', 'clerk', 'Nguyễn Thị Lan', ''],
    ['cs.tuan', 'officer', 'Trần Anh Tuấn', 'Tư pháp - Hộ tịch'],
    ['cs.hai', 'leader', 'Lê Văn Hải', ''],
  ], PW);
  const clerk = await signIn('cs.clerk');
  const tuan = await signIn('cs.tuan');
  const leader = await signIn('cs.hai');
  const ids = {};
  for (const line of execFileSync(BIN, ['user', 'list', '--data', srv.dir]).toString().split('\n')) {
    const m = line.match(/^\s*(\d+)\s+(\S+)/);
    if (m) ids[m[2]] = Number(m[1]);
  }
  const receive = async (name, intake = 'receive') => (await api(clerk, 'POST', '/api/v1/dossiers', {
    procedure_code: '1.001193', intake, applicant: { name, phone: '0912000111' },
  })).code;
  codes.onTime = await receive('Phan Thị Đúng Hẹn');
  codes.overdue = await receive('Phan Văn Quá Hạn');
  codes.refused = await receive('Phan Văn Từ Chối', 'hold');
  await act(clerk, codes.refused, { action: 'refuse_intake', note: 'Không thuộc thẩm quyền của xã' });
  await act(clerk, codes.onTime, { action: 'assign', assignee: ids['cs.tuan'] });
  await act(tuan, codes.onTime, { action: 'submit_for_approval', assignee: ids['cs.hai'] });
  await act(leader, codes.onTime, { action: 'approve' });
  await act(tuan, codes.onTime, { action: 'result_ready' });
  assert.equal(await srv.stop({ keep: true }), 0);
  srv = await startServer({ dir: srv.dir, env: env('2027-03-05 10:30:00') });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  assert.equal(await srv?.stop(), 0);
});

async function leaderPage(width, height, path = `/bao-cao/chi-so-766?${PERIOD}`) {
  const ctx = await browser.newContext({ viewport: { width, height } });
  const page = await ctx.newPage();
  await loginAs(page, srv.url, 'cs.hai', PW);
  const res = await page.goto(`${srv.url}${path}`);
  assert.equal(res.status(), 200);
  return page;
}

const cells = async (p, id) => (await p.locator(`tr[id="cs-${id}"] td`).allInnerTexts()).map((s) => s.trim());

test('2.1 counts the received dossiers under the index rule and beside the software rule', async () => {
  const p = await leaderPage(1280, 900);
  const c = await cells(p, '2.1');
  assert.equal(c[0], '1');
  assert.equal(c[1], '2');
  assert.equal(c[2], '50,00%');
  assert.equal(c[4], '10,00 / 20,00');
  assert.equal((await p.locator('#cs-rate-766').innerText()).trim(), '50,00%');
  assert.equal((await p.locator('#cs-rate-domain').innerText()).trim(), '50,00%');
  // 3.3: nothing filed online; 3.6 has no denominator (the fee is nil): "—", not 0 points
  assert.deepEqual((await cells(p, '3.3')).slice(0, 3), ['0', '2', '0,00%']);
  // the national ones are not computed here, never zero
  for (const id of ['1.1', '1.2', '4.4', '4.5']) {
    const t = (await cells(p, id)).join(' ');
    assert.match(t, /Không tính được tại đây — cần hệ thống quốc gia/, id);
  }
  // feedback: none in the period → full points (5.2, 5.3)
  assert.match((await cells(p, '5.2')).join(' '), /6,00 \/ 6,00/);
  // [I] labels on screen
  assert.match(await p.locator('tr[id="cs-2.1"] th').innerText(), /\[I\]/);
  await p.context().close();
});

test('every count opens exactly its dossiers', async () => {
  const p = await leaderPage(1280, 900);
  await p.getByRole('link', { name: 'Tử số 2.1: 1 hồ sơ' }).click();
  assert.deepEqual(await p.locator('#cs-ho-so a').allInnerTexts(), [codes.onTime]);
  await p.goto(`${srv.url}/bao-cao/chi-so-766?${PERIOD}`);
  await p.getByRole('link', { name: 'Mẫu số 2.1: 2 hồ sơ' }).click();
  assert.deepEqual((await p.locator('#cs-ho-so a').allInnerTexts()).sort(), [codes.onTime, codes.overdue].sort());
  assert.ok(!(await p.locator('#cs-ho-so').innerText()).includes(codes.refused));
  // 5.4's numerator is the bad ones: the overdue dossier
  await p.goto(`${srv.url}/bao-cao/chi-so-766/ho-so?chi_so=5.4&phan=tu&${PERIOD}`);
  assert.deepEqual(await p.locator('#cs-ho-so a').allInnerTexts(), [codes.overdue]);
  await checkA11y(p, 'hồ sơ của chỉ số');
  await p.context().close();
});

test('the chart is an accessible SVG; axe-clean, fits 360 px, prints the chart', async () => {
  const p = await leaderPage(360, 740);
  const svg = p.locator('svg.bar-chart');
  assert.equal(await svg.getAttribute('role'), 'img');
  assert.match(await p.locator('svg.bar-chart title').textContent(), /năm nhóm/);
  assert.equal(await p.locator('svg.bar-chart rect').count(), 10);
  await checkA11y(p, 'chỉ số 766 360');
  await checkNoOverflow(p, 'chỉ số 766 360');
  await p.emulateMedia({ media: 'print' });
  assert.ok(await svg.isVisible());
  const box = await svg.boundingBox();
  assert.ok(box.width > 100 && box.height > 50, JSON.stringify(box));
  await p.screenshot({ path: join(SHOTS, 'chi-so-766-360.png'), fullPage: true });
  await p.context().close();
});

test('the officer may not open the dashboard', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await loginAs(page, srv.url, 'cs.tuan', PW);
  const res = await page.goto(`${srv.url}/bao-cao/chi-so-766`);
  assert.equal(res.status(), 403);
  await ctx.close();
});

test('staff performance: per officer, handled, on-time rate, late without apology, ratings; axe, 360 px', async () => {
  const p = await leaderPage(360, 740, `/bao-cao/can-bo?${PERIOD}`);
  const row = async (name) => (await p.locator('#cb-bang tr', { has: p.getByRole('rowheader', { name, exact: true }) })
    .locator('td').allInnerTexts()).map((s) => s.trim());
  // handled, finished, rate, late, with apology, without, very satisfied, satisfied, not satisfied
  assert.deepEqual(await row('Trần Anh Tuấn'), ['1', '1', '100,0%', '0', '0', '0', '0', '0', '0']);
  // the overdue dossier nobody was assigned: late, no apology
  assert.deepEqual(await row('Chưa giao cán bộ'), ['1', '0', '—', '1', '0', '1', '0', '0', '0']);
  await checkA11y(p, 'cán bộ 360');
  await checkNoOverflow(p, 'cán bộ 360');
  await p.context().close();
});

test('the public dashboard: by month, on-time rate and group points for anyone; no dossier named; axe, 360 px', async () => {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 800 } });
  const p = await ctx.newPage();
  const res = await p.goto(`${srv.url}/chi-so-phuc-vu?nam=2027`);
  assert.equal(res.status(), 200);
  const row = p.locator('tbody tr', { hasText: 'Tháng 03/2027' });
  assert.equal(await row.count(), 1);
  const t = await row.innerText();
  // March 2027: the same 2.1 as the leader's dashboard (1 of 2 received)
  assert.match(t, /50,0%/);
  assert.match(t, /\b2\b/);
  // only January to March of the running year
  assert.equal(await p.locator('tbody tr').count(), 3);
  const body = await p.locator('main').innerText();
  for (const code of Object.values(codes)) assert.ok(!body.includes(code), 'no dossier code on the public page');
  assert.ok(!/Phan Văn|Phan Thị/.test(body), 'no applicant named');
  assert.match(await p.locator('footer').innerText(), /Chỉ số phục vụ người dân/);
  await checkA11y(p, 'chỉ số công khai');
  await checkNoOverflow(p, 'chỉ số công khai 360');
  await shoot(p, 'chi-so-phuc-vu');
  // a year in the future is not a page
  assert.equal((await p.goto(`${srv.url}/chi-so-phuc-vu?nam=2099`)).status(), 404);
  await ctx.close();
});
