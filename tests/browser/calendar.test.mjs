// calendar.test.mjs — the legal clock's pages: the public working
// calendar /lich and the admin page /quan-tri/lich, as an admin uses
// them (add an extra day off and a make-up Saturday, see /lich and the
// API change at once, import a notice file, set office hours).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launch, checkA11y, shoot, loginAs, SHOTS } from './lib.mjs';

let srv, browser;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  srv = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  assert.equal(await srv?.stop(), 0);
});

async function due(query) {
  const r = await fetch(`${srv.url}/api/v1/calendar/due?${query}`);
  return (await r.json()).due_at;
}

test('public calendar: lunar dates, days off, printable, accessible', async () => {
  const page = await browser.newPage();
  const res = await page.goto(`${srv.url}/lich?nam=2027`);
  assert.equal(res.status(), 200);
  assert.match(await page.locator('h1').innerText(), /Lịch làm việc năm 2027/);
  const feb = page.locator('table.cal-month', { hasText: 'Tháng 2 năm 2027' });
  // Tết 2027: 6/2 is mùng 1 (lunar 1/1), marked as a day off
  const tet = feb.locator('td', { hasText: /^6/ }).first();
  assert.match(await tet.innerText(), /1\/1/);
  assert.match(await tet.getAttribute('class'), /cal-off/);
  assert.match(await page.locator('main').innerText(), /Nghỉ bù Tết Nguyên đán/);
  await checkA11y(page, 'lịch làm việc');
  await shoot(page, 'lich-2027');
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: join(SHOTS, 'lich-2027-print.png'), fullPage: true });
  const navHidden = await page.locator('.site-nav').evaluate((el) => getComputedStyle(el).display === 'none');
  assert.ok(navHidden, 'navigation is hidden when printing');
  await page.emulateMedia({ media: 'screen' });
  await page.getByRole('link', { name: /Năm 2028/ }).click();
  assert.match(await page.locator('h1').innerText(), /2028/);
  await page.close();
});

test('admin override changes the page and the API at once', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await loginAs(page, srv.url, 'admin', srv.adminPassword);
  await page.goto(`${srv.url}/quan-tri/lich?nam=2027`);
  await checkA11y(page, 'quản lý lịch nghỉ');
  await shoot(page, 'quan-tri-lich');
  assert.equal(await due('from=2027-03-04T09:00:00%2B07:00&days=1'), '2027-03-05T17:00:00+07:00');

  await page.getByLabel('Ngày', { exact: true }).fill('2027-03-05');
  await page.getByLabel('Loại ngày').selectOption('off');
  await page.getByLabel('Tên ngày').fill('Nghỉ thêm theo thông báo thử');
  await page.getByLabel('Văn bản căn cứ').fill('Thông báo 01/TB-UBND');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Lưu ngày' }).click()]);
  assert.match(await page.getByRole('status').first().innerText(), /Đã lưu/);
  assert.equal(await due('from=2027-03-04T09:00:00%2B07:00&days=1'), '2027-03-08T17:00:00+07:00');

  await page.getByLabel('Ngày', { exact: true }).fill('2027-03-06');
  await page.getByLabel('Loại ngày').selectOption('work');
  await page.getByLabel('Tên ngày').fill('Làm bù thử');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Lưu ngày' }).click()]);
  assert.equal(await due('from=2027-03-04T09:00:00%2B07:00&days=1'), '2027-03-06T17:00:00+07:00');
  await checkA11y(page, 'quản lý lịch nghỉ (có điều chỉnh)');

  const pub = await browser.newPage();
  await pub.goto(`${srv.url}/lich?nam=2027`);
  const march = pub.locator('table.cal-month', { hasText: 'Tháng 3 năm 2027' });
  assert.match(await march.locator('td.cal-off').first().innerText(), /^5/);
  assert.match(await march.locator('td.cal-work').first().innerText(), /^6/);
  await pub.close();

  // delete the extra day off again
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: /Xóa ngày .*05\/03\/2027/ }).click()]);
  assert.equal(await due('from=2027-03-04T09:00:00%2B07:00&days=1'), '2027-03-05T17:00:00+07:00');
  assert.equal(await due('from=2027-03-04T09:00:00%2B07:00&days=2'), '2027-03-06T17:00:00+07:00');
  await ctx.close();
});

test('admin imports a notice file; a bad file changes nothing', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await loginAs(page, srv.url, 'admin', srv.adminPassword);
  await page.goto(`${srv.url}/quan-tri/lich?nam=2029`);
  const bad = join(srv.dir, 'bad.tsv');
  writeFileSync(bad, '# year: 2029\n2029-01-02\toff\tNghỉ thử\tTB 9\thttps://vd\tV\n2029-02-30\toff\tSai\tTB\thttps://vd\tV\n');
  await page.getByLabel(/Tệp lịch nghỉ/).setInputFiles(bad);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Nạp tệp' }).click()]);
  assert.match(await page.getByRole('alert').innerText(), /dòng 3/);
  await checkA11y(page, 'nạp tệp lỗi');
  let r = await (await fetch(`${srv.url}/api/v1/calendar/holidays?year=2029`)).json();
  assert.ok(!r.some((d) => d.date === '2029-01-02'));
  const good = join(srv.dir, 'good.tsv');
  writeFileSync(good, '# year: 2029\n# complete: no\n2029-01-02\toff\tNghỉ thử\tTB 9\thttps://vd\tV\n');
  await page.getByLabel(/Tệp lịch nghỉ/).setInputFiles(good);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Nạp tệp' }).click()]);
  assert.match(await page.locator('main').innerText(), /Nghỉ thử/);
  r = await (await fetch(`${srv.url}/api/v1/calendar/holidays?year=2029`)).json();
  assert.ok(r.some((d) => d.date === '2029-01-02' && d.kind === 'override'));
  await ctx.close();
});

test('office hours move the due time', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await loginAs(page, srv.url, 'admin', srv.adminPassword);
  await page.goto(`${srv.url}/quan-tri/lich`);
  const pm = page.getByRole('group', { name: 'Buổi chiều' });
  await pm.getByLabel('Đóng cửa').fill('16:30');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Lưu giờ làm việc' }).click()]);
  assert.equal(await due('from=2026-12-01T09:00:00%2B07:00&days=1'), '2026-12-02T16:30:00+07:00');
  await pm.getByLabel('Đóng cửa').fill('12:00');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Lưu giờ làm việc' }).click()]);
  assert.match(await page.getByRole('alert').innerText(), /trước giờ đóng cửa/);
  assert.equal(await due('from=2026-12-01T09:00:00%2B07:00&days=1'), '2026-12-02T16:30:00+07:00');
  await ctx.close();
});
