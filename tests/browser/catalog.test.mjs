// catalog.test.mjs — the public catalogue as a citizen uses it (search
// without tones, read a procedure on a phone, print it) and the admin
// pages that keep it, each checked by axe-core at 360 and 1280 pixels.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
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

test('a citizen searches "khai sinh" without tones and reads the procedure', async () => {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await ctx.newPage();
  await page.goto(`${srv.url}/thu-tuc`);
  await checkA11y(page, 'danh mục thủ tục');
  await shoot(page, 'thu-tuc');
  await page.getByLabel('Tìm thủ tục').fill('khai sinh');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Tìm' }).click()]);
  assert.match(await page.getByRole('status').first().innerText(), /Tìm thấy \d+ thủ tục/);
  const first = page.locator('.proc-list .proc-name a').first();
  assert.equal(await first.innerText(), 'Thủ tục đăng ký khai sinh');
  await checkA11y(page, 'kết quả tìm kiếm');
  await Promise.all([page.waitForNavigation(), first.click()]);
  assert.equal(new URL(page.url()).pathname, '/thu-tuc/1.001193');
  const main = await page.locator('main').innerText();
  assert.match(main, /Thành phần hồ sơ/);
  assert.match(main, /Tờ khai đăng ký khai sinh/);
  assert.match(main, /Thời hạn giải quyết/);
  assert.match(main, /Trong ngày làm việc/);
  assert.match(main, /Phí, lệ phí/);
  assert.match(main, /Căn cứ pháp lý/);
  assert.match(main, /Luật Hộ tịch/);
  await checkA11y(page, 'chi tiết thủ tục');
  await shoot(page, 'thu-tuc-khai-sinh');
  await ctx.close();
});

test('search works without JavaScript', async () => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(`${srv.url}/thu-tuc`);
  await page.getByLabel('Tìm thủ tục').fill('giay khai sinh');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Tìm' }).click()]);
  const names = await page.locator('.proc-list .proc-name a').allInnerTexts();
  assert.ok(names.length > 0, 'results without JavaScript');
  await ctx.close();
});

test('search ignores tones, case, đ and decomposed Unicode', async () => {
  const page = await browser.newPage();
  for (const q of ['dang ky khai sinh', 'DANG KY', 'Đăng ký khai sinh', 'Da\u0306ng ky\u0301 khai sinh']) {
    await page.goto(`${srv.url}/thu-tuc?q=${encodeURIComponent(q)}`);
    const names = await page.locator('.proc-list .proc-name a').allInnerTexts();
    assert.ok(names.includes('Thủ tục đăng ký khai sinh'), `${q}: ${names.slice(0, 3)}`);
  }
  await page.goto(`${srv.url}/thu-tuc?q=chung+thuc`);
  const names = await page.locator('.proc-list .proc-name a').allInnerTexts();
  assert.ok(names.length >= 5 && names.slice(0, 5).every((n) => /[Cc]hứng thực/.test(n)), names.join(' | '));
  // filters
  await page.goto(`${srv.url}/thu-tuc`);
  const opt = await page.locator('#linh-vuc option', { hasText: 'Chứng thực' }).first().getAttribute('value');
  await page.getByLabel('Lĩnh vực').selectOption(opt);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Tìm' }).click()]);
  const fields = await page.locator('.proc-list .proc-meta').allInnerTexts();
  assert.ok(fields.length > 0 && fields.filter((t) => /Lĩnh vực/.test(t)).every((t) => /Chứng thực/.test(t)));
  await page.close();
});

test('the procedure page prints on A4 without navigation', async () => {
  const page = await browser.newPage();
  await page.goto(`${srv.url}/thu-tuc/2.000884`);
  await page.emulateMedia({ media: 'print' });
  assert.ok(await page.locator('.site-nav').evaluate((el) => getComputedStyle(el).display === 'none'));
  const pdf = await page.pdf({ format: 'A4' });
  assert.ok(pdf.length > 10000);
  await page.close();
});

test('admin edits a procedure: a new version, published on demand', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await loginAs(page, srv.url, 'admin', srv.adminPassword);
  await page.goto(`${srv.url}/quan-tri/thu-tuc`);
  await checkA11y(page, 'quản lý thủ tục');
  await shoot(page, 'quan-tri-thu-tuc');
  await page.getByRole('link', { name: 'Thủ tục đăng ký khai tử', exact: true }).click();
  await checkA11y(page, 'sửa thủ tục');
  await shoot(page, 'quan-tri-thu-tuc-sua');
  await page.getByLabel('Kết quả thực hiện').fill('Trích lục khai tử (bản chính)');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Lưu và công bố' }).click()]);
  assert.match(await page.getByRole('status').first().innerText(), /Đã công bố/);
  const api = await (await fetch(`${srv.url}/api/v1/procedures/1.000656`)).json();
  assert.equal(api.version, 2);
  assert.equal(api.result, 'Trích lục khai tử (bản chính)');
  // a bad edit is refused with a clear message
  await page.goto(`${srv.url}/quan-tri/thu-tuc/1.000656`);
  await page.getByLabel('Giờ tiếp nhận muộn nhất trong ngày (HH:MM)').fill('25:99');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Lưu nháp' }).click()]);
  assert.match(await page.getByRole('alert').innerText(), /cutoff/);
  await checkA11y(page, 'sửa thủ tục (lỗi)');
  await page.goto(`${srv.url}/quan-tri/thu-tuc/moi`);
  await checkA11y(page, 'thêm thủ tục');
  await ctx.close();
});
