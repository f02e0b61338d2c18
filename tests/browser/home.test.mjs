// home.test.mjs — the home page as a citizen on a cheap phone first sees
// it: accessible, no horizontal overflow at 360 px, at most 60 KB
// transferred on first load, and its search box leads to the procedure.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { startServer, launch, checkA11y, shoot, SHOTS } from './lib.mjs';

let srv, browser;
const UA = 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36';

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  srv = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  assert.equal(await srv?.stop(), 0);
});

test('home page: accessible, fits a phone, at most 60 KB on first load', async () => {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, userAgent: UA });
  const page = await ctx.newPage();
  let bytes = 0;
  const sizes = [];
  page.on('response', async (res) => {
    try {
      const body = await res.body();
      bytes += body.length;
      sizes.push(`${new URL(res.url()).pathname} ${body.length}`);
    } catch { /* redirects have no body */ }
  });
  const res = await page.goto(`${srv.url}/`, { waitUntil: 'networkidle' });
  assert.equal(res.status(), 200);
  assert.ok(bytes > 0 && bytes <= 60 * 1024, `first load ${bytes} bytes: ${sizes.join(', ')}`);
  const main = await page.locator('main').innerText();
  assert.match(main, /Thủ tục thường gặp/);
  assert.match(main, /Thống kê truy cập/);
  await checkA11y(page, 'trang chủ');
  await shoot(page, 'trang-chu');
  await page.getByRole('searchbox', { name: /Tìm thủ tục/ }).fill('giay khai sinh');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Tìm thủ tục' }).click()]);
  assert.equal(await page.locator('.proc-list .proc-name a').first().innerText(), 'Thủ tục đăng ký khai sinh');
  await ctx.close();
});
