// backup.test.mjs — the records' safety as people see it.  The admin takes
// the backup without a terminal: the page says what a backup holds and when
// the nightly one runs, "Sao lưu ngay" writes one, the list shows it and the
// link downloads the archive.  The province inspector opens the proof that
// no record was altered, writes down the anchor and checks against it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { startServer, launch, checkA11y, shoot, loginAs, SHOTS, BIN } from './lib.mjs';

let srv, browser;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  srv = await startServer({ args: ['--backup-at', '02:15', '--backup-keep', '7'] });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  assert.equal(await srv?.stop(), 0);
});

test('admin backs up from the page and downloads the archive', async () => {
  const ctx = await browser.newContext({ acceptDownloads: true });
  const page = await ctx.newPage();
  await loginAs(page, srv.url, 'admin', srv.adminPassword);
  await page.getByRole('link', { name: 'Sao lưu', exact: true }).click();
  assert.equal(new URL(page.url()).pathname, '/quan-tri/sao-luu');
  const main = await page.locator('main').innerText();
  assert.match(main, /Hệ thống tự sao lưu lúc 02:15 hằng ngày và giữ 7 bản/);
  assert.match(main, /Chưa có bản sao lưu nào/);
  await checkA11y(page, 'sao lưu (trống)');

  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sao lưu ngay' }).click()]);
  assert.match(await page.getByRole('status').first().innerText(), /Đã sao lưu vào tệp motcua-\d{8}-\d{6}\.tar/);
  const rows = page.locator('table.list tbody tr');
  assert.equal(await rows.count(), 1);
  assert.match(await rows.first().innerText(), /Bằng tay/);
  await checkA11y(page, 'sao lưu (có bản)');
  await shoot(page, 'quan-tri-sao-luu');

  const link = rows.first().getByRole('link');
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  assert.equal(download.suggestedFilename(), await link.innerText());
  const bytes = readFileSync(await download.path());
  assert.ok(bytes.length > 10000);
  assert.equal(bytes.subarray(0, 9).toString(), 'motcua.db');
  assert.equal(bytes.subarray(257, 262).toString(), 'ustar');
  await ctx.close();
});

test('the backup page is for the admin only', async () => {
  const page = await browser.newPage();
  const res = await page.goto(`${srv.url}/quan-tri/sao-luu`);
  assert.equal(new URL(page.url()).pathname, '/dang-nhap');
  assert.ok(res.ok());
  await page.close();
});

test('the inspector checks the records and compares with the anchor', async () => {
  execFileSync(BIN, ['user', 'add', '--data', srv.dir, '--username', 'thanh.tra', '--role', 'viewer',
    '--full-name', 'Thanh tra tỉnh', '--password-stdin'], { input: 'mat-khau-thanh-tra\n' });
  const ctx = await browser.newContext({ acceptDownloads: true });
  const page = await ctx.newPage();
  await loginAs(page, srv.url, 'thanh.tra', 'mat-khau-thanh-tra');
  await page.getByRole('link', { name: 'Kiểm tra toàn vẹn' }).click();
  assert.equal(new URL(page.url()).pathname, '/kiem-tra');
  const main = page.locator('main');
  assert.match(await main.innerText(), /KẾT QUẢ: ĐẠT/);
  assert.match(await main.innerText(), /Tệp đính kèm và ảnh\s+Đạt \d+ tệp, đúng mã băm/);
  await checkA11y(page, 'kiểm tra toàn vẹn');
  await shoot(page, 'kiem-tra');
  const head = await page.locator('.anchor dd code').first().innerText();
  const hash = await page.locator('.anchor code.hash').innerText();
  assert.match(hash, /^[0-9a-f]{64}$/);
  await page.getByLabel('Số sự kiện').fill(head);
  await page.getByLabel('Mã băm (64 ký tự)').fill(hash);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Kiểm tra và đối chiếu' }).click()]);
  assert.match(await main.innerText(), new RegExp(`khớp: sự kiện #${head} không đổi`));
  // a mistyped hash is a clear error, not a verdict
  await page.getByLabel('Mã băm (64 ký tự)').fill(hash.slice(0, 20));
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Kiểm tra và đối chiếu' }).click()]);
  assert.match(await page.getByRole('alert').innerText(), /Mốc đối chiếu không hợp lệ/);
  await checkA11y(page, 'kiểm tra toàn vẹn (lỗi mốc)');
  // the timeliness report, on screen and as CSV
  await page.getByRole('link', { name: 'Báo cáo', exact: true }).click();
  assert.equal(new URL(page.url()).pathname, '/bao-cao');
  assert.match(await page.locator('main').innerText(), /Báo cáo giải quyết hồ sơ đúng hạn/);
  await checkA11y(page, 'báo cáo đúng hạn');
  await shoot(page, 'bao-cao');
  const link = page.getByRole('link', { name: 'Tải về (CSV, mở bằng Excel)' });
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const csv = readFileSync(await download.path(), 'utf8');
  assert.match(csv, /^\uFEFFLĩnh vực,Tiếp nhận,/);
  assert.match(csv, /Tổng cộng,0,0,0,0,0,0,—/);
  // the inspector reads, and cannot back up
  const res = await page.goto(`${srv.url}/quan-tri/sao-luu`);
  assert.equal(res.status(), 403);
  await ctx.close();
});
