// news.test.mjs — the portal's news as people use it: an editor uploads
// an image and writes an announcement, a
// citizen finds it without typing tones, reads it, browses by date, and
// the visit counter counts one visit for fifty reloads from one address; and all of it
// works with JavaScript turned off (axe-core needs it, so the a11y checks
// run in the contexts with JavaScript).
//
// The counter ignores robots and headless browsers (User-Agent with
// "headless", "bot", …), so every context here sets a normal desktop
// userAgent, as a person's browser sends.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launch, checkA11y, shoot, loginAs, SHOTS } from './lib.mjs';

const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
// 1×1 PNG
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
  '1f15c4890000000d49444154789c63f8cfc0f01f0005000101ff89993d1d0000000049454e44ae426082', 'hex');

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

function today() {
  const d = new Date(Date.now() + 7 * 3600 * 1000);
  return d.toISOString().slice(0, 10);
}

test('editor uploads an image and publishes an announcement', async () => {
  const ctx = await browser.newContext({ userAgent: UA });
  const page = await ctx.newPage();
  await loginAs(page, srv.url, 'admin', srv.adminPassword);
  await page.goto(`${srv.url}/quan-tri/tin-tuc`);
  await checkA11y(page, 'quản lý tin tức (trống)');

  await page.getByRole('link', { name: 'Tải ảnh lên' }).click();
  await checkA11y(page, 'tải ảnh lên');
  // HTML dressed as a PNG is refused
  const bad = join(srv.dir, 'gia.png');
  writeFileSync(bad, '<html><script>alert(1)</script></html>');
  await page.getByLabel('Tệp ảnh').setInputFiles(bad);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Tải ảnh lên' }).click()]);
  assert.match(await page.getByRole('alert').innerText(), /không phải ảnh JPEG, PNG hoặc WebP/);
  await checkA11y(page, 'tải ảnh lên (lỗi)');
  const good = join(srv.dir, 'anh.png');
  writeFileSync(good, PNG);
  await page.getByLabel('Tệp ảnh').setInputFiles(good);
  await page.getByLabel(/Mô tả ảnh/).fill('Trụ sở UBND xã');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Tải ảnh lên' }).click()]);
  const snippet = await page.getByLabel('Đoạn mã ảnh').inputValue();
  assert.match(snippet, /^!\[Trụ sở UBND xã\]\(\/anh\/[0-9a-f]{64}\.png\)$/);
  await checkA11y(page, 'tải ảnh lên (xong)');
  await shoot(page, 'quan-tri-tin-tuc-anh');

  await page.goto(`${srv.url}/quan-tri/tin-tuc/moi`);
  await checkA11y(page, 'viết tin mới');
  await shoot(page, 'quan-tri-tin-tuc-moi');
  // a missing title: 400, the message, nothing saved
  await page.getByLabel('Nội dung').fill('Nội dung thử');
  await page.getByLabel('Tiêu đề').fill(' ');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Lưu và đăng' }).click()]);
  assert.match(await page.getByRole('alert').innerText(), /Vui lòng nhập tiêu đề/);
  await checkA11y(page, 'viết tin mới (lỗi)');

  await page.getByLabel('Tiêu đề').fill('Thông báo lịch tiếp công dân tháng này <b>');
  await page.getByLabel('Loại tin').selectOption('announcement');
  await page.getByLabel('Chuyên mục').selectOption('hoat-dong');
  await page.getByLabel(/Tóm tắt/).fill('Chủ tịch UBND xã tiếp công dân vào thứ Năm hằng tuần.');
  await page.getByLabel('Nội dung').fill(`Đoạn **mở đầu**.\n\n${snippet}\n\n## Thời gian\n\n- Thứ Năm, 8 giờ\n- Tại trụ sở`);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Lưu và đăng' }).click()]);
  assert.match(await page.getByRole('status').first().innerText(), /Đã lưu/);
  await checkA11y(page, 'sửa tin');
  for (const [title, cat] of [['Hội nghị cải cách hành chính', 'cai-cach-hanh-chinh'],
    ['Tin hoạt động thứ hai của xã', 'hoat-dong']]) {
    await page.goto(`${srv.url}/quan-tri/tin-tuc/moi`);
    await page.getByLabel('Tiêu đề').fill(title);
    await page.getByLabel('Chuyên mục').selectOption(cat);
    await page.getByLabel('Nội dung').fill('Nội dung tin.');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Lưu và đăng' }).click()]);
  }
  await page.goto(`${srv.url}/quan-tri/tin-tuc`);
  await checkA11y(page, 'quản lý tin tức');
  await shoot(page, 'quan-tri-tin-tuc');
  await ctx.close();
});

test('a citizen searches without tones, reads the article and its related news', async () => {
  const ctx = await browser.newContext({ userAgent: UA });
  const page = await ctx.newPage();
  await page.goto(`${srv.url}/tin-tuc`);
  await checkA11y(page, 'tin tức');
  await shoot(page, 'tin-tuc');
  await page.getByLabel('Tìm tin, thông báo').fill('thong bao tiep cong dan');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Tìm' }).click()]);
  assert.match(await page.getByRole('status').first().innerText(), /Tìm thấy 1 tin/);
  await checkA11y(page, 'tìm tin');
  await page.getByRole('link', { name: /Thông báo lịch tiếp công dân/ }).click();
  const h1 = await page.locator('h1').innerText();
  assert.equal(h1, 'Thông báo lịch tiếp công dân tháng này <b>');   // markup shows as text
  assert.equal(await page.locator('.news-body strong').innerText(), 'mở đầu');
  const img = page.locator('.news-body img');
  assert.equal(await img.getAttribute('alt'), 'Trụ sở UBND xã');
  assert.ok(await img.evaluate((el) => el.complete && el.naturalWidth === 1), 'the uploaded image loads');
  const related = page.locator('section', { has: page.getByRole('heading', { name: 'Các tin khác' }) });
  assert.match(await related.innerText(), /Tin hoạt động thứ hai của xã/);
  assert.doesNotMatch(await related.innerText(), /Hội nghị cải cách/);
  await checkA11y(page, 'trang tin');
  await shoot(page, 'tin-tuc-bai');
  await ctx.close();
});

test('news by date and the monthly archive', async () => {
  const ctx = await browser.newContext({ userAgent: UA });
  const page = await ctx.newPage();
  await page.goto(`${srv.url}/tin-tuc`);
  await page.getByLabel('Ngày đăng').fill(today());
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Xem tin ngày này' }).click()]);
  assert.match(page.url(), /ngay=\d{4}-\d{2}-\d{2}/);
  assert.equal(await page.locator('.news-item').count(), 3);
  await checkA11y(page, 'tin theo ngày');
  await page.getByLabel('Ngày đăng').fill('2020-01-01');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Xem tin ngày này' }).click()]);
  assert.equal(await page.locator('.news-item').count(), 0);
  assert.match(await page.getByRole('status').first().innerText(), /Có 0 tin đăng ngày 01\/01\/2020/);
  await page.getByRole('link', { name: /^Tháng \d+\/\d{4}$/ }).first().click();
  assert.equal(await page.locator('.news-item').count(), 3);
  await checkA11y(page, 'lưu trữ tháng');
  await ctx.close();
});

test('fifty reloads, and another browser at the same address, count one visit', async () => {
  const total = async (page) => Number(await page.locator('.news-visits dd').first().innerText());
  const ctx = await browser.newContext({ userAgent: UA });
  const page = await ctx.newPage();
  await page.goto(`${srv.url}/tin-tuc`);
  const first = await total(page);
  for (let i = 0; i < 50; i++) await page.reload();
  assert.equal(await total(page), first);
  const now = Number(await page.locator('.news-visits dd').nth(1).innerText());
  assert.ok(now >= 1, 'this browser is active now');
  // another browser at the same address is the same client in this window
  const other = await browser.newContext({ userAgent: UA });
  const p2 = await other.newPage();
  await p2.goto(`${srv.url}/tin-tuc`);
  assert.equal(await total(p2), first);
  // a headless browser that says so is not counted
  const bot = await browser.newContext();
  const p3 = await bot.newPage();
  await p3.goto(`${srv.url}/tin-tuc`);
  assert.equal(await total(p3), first);
  await Promise.all([ctx.close(), other.close(), bot.close()]);
});

test('the Atom feed is served and linked', async () => {
  const r = await fetch(`${srv.url}/tin-tuc/atom.xml`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /application\/atom\+xml/);
  const xml = await r.text();
  assert.match(xml, /^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
  assert.match(xml, /<title>Thông báo lịch tiếp công dân tháng này &lt;b&gt;<\/title>/);
  const page = await browser.newPage({ userAgent: UA });
  await page.goto(`${srv.url}/tin-tuc/atom.xml`);
  // chromium parses it as XML: a parse error would show a <parsererror>
  assert.equal(await page.locator('parsererror').count(), 0);
  await page.close();
});

test('everything works without JavaScript', async () => {
  const ctx = await browser.newContext({ javaScriptEnabled: false, userAgent: UA });
  const page = await ctx.newPage();
  await loginAs(page, srv.url, 'admin', srv.adminPassword);
  await page.goto(`${srv.url}/quan-tri/tin-tuc/moi`);
  await page.getByLabel('Tiêu đề').fill('Đường làng được đổ bê tông');
  await page.getByLabel('Chuyên mục').selectOption('kinh-te');
  await page.getByLabel('Nội dung').fill('Tuyến **đường** dài 2 km.');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Lưu và đăng' }).click()]);
  assert.match(await page.getByRole('status').first().innerText(), /Đã lưu/);
  await page.goto(`${srv.url}/quan-tri/tin-tuc/anh`);
  const good = join(srv.dir, 'anh2.png');
  writeFileSync(good, PNG);
  await page.getByLabel('Tệp ảnh').setInputFiles(good);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Tải ảnh lên' }).click()]);
  assert.match(await page.getByLabel('Đoạn mã ảnh').inputValue(), /\/anh\/[0-9a-f]{64}\.png/);
  await page.goto(`${srv.url}/tin-tuc`);
  await page.getByLabel('Tìm tin, thông báo').fill('duong lang be tong');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Tìm' }).click()]);
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Đường làng được đổ bê tông' }).click()]);
  assert.equal(await page.locator('.news-body strong').innerText(), 'đường');
  await page.goto(`${srv.url}/tin-tuc`);
  await page.getByLabel('Ngày đăng').fill(today());
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Xem tin ngày này' }).click()]);
  assert.equal(await page.locator('.news-item').count(), 4);
  await ctx.close();
});
