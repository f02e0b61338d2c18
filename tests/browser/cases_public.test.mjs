// cases_public.test.mjs — the citizen's side of feedback, complaints and
// denunciations (issue #14 items 2, 3, 6): on a phone (360 px) a visitor
// sends feedback without a name, with a photo and the category's extra
// question, gets the receipt with the code (the photo after the code
// sign-in: an anonymous body is capped at 16 KB; fully anonymous feedback
// is text only); follows it with code + phone
// (a wrong phone gets the same answer as a wrong code); an officer
// answers and publishes through the API, and the answer appears on
// /phan-anh-da-tra-loi without the sender; a complaint online asks for the
// one-time code sign-in first, then gives the legal date of acceptance
// with its article, and the case is in "Đơn thư của tôi"; the statistics
// count both.  Every page is checked with axe-core and for overflow.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launch, checkA11y, shoot, addStaff, codeFor, SHOTS } from './lib.mjs';

const PW = 'mat-khau-thu-123';
let srv, browser;

// a 1×1 PNG
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
  '1f15c4890000000d49444154789c63f8ffff3f0005fe02fea7358184000000' + '0049454e44ae426082', 'hex');

async function check(page, name) {
  await checkA11y(page, name);
  await shoot(page, name);
  await page.setViewportSize({ width: 360, height: 800 });
}

async function api(token, method, path, body) {
  const r = await fetch(`${srv.url}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const j = await r.json();
  assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${JSON.stringify(j)}`);
  return j;
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  srv = await startServer();
  addStaff(srv.dir, [['pa.officer', 'officer', 'Lê Văn Xử Lý'], ['pa.clerk', 'clerk', 'Trần Thị Tiếp']], PW);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  assert.equal(await srv?.stop(), 0);
});

test('feedback at 360 px with a photo, followed by code and phone, answered and published', async () => {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 800 } });
  const p = await ctx.newPage();
  p.on('dialog', () => assert.fail('a script ran'));

  // from the home page to the kinds, each explained
  await p.goto(`${srv.url}/`);
  await Promise.all([p.waitForNavigation(), p.getByRole('link', { name: 'Gửi đơn trực tuyến' }).click()]);
  assert.equal(new URL(p.url()).pathname, '/gui-don');
  await check(p, 'cases-kinds');
  assert.match(await p.locator('main').innerText(), /Không bắt buộc ghi tên/);
  await Promise.all([p.waitForNavigation(), p.getByRole('link', { name: 'Phản ánh, kiến nghị', exact: true }).click()]);

  // a visitor not signed in sends text only (the server's cap for
  // anonymous bodies); the photo needs the code sign-in, not a name
  assert.equal(await p.locator('input[type=file]').count(), 0);
  await check(p, 'cases-form-visitor');
  await Promise.all([p.waitForNavigation(), p.getByRole('link', { name: /Đăng nhập bằng mã xác thực/ }).click()]);
  await p.getByLabel('Số điện thoại hoặc thư điện tử').fill('0915 333 444');
  await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Gửi mã xác nhận' }).click()]);
  await p.getByLabel('Mã xác nhận (6 chữ số)').fill(await codeFor(srv.dir, '0915333444'));
  await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Đăng nhập' }).click()]);
  assert.equal(new URL(p.url()).pathname, '/gui-don/phan-anh');

  // the category's questions come with the category (no script)
  await p.getByLabel('Lĩnh vực', { exact: true }).selectOption('giao-thong');
  await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: /Chọn lĩnh vực/ }).click()]);
  await check(p, 'cases-form-feedback');
  await p.getByLabel(/Mức độ nguy hiểm/).selectOption('nguy-hiem');
  await p.getByLabel('Tiêu đề (tóm tắt việc cần phản ánh)').fill('Ổ gà lớn trên đường liên thôn');
  await p.getByLabel('Nội dung').fill('Ổ gà sâu khoảng 30 cm, xe máy đã ngã hai lần.');
  await p.getByLabel(/Nơi xảy ra sự việc/).fill('Đường liên thôn Đông – Tây, gần cầu Máng');
  await p.getByLabel(/Số điện thoại \(để theo dõi đơn/).fill('0915 333 444');
  const photo = join(srv.dir, 'o-ga.png');
  writeFileSync(photo, PNG);
  await p.getByLabel(/Tệp đính kèm/).setInputFiles(photo);
  await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Gửi đơn' }).click()]);
  await check(p, 'cases-receipt-feedback');
  const code = (await p.locator('#ma-don').innerText()).trim();
  assert.match(code, /^PA/);
  assert.match(await p.locator('#han-tra-loi').innerText(), /hết ngày \d\d\/\d\d\/\d{4}/);

  // follow it: a wrong phone and a wrong code get the same words
  await Promise.all([p.waitForNavigation(), p.getByRole('link', { name: 'Theo dõi đơn' }).first().click()]);
  assert.equal(await p.getByLabel('Mã đơn').inputValue(), code);
  await p.getByLabel('Số điện thoại người gửi').fill('0915 333 445');
  await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Xem tình trạng đơn' }).click()]);
  const wrongPhone = await p.locator('#khong-thay').innerText();
  await p.getByLabel('Mã đơn').fill('PA-KHONG-CO');
  await p.getByLabel('Số điện thoại người gửi').fill('0915 333 444');
  await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Xem tình trạng đơn' }).click()]);
  assert.equal(await p.locator('#khong-thay').innerText(), wrongPhone);
  await p.getByLabel('Mã đơn').fill(code);
  await p.getByLabel('Số điện thoại người gửi').fill('0915333444');
  await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Xem tình trạng đơn' }).click()]);
  await check(p, 'cases-lookup');
  assert.ok((await p.locator('#tinh-trang').innerText()).length > 3);
  assert.equal(await p.locator('#tra-loi').count(), 0);

  // the officer takes it, answers and publishes (the staff step, by the API)
  const token = (await api(null, 'POST', '/api/v1/session', { username: 'pa.officer', password: PW })).token;
  const clerk = (await api(null, 'POST', '/api/v1/session', { username: 'pa.clerk', password: PW })).token;
  const me = await api(token, 'GET', '/api/v1/me');
  await api(clerk, 'POST', `/api/v1/cases/${code}/actions`, { action: 'assign', handler_id: me.id });
  await api(token, 'POST', `/api/v1/cases/${code}/actions`, { action: 'accept' });
  await api(token, 'POST', `/api/v1/cases/${code}/actions`,
    { action: 'decide', decision_text: 'Đã vá ổ gà ngày hôm qua.' });
  const published = await api(token, 'POST', `/api/v1/cases/${code}/actions`,
    { action: 'publish', public_answer: 'UBND xã đã cho vá ổ gà trên đường liên thôn Đông – Tây.' });
  assert.equal(published.sender, null);

  // the answer on the portal, no phone there
  await p.goto(`${srv.url}/phan-anh-da-tra-loi`);
  await check(p, 'cases-answers');
  await Promise.all([p.waitForNavigation(), p.getByRole('link', { name: 'Ổ gà lớn trên đường liên thôn' }).click()]);
  await check(p, 'cases-answer');
  assert.match(await p.locator('#tra-loi').innerText(), /đã cho vá ổ gà/);
  assert.doesNotMatch(await p.content(), /333 ?444/);

  // and in the sender's lookup
  await p.goto(`${srv.url}/tra-cuu-don`);
  await p.getByLabel('Mã đơn').fill(code);
  await p.getByLabel('Số điện thoại người gửi').fill('0915 333 444');
  await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Xem tình trạng đơn' }).click()]);
  assert.match(await p.locator('.answer-text').first().innerText(), /đã cho vá ổ gà/);
  await ctx.close();

  // fully anonymous, not signed in: text only, a receipt that says it
  // cannot be followed
  const anon = await (await browser.newContext({ viewport: { width: 360, height: 800 } })).newPage();
  await anon.goto(`${srv.url}/gui-don/gop-y`);
  await anon.getByLabel('Tiêu đề (tóm tắt việc cần phản ánh)').fill('Góp ý giờ làm việc thứ Bảy');
  await anon.getByLabel('Nội dung').fill('Đề nghị mở cửa Bộ phận Một cửa sáng thứ Bảy.');
  await anon.getByLabel(/Gửi ẩn danh/).check();
  await Promise.all([anon.waitForNavigation(), anon.getByRole('button', { name: 'Gửi đơn' }).click()]);
  await check(anon, 'cases-receipt-anonymous');
  assert.match(await anon.locator('#ma-don').innerText(), /^GY/);
  assert.match(await anon.locator('main').innerText(), /không tra cứu được/);
  await anon.context().close();
});

test('a complaint online needs the code sign-in, then gives the legal date of acceptance', async () => {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 800 } });
  const p = await ctx.newPage();
  await p.goto(`${srv.url}/gui-don/khieu-nai-1`);
  await check(p, 'cases-complaint-signin');
  assert.equal(await p.getByLabel('Nội dung').count(), 0);
  await Promise.all([p.waitForNavigation(), p.getByRole('link', { name: 'Đăng nhập bằng mã xác thực' }).click()]);
  await p.getByLabel('Số điện thoại hoặc thư điện tử').fill('0916 555 666');
  await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Gửi mã xác nhận' }).click()]);
  await p.getByLabel('Mã xác nhận (6 chữ số)').fill(await codeFor(srv.dir, '0916555666'));
  await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Đăng nhập' }).click()]);
  // back on the complaint's form, the proven phone is the sender's
  assert.equal(new URL(p.url()).pathname, '/gui-don/khieu-nai-1');
  assert.equal(await p.locator('#lien-he-da-xac-thuc').innerText(), '0916555666');
  await check(p, 'cases-form-complaint');
  await p.getByLabel('Tiêu đề (tóm tắt việc cần phản ánh)').fill('Khiếu nại quyết định xử phạt');
  await p.getByLabel(/Quyết định hành chính/).fill('Quyết định số 12/QĐ-XPHC của Chủ tịch UBND xã');
  await p.getByLabel('Nội dung').fill('Tôi không vi phạm như quyết định nêu.');
  await p.getByLabel('Họ và tên').fill('Đỗ Văn Khiếu');
  await p.getByLabel('Địa chỉ', { exact: true }).fill('Thôn Bắc, xã Thử');
  await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Gửi đơn' }).click()]);
  await check(p, 'cases-receipt-complaint');
  const due = await p.locator('#han-thu-ly').innerText();
  assert.match(due, /hết ngày \d\d\/\d\d\/\d{4}/);
  assert.match(due, /Luật Khiếu nại 2011, Điều \d+/);
  const code = (await p.locator('#ma-don').innerText()).trim();

  // his cases
  await p.goto(`${srv.url}/cong-dan/don-thu`);
  await check(p, 'cases-mine');
  await Promise.all([p.waitForNavigation(), p.getByRole('link', { name: code }).click()]);
  await check(p, 'cases-mine-one');
  assert.match(await p.locator('main').innerText(), /Khiếu nại quyết định xử phạt/);
  assert.doesNotMatch(await p.locator('main').innerText(), /Lê Văn Xử Lý|Trần Thị Tiếp/);

  // the statistics count the feedback and the complaint this year
  await p.goto(`${srv.url}/thong-ke-don`);
  await check(p, 'cases-stats');
  const text = await p.locator('main').innerText();
  assert.match(text, /Khiếu nại lần đầu/);
  assert.match(text, /Đường sá, cầu cống hư hỏng/);
  await ctx.close();
});
