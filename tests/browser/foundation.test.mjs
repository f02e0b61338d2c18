// foundation.test.mjs — sign-in, throttling message, the admin account
// pages, sign-out: as a person uses them, each page checked by axe-core
// and at 360 and 1280 pixels.
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
  const code = await srv?.stop();
  assert.equal(code, 0, 'server exits 0 on SIGTERM');
});

test('login page is accessible and fits a phone', async () => {
  const page = await browser.newPage();
  const res = await page.goto(`${srv.url}/dang-nhap`);
  assert.equal(res.status(), 200);
  assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
  await checkA11y(page, 'đăng nhập');
  await shoot(page, 'dang-nhap');
  await page.close();
});

test('wrong password: Vietnamese error, no session', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await loginAs(page, srv.url, 'admin', 'mat-khau-sai-123');
  assert.match(await page.getByRole('alert').innerText(), /Tên đăng nhập hoặc mật khẩu không đúng/);
  assert.equal(await page.getByLabel('Tên đăng nhập').inputValue(), 'admin');
  await checkA11y(page, 'đăng nhập lỗi');
  const cookies = await ctx.cookies();
  assert.ok(!cookies.some((c) => c.name === 'motcua_session'), 'no session cookie');
  const res = await page.goto(`${srv.url}/quan-tri/tai-khoan`);
  assert.match(page.url(), /\/dang-nhap\?next=/);
  assert.equal(res.status(), 200);
  await ctx.close();
});

test('admin signs in with the printed password and manages accounts', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await loginAs(page, srv.url, 'admin', srv.adminPassword);
  assert.equal(new URL(page.url()).pathname, '/');
  const cookie = (await ctx.cookies()).find((c) => c.name === 'motcua_session');
  assert.ok(cookie && cookie.httpOnly && cookie.sameSite === 'Lax');
  await checkA11y(page, 'trang chủ (quản trị)');
  await shoot(page, 'trang-chu-admin');

  await page.getByRole('link', { name: 'Quản lý tài khoản' }).first().click();
  assert.equal(new URL(page.url()).pathname, '/quan-tri/tai-khoan');
  await checkA11y(page, 'danh sách tài khoản');
  await shoot(page, 'tai-khoan');

  await page.getByRole('link', { name: 'Thêm tài khoản' }).click();
  await checkA11y(page, 'thêm tài khoản');
  await shoot(page, 'tai-khoan-moi');
  await page.getByLabel('Tên đăng nhập').fill('tuan.tp');
  await page.getByLabel('Họ và tên').fill('Lê Anh Tuấn');
  await page.getByLabel('Vai trò').selectOption('officer');
  await page.getByLabel('Bộ phận').fill('Tư pháp – Hộ tịch');
  await page.getByLabel('Mật khẩu', { exact: true }).fill('ngan');
  await page.getByLabel('Nhập lại mật khẩu').fill('ngan');
  // The browser's own minlength check would stop the form; the server's
  // answer is what we test, so submit without it.
  await page.locator('form[action="/quan-tri/tai-khoan/moi"]').evaluate((f) => { f.noValidate = true; });
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: /Tạo tài khoản|Lưu/ }).click()]);
  assert.match(await page.getByRole('alert').innerText(), /ít nhất 10 ký tự/);
  await checkA11y(page, 'thêm tài khoản (lỗi)');
  await page.getByLabel('Mật khẩu', { exact: true }).fill('mat-khau-tuan-2026');
  await page.getByLabel('Nhập lại mật khẩu').fill('mat-khau-tuan-2026');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: /Tạo tài khoản|Lưu/ }).click()]);
  assert.equal(new URL(page.url()).pathname, '/quan-tri/tai-khoan');
  assert.match(await page.locator('main').innerText(), /Lê Anh Tuấn/);

  await page.getByRole('link', { name: 'tuan.tp' }).click();
  await checkA11y(page, 'chi tiết tài khoản');
  await shoot(page, 'tai-khoan-chi-tiet');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Khóa tài khoản' }).click()]);
  assert.match(await page.locator('main').innerText(), /Đã khóa tài khoản/);
  await checkA11y(page, 'tài khoản đã khóa');

  // the disabled officer cannot sign in
  const other = await browser.newContext();
  const p2 = await other.newPage();
  await loginAs(p2, srv.url, 'tuan.tp', 'mat-khau-tuan-2026');
  assert.match(await p2.getByRole('alert').innerText(), /khóa/);
  await other.close();

  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Đăng xuất' }).click()]);
  assert.equal(new URL(page.url()).pathname, '/dang-nhap');
  const res = await page.goto(`${srv.url}/quan-tri/tai-khoan`);
  assert.match(page.url(), /dang-nhap/);
  assert.equal(res.status(), 200);
  await ctx.close();
});

test('error pages are Vietnamese and accessible', async () => {
  const page = await browser.newPage();
  const res = await page.goto(`${srv.url}/khong-co-trang-nay`);
  assert.equal(res.status(), 404);
  assert.match(await page.locator('main').innerText(), /Không tìm thấy/);
  await checkA11y(page, 'trang lỗi 404');
  await shoot(page, 'loi-404');
  await page.close();
});

test('works without JavaScript', async () => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await loginAs(page, srv.url, 'admin', srv.adminPassword);
  assert.equal(new URL(page.url()).pathname, '/');
  await page.goto(`${srv.url}/quan-tri/tai-khoan`);
  assert.match(await page.locator('h1').innerText(), /tài khoản/i);
  await ctx.close();
});
