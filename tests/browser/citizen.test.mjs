// citizen.test.mjs — a citizen online (issue #13 items 1, 2): signs up
// with a one-time code (read from the message the file gateway wrote in
// DATA/messages), submits a procedure the catalogue marks online with a
// scan per checklist item (the fee shown in figures and words), finds it
// in "Hồ sơ của tôi" as submitted, the clerk finds it in the reception
// queue and accepts it, and the citizen sees it received.  Every page is
// checked with axe-core and for overflow at 360 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { startServer, launch, checkA11y, shoot, loginAs, addStaff, actOn, markOnline, codeFor, SHOTS } from './lib.mjs';

const PW = 'mat-khau-thu-123';
const PROC = '2.000635';   // Cấp bản sao Trích lục hộ tịch: one paper, 8.000 đồng
let srv, browser;

async function check(page, name) {
  await checkA11y(page, name);
  await shoot(page, name);
  await page.setViewportSize({ width: 1280, height: 900 });
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  srv = await startServer();
  addStaff(srv.dir, [['lan.clerk', 'clerk', 'Trần Thị Tiếp Nhận']], PW);
  markOnline(srv.dir, PROC);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  assert.equal(await srv?.stop(), 0);
});

test('sign up with a code, submit with a scan, the clerk accepts, the citizen sees it received', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const p = await ctx.newPage();
  p.on('dialog', () => assert.fail('a script ran'));

  // the online procedures are listed for everyone
  await p.goto(`${srv.url}/cong-dan/nop`);
  await check(p, 'citizen-procedures');
  await Promise.all([p.waitForNavigation(), p.getByRole('link', { name: /Cấp bản sao Trích lục hộ tịch/ }).click()]);

  // the procedure's page offers the online form too
  const back = p.url();
  await p.goto(`${srv.url}/thu-tuc/${PROC}`);
  assert.equal(await p.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' }).getAttribute('href'), `/cong-dan/nop/${PROC}`);
  await p.goto(back);
  // not signed in: the form asks for a code first
  assert.match(p.url(), /\/cong-dan\/dang-nhap\?next=/);
  await check(p, 'citizen-signin');
  await p.getByLabel('Số điện thoại hoặc thư điện tử').fill('0912 000 222');
  await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Gửi mã xác nhận' }).click()]);
  assert.match(await p.getByRole('status').innerText(), /0912000222/);
  await check(p, 'citizen-code');
  await p.getByLabel('Mã xác nhận (6 chữ số)').fill(await codeFor(srv.dir, '0912000222'));
  await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Đăng nhập' }).click()]);

  // back on the guided form: checklist, upload per item, fee in words
  assert.ok(p.url().endsWith(`/cong-dan/nop/${PROC}`), p.url());
  assert.match(await p.locator('#le-phi').innerText(), /8\.000 đồng.*Tám nghìn đồng/);
  await check(p, 'citizen-submit');
  await p.getByLabel('Họ và tên').fill('Đặng Thị Trực Tuyến');
  assert.equal(await p.getByLabel('Số điện thoại').inputValue(), '0912000222');
  await p.getByLabel('Địa chỉ').fill('Thôn Tây, xã Phong Hải');
  const item = p.locator('input[type=file]').first();
  // a page of HTML named .pdf is refused by its bytes
  await item.setInputFiles({ name: 'to-khai.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html><body>x</body></html>') });
  await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Nộp hồ sơ' }).click()]);
  assert.match(await p.locator('.alert-error').innerText(), /PDF, JPEG hoặc PNG/);
  await checkA11y(p, 'citizen-submit-error');
  await p.getByLabel('Họ và tên').fill('Đặng Thị Trực Tuyến');
  await p.locator('input[type=file]').first().setInputFiles({ name: 'to-khai.pdf', mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n') });
  await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Nộp hồ sơ' }).click()]);
  const code = (await p.locator('h1').innerText()).replace('Hồ sơ ', '');
  assert.equal(await p.locator('#tinh-trang').innerText(), 'Đã nộp, chờ tiếp nhận');
  assert.ok(await p.getByRole('link', { name: /\.pdf$/ }).count() === 1);
  await check(p, 'citizen-dossier');

  // the clerk finds it in reception (channel online) and accepts it
  const cctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const clerk = await cctx.newPage();
  await loginAs(clerk, srv.url, 'lan.clerk', PW);
  await clerk.goto(`${srv.url}/mot-cua`);
  assert.ok(await clerk.getByRole('link', { name: code }).count() >= 1, 'not in the reception queue');
  await clerk.goto(`${srv.url}/mot-cua/ho-so/${code}`);
  assert.match(await clerk.locator('main').innerText(), /Trực tuyến/);
  await actOn(clerk, srv.url, code, 'Tiếp nhận hồ sơ');

  // "Hồ sơ của tôi": received, with its due date
  await p.goto(`${srv.url}/cong-dan/ho-so`);
  assert.equal(await p.locator('tr', { hasText: code }).locator('.trang-thai').innerText(), 'Đã tiếp nhận');
  await check(p, 'citizen-dossiers');
  await p.goto(`${srv.url}/cong-dan/ho-so/${code}`);
  assert.equal(await p.locator('#tinh-trang').innerText(), 'Đã tiếp nhận');
  assert.match(await p.locator('dl').innerText(), /Ngày hẹn trả/);
  await check(p, 'citizen-dossier-received');
  await cctx.close();
  await ctx.close();
});
