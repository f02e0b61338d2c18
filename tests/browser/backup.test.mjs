// backup.test.mjs — the admin takes the backup without a terminal: the
// page says what a backup holds and when the nightly one runs, "Sao lưu
// ngay" writes one, the list shows it and the link downloads the archive.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { startServer, launch, checkA11y, shoot, loginAs, SHOTS } from './lib.mjs';

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
