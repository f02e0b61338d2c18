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
  // a new user types "khai sinh" without tones and reaches the procedure
  await page.getByRole('searchbox', { name: /Tìm thủ tục/ }).fill('khai sinh');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Tìm thủ tục' }).click()]);
  const first = page.locator('.proc-list .proc-name a').first();
  assert.equal(await first.innerText(), 'Thủ tục đăng ký khai sinh');
  await Promise.all([page.waitForNavigation(), first.click()]);
  assert.equal(new URL(page.url()).pathname, '/thu-tuc/1.001193');
  const text = await page.locator('main').innerText();
  for (const want of [/Thành phần hồ sơ/, /Tờ khai đăng ký khai sinh/, /Thời hạn giải quyết/,
    /Phí, lệ phí/, /Căn cứ pháp lý/, /Luật Hộ tịch/]) assert.match(text, want);
  await ctx.close();

  // the same through the API
  const list = await (await fetch(`${srv.url}/api/v1/procedures?q=khai%20sinh&limit=5`)).json();
  assert.equal(list.items[0].code, '1.001193');
  const proc = await (await fetch(`${srv.url}/api/v1/procedures/1.001193`)).json();
  assert.equal(proc.name, 'Thủ tục đăng ký khai sinh');
  assert.ok(proc.documents.length > 0 && proc.documents.some((d) => /Tờ khai/.test(d.name)));
  assert.ok(proc.time_limit && proc.fee && proc.legal_basis.some((b) => /Luật Hộ tịch/.test(b)));
});

test('the seed catalogue holds 40 or more published procedures', async () => {
  const page = await browser.newPage({ userAgent: UA });
  await page.goto(`${srv.url}/thu-tuc`);
  const status = await page.getByRole('status').first().innerText();
  const n = Number((status.match(/(\d+) thủ tục/) || [])[1]);
  assert.ok(n >= 40, status);
  const api = await (await fetch(`${srv.url}/api/v1/procedures?limit=1`)).json();
  assert.equal(api.total, n);
  await page.close();
});
