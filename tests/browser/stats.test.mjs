// stats.test.mjs — issue #15 item 1: the statistics pages.  On a server
// whose wall clock libfaketime sets (Friday 5 March 2027, Hà Nội time) the
// desk receives three birth registrations at 10:00: one done on time and
// its 50.000 đồng paid in cash, one still with its officer at 17:30
// (overdue), one refused at reception (never received).  The leader's
// /bao-cao/thong-ke shows the figures by field and by officer, each
// figure opens to the list of its dossiers, the SVG chart is named for a
// screen reader, the page passes axe and fits 360 px, the printed report
// prints to an A4 PDF, and the XLSX, converted headless by LibreOffice,
// holds the same numbers as the page (and its dates as dates).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launch, checkA11y, checkNoOverflow, loginAs, addUsers, BIN, SHOTS } from './lib.mjs';

const PW = 'mat-khau-thu-123';
const FAKE = '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1';
const env = (utc) => ({ LD_PRELOAD: FAKE, FAKETIME: `@${utc}`, FAKETIME_DONT_FAKE_MONOTONIC: '1', TZ: 'UTC' });
const PERIOD = 'tu=2027-03-01&den=2027-03-05';
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
  srv = await startServer({ env: env('2027-03-05 03:00:00') });
  addUsers(srv.dir, [
    ['tk.clerk', 'clerk', 'Nguyễn Thị Lan', ''],
    ['tk.tuan', 'officer', 'Trần Anh Tuấn', 'Tư pháp - Hộ tịch'],
    ['tk.dung', 'officer', 'Đặng Văn Dũng', 'Văn hóa - Xã hội'],
    ['tk.hai', 'leader', 'Lê Văn Hải', ''],
  ], PW);
  const clerk = await signIn('tk.clerk');
  const tuan = await signIn('tk.tuan');
  const leader = await signIn('tk.hai');
  const ids = {};
  for (const line of execFileSync(BIN, ['user', 'list', '--data', srv.dir]).toString().split('\n')) {
    const m = line.match(/^\s*(\d+)\s+(\S+)/);
    if (m) ids[m[2]] = Number(m[1]);
  }
  const receive = async (name, intake = 'receive', extra = {}) => (await api(clerk, 'POST', '/api/v1/dossiers', {
    procedure_code: '1.001193', intake, applicant: { name, phone: '0912000111' }, ...extra,
  })).code;
  codes.onTime = await receive('Phan Thị Đúng Hẹn', 'receive', { fee: 50000, payment: { status: 'paid', channel: 'cash' } });
  codes.overdue = await receive('Phan Văn Quá Hạn');
  codes.refused = await receive('Phan Văn Từ Chối', 'hold');
  await act(clerk, codes.refused, { action: 'refuse_intake', note: 'Không thuộc thẩm quyền của xã' });
  await act(clerk, codes.onTime, { action: 'assign', assignee: ids['tk.tuan'] });
  await act(clerk, codes.overdue, { action: 'assign', assignee: ids['tk.dung'] });
  await act(tuan, codes.onTime, { action: 'submit_for_approval', assignee: ids['tk.hai'] });
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

async function leaderAt(width, path) {
  const ctx = await browser.newContext({ viewport: { width, height: 800 } });
  const page = await ctx.newPage();
  await loginAs(page, srv.url, 'tk.hai', PW);
  await page.goto(`${srv.url}${path}`);
  return page;
}

const rowCells = (p, name) => p.locator('table.stats-table tr', { has: p.getByRole('rowheader', { name, exact: true }) })
  .locator('td').allInnerTexts();

// received, finished, early, on time, late, rate, pending, overdue, average days,
// online, online share, digitised, rated, satisfied, fee
test('the figures by field and by officer, each opening to its dossiers', async () => {
  const p = await leaderAt(1280, `/bao-cao/thong-ke?${PERIOD}&nhom=linh-vuc`);
  const field = await rowCells(p, 'Hộ tịch');
  assert.deepEqual(field.filter((_, i) => i !== 8),
    ['2', '1', '0', '1', '0', '100,0%', '1', '1', '0', '0,0%', '0', '0', '0', '50.000']);
  assert.match(field[8], /^\d+,\d$/, `average working days: ${field[8]}`);
  assert.equal(await p.getByRole('row', { name: /Tiền mặt/ }).locator('td').last().innerText(), '50.000');
  // the overdue figure opens to the overdue dossier, and only to it
  await Promise.all([p.waitForNavigation(),
    p.locator('table.stats-table tr', { has: p.getByRole('rowheader', { name: 'Hộ tịch', exact: true }) })
      .locator('td[data-label="Đang quá hạn"] a').click()]);
  assert.match(p.url(), /\/bao-cao\/ho-so\?.*chi-so=qua-han/);
  assert.equal(await p.locator('#tk-so-ho-so').innerText(), '1');
  assert.deepEqual(await p.locator('table a[href^="/mot-cua/ho-so/"]').allInnerTexts(), [codes.overdue]);
  await checkA11y(p, 'danh sách hồ sơ theo chỉ số');
  // by officer: each by full name, with his own counts
  await p.goto(`${srv.url}/bao-cao/thong-ke?${PERIOD}&nhom=can-bo`);
  assert.deepEqual((await rowCells(p, 'Trần Anh Tuấn')).slice(0, 8), ['1', '1', '0', '1', '0', '100,0%', '0', '0']);
  assert.deepEqual((await rowCells(p, 'Đặng Văn Dũng')).slice(0, 8), ['1', '0', '0', '0', '0', '—', '1', '1']);
  await Promise.all([p.waitForNavigation(),
    p.locator('table.stats-table tr', { has: p.getByRole('rowheader', { name: 'Trần Anh Tuấn', exact: true }) })
      .locator('td[data-label="Tiếp nhận"] a').click()]);
  assert.deepEqual(await p.locator('table a[href^="/mot-cua/ho-so/"]').allInnerTexts(), [codes.onTime]);
  await p.context().close();
});

test('the chart is an image named for a screen reader; the page passes axe at 360 px and 1280 px', async () => {
  for (const w of [360, 1280]) {
    const p = await leaderAt(w, `/bao-cao/thong-ke?${PERIOD}`);
    const svg = p.locator('figure.stats-chart svg[role="img"]');
    assert.equal(await svg.count(), 1);
    assert.match(await svg.locator('title').textContent(), /Biểu đồ hồ sơ tiếp nhận theo Lĩnh vực/);
    assert.match(await svg.locator('text').allTextContents().then((t) => t.join(' | ')),
      /Hộ tịch \| 2 tiếp nhận: 1 xong \(đúng hạn 100,0%\), 1 đang giải quyết/);
    await checkA11y(p, `thống kê ${w}`);
    await checkNoOverflow(p, `thống kê ${w}`);
    await p.screenshot({ path: join(SHOTS, `thong-ke-${w}.png`), fullPage: true });
    await p.context().close();
  }
});

test('the printed report: the state header, the table, on A4 as a PDF', async () => {
  const p = await leaderAt(1280, `/bao-cao/thong-ke/in?${PERIOD}`);
  await checkA11y(p, 'bản in thống kê');
  const text = await p.locator('body').innerText();
  assert.match(text, /CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM/);
  assert.match(text, /BÁO CÁO TÌNH HÌNH GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH/);
  assert.match(text, /Hồ sơ tiếp nhận từ ngày 01\/03\/2027 đến ngày 05\/03\/2027/);
  assert.equal((await rowCells(p, 'Hộ tịch'))[0], '2');
  const pdf = await p.pdf({ format: 'A4', landscape: true, printBackground: false });
  assert.ok(pdf.length > 5000 && pdf.subarray(0, 5).toString() === '%PDF-', 'a PDF');
  writeFileSync(join(SHOTS, 'thong-ke-in.pdf'), pdf);
  await p.context().close();
});

// RFC 4180 rows (quoted cells may hold commas).
const parseCsv = (text) => text.replace(/^\uFEFF/, '').split(/\r?\n/).map((line) => {
  const out = [];
  let cur = '', q = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (q && ch === '"' && line[i + 1] === '"') { cur += '"'; i++; }
    else if (ch === '"') q = !q;
    else if (ch === ',' && !q) { out.push(cur); cur = ''; }
    else cur += ch;
  }
  out.push(cur);
  return out;
});

// The page's "1.234" → 1234, "93,5%" → 0.935, "—" → "" (an empty cell).
const asNumber = (s) => {
  if (s === '—') return '';
  const pct = s.endsWith('%');
  const n = Number(s.replace('%', '').replaceAll('.', '').replace(',', '.'));
  return pct ? n / 100 : n;
};

test('the XLSX, converted by LibreOffice headless, holds the page\'s numbers and real dates', async (t) => {
  let soffice = null;
  for (const c of ['/usr/bin/soffice', '/usr/bin/libreoffice']) if (existsSync(c)) soffice = c;
  if (!soffice) {
    t.skip('soffice is not installed (scripts/deps.sh installs libreoffice-calc-nogui): XLSX not checked');
    return;
  }
  const p = await leaderAt(1280, `/bao-cao/thong-ke?${PERIOD}&nhom=linh-vuc`);
  const page = await rowCells(p, 'Hộ tịch');
  const res = await p.request.get(`${srv.url}/bao-cao/thong-ke?${PERIOD}&dinh_dang=xlsx`);
  assert.equal(res.status(), 200);
  assert.match(res.headers()['content-type'], /spreadsheetml/);
  const dir = mkdtempSync(join(tmpdir(), 'motcua-xlsx-'));
  writeFileSync(join(dir, 'thong-ke.xlsx'), await res.body());
  // all sheets (-1), UTF-8
  execFileSync(soffice, [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to',
    'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1', '--outdir', dir,
    join(dir, 'thong-ke.xlsx')], { timeout: 180000 });
  const sheet = readdirSync(dir).find((f) => f.endsWith('.csv') && f.includes('Lĩnh vực'));
  assert.ok(sheet, `a sheet per grouping: ${readdirSync(dir).join(', ')}`);
  const rows = parseCsv(readFileSync(join(dir, sheet), 'utf8'));
  // the period's dates are date cells: LibreOffice writes them in its own
  // (en-US) date form, which the server never writes as text
  assert.equal(rows[0][1], '03/01/2027');
  assert.equal(rows[0][3], '03/05/2027');
  const row = rows.find((r) => r[0] === 'Hộ tịch');
  assert.ok(row, 'the field row');
  // numbers are numbers (a percentage cell comes out as "100%")
  const xl = row.slice(1).map((v) => (v === '' ? '' : v.endsWith('%') ? Number(v.slice(0, -1)) / 100 : Number(v)));
  const want = page.map(asNumber);
  assert.equal(xl.length, want.length);
  for (let i = 0; i < want.length; i++) {
    if (want[i] === '') assert.equal(xl[i], '', `column ${i}`);
    else assert.ok(Math.abs(xl[i] - want[i]) < 0.051, `column ${i}: XLSX ${xl[i]}, page ${want[i]}`);
  }
  assert.equal(xl[14], 50000);
  // and the same numbers as the CSV export
  const csv = parseCsv(await (await p.request.get(`${srv.url}/bao-cao/thong-ke?${PERIOD}&dinh_dang=csv`)).text());
  assert.equal(csv.find((r) => r[0] === 'Hộ tịch')[15], '50000');
  await p.context().close();
  rmSync(dir, { recursive: true, force: true });
});
