// digital.test.mjs — digitised dossiers, the electronic result and fees in
// a real browser (issue #13 items 3, 4): the clerk receives a dossier with
// its fee paid in cash and a receipt number, scans each checklist paper;
// the same person comes back, the fee is recorded later as a bank
// transfer, and one paper is reused from the first dossier instead of
// scanned again; the officer attaches the signed result; the citizen, on
// a 360-pixel phone, downloads it from /tra-cuu with code and phone; then
// rates it on the desk's tablet, and the leader reads the comment.
// Every page is checked with axe-core and for overflow at 360 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { staffTeam, checkA11y, checkNoOverflow, actOn, loginAs } from './lib.mjs';

const PW = 'mat-khau-thu-123';
const PDF = Buffer.from('%PDF-1.4\n% ket qua da ky\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
// a distinct small PNG per scan (the store is content-addressed)
const png = (n) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
  Buffer.from('IHDR'), Buffer.from([n])]);
let team, clerk, officer, leader;

before(async () => {
  team = await staffTeam([['lan.clerk', 'clerk', 'Nguyễn Thị Lan'], ['tuan.officer', 'officer', 'Lê Văn Tuấn'],
    ['hai.leader', 'leader', 'Trần Văn Hải']], PW);
  ({ 'lan.clerk': clerk, 'tuan.officer': officer, 'hai.leader': leader } = team.pages);
});

after(async () => { await team?.close(); });

// Receives a birth registration with an 8,000 đồng fee settled as `pay`
// (the select's label, or null to leave it); returns the code.
async function intake(pay, receipt) {
  const p = clerk;
  await p.goto(`${team.srv.url}/mot-cua/tiep-nhan`);
  await p.getByLabel('Thủ tục hành chính').selectOption('1.001193');
  await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Chọn thủ tục' }).click()]);
  await p.getByLabel('Họ và tên').first().fill('Lò Thị Số');
  await p.getByLabel('Số định danh cá nhân (12 số)').fill('001185012345');
  await p.getByLabel('Số điện thoại').first().fill('0912 345 678');
  await p.getByLabel('Địa chỉ').fill('Bản Mường, xã Phong Hải');
  await p.getByLabel('Phí, lệ phí (đồng)').fill('8000');
  if (pay) await p.getByLabel('Nộp phí, lệ phí').selectOption({ label: pay });
  if (receipt) await p.getByLabel('Số biên lai').fill(receipt);
  await checkA11y(p, 'tiếp nhận có lệ phí');
  await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Tiếp nhận và hẹn ngày trả' }).click()]);
  const m = (await p.locator('h1').innerText()).match(/Hồ sơ (\S+)/);
  assert.ok(m, 'no dossier page after intake');
  return m[1];
}

// Saves the scan form of checklist line `no` on the open dossier page.
async function saveLine(page, no, fill) {
  const item = page.locator(`#thanh-phan-${no}`);
  await fill(item);
  await Promise.all([page.waitForNavigation(), item.getByRole('button', { name: `Lưu bản số hóa giấy tờ số ${no}` }).click()]);
  assert.equal(await page.locator('.alert-error').count(), 0,
    await page.locator('.alert-error').count() ? await page.locator('.alert-error').innerText() : '');
}

let first, second;

test('the clerk records the fee paid in cash and scans every checklist paper', async () => {
  first = await intake('Đã nộp tiền mặt tại Bộ phận Một cửa', 'BL-0042');
  const p = clerk;
  assert.match(await p.locator('#tinh-trang-le-phi').innerText(), /Đã nộp/);
  assert.match(await p.locator('main').innerText(), /Tiền mặt tại Bộ phận Một cửa, biên lai số BL-0042/);
  const lines = await p.locator('ul.scan-list > li').count();
  assert.ok(lines >= 1, 'the checklist offers a scan per paper');
  for (let no = 1; no <= lines; no++)
    await saveLine(p, no, (item) => item.getByLabel(`Bản quét giấy tờ số ${no}`).setInputFiles(
      { name: `giay-to-${no}.png`, mimeType: 'image/png', buffer: png(no) }));
  assert.match(await p.locator('main').innerText(), new RegExp(`Đã số hóa ${lines}/${lines} thành phần`));
  assert.equal(await p.locator('ul.scan-list strong.warn').count(), 0, 'no paper left unscanned');
  await checkA11y(p, 'hồ sơ đã số hóa');
  await p.goto(`${team.srv.url}/mot-cua/ho-so/${first}/in/01`);
  assert.match(await p.locator('main').innerText(), /đã nộp \(Tiền mặt tại Bộ phận Một cửa, biên lai số BL-0042\)/);
});

test('the same person comes back: the fee is recorded later, a scan is reused, not rescanned', async () => {
  second = await intake(null, null);
  const p = clerk;
  assert.match(await p.locator('#tinh-trang-le-phi').innerText(), /Chưa nộp/);
  // an exempt dossier with an amount is refused, in Vietnamese, and nothing changes
  const pay = p.locator('form[aria-label="Ghi nhận phí, lệ phí"]');
  await pay.getByLabel('Tình trạng').selectOption('exempt');
  await Promise.all([p.waitForNavigation(), pay.getByRole('button').click()]);
  assert.match(await p.locator('.alert-error').innerText(), /miễn thì số tiền phải bằng 0/);
  await actOn(p, team.srv.url, second, 'Ghi nhận phí, lệ phí', async (f) => {
    await f.getByLabel('Tình trạng').selectOption({ label: 'Đã chuyển khoản' });
    await f.getByLabel('Số biên lai').fill('UNC 77');
  });
  assert.match(await p.locator('main').innerText(), /Đã nộp — Chuyển khoản, biên lai số UNC 77/);
  assert.equal(await p.locator('form[aria-label="Ghi nhận phí, lệ phí"]').count(), 0, 'recorded once');
  // line 1 reused from the first dossier
  const opt = p.locator('#reuse-1 option', { hasText: first });
  assert.ok(await opt.count() >= 1, 'the first dossier\'s scans are offered');
  const value = await opt.first().getAttribute('value');
  await saveLine(p, 1, (item) => item.getByLabel('Hoặc dùng lại bản đã số hóa của cùng người nộp').selectOption(value));
  assert.match(await p.locator('#thanh-phan-1').innerText(), new RegExp(`dùng lại từ hồ sơ ${first.replace(/\./g, '\\.')}`));
  assert.match(await p.locator('main').innerText(), /trong đó 1 dùng lại từ hồ sơ trước/);
  await checkA11y(p, 'hồ sơ dùng lại bản quét');
  await p.setViewportSize({ width: 360, height: 800 });
  await checkNoOverflow(p, 'hồ sơ số hóa @360');
  await p.setViewportSize({ width: 1280, height: 900 });
});

test('the officer attaches the signed result; the citizen downloads it at /tra-cuu on a phone', async () => {
  const url = team.srv.url;
  await actOn(clerk, url, second, 'Chuyển xử lý', (f) => f.getByLabel('Chuyển cho cán bộ').selectOption({ label: 'Lê Văn Tuấn' }));
  await officer.goto(`${url}/mot-cua/ho-so/${second}`);
  await officer.getByLabel('Kết quả đã ký').setInputFiles({ name: 'ket-qua.pdf', mimeType: 'application/pdf', buffer: PDF });
  await Promise.all([officer.waitForNavigation(), officer.getByRole('button', { name: 'Đính kèm kết quả' }).click()]);
  assert.match(await officer.locator('main').innerText(), /Kết quả điện tử: có/);
  await checkA11y(officer, 'hồ sơ có kết quả điện tử');
  await actOn(officer, url, second, 'Trình lãnh đạo phê duyệt', (f) => f.getByLabel('Lãnh đạo ký duyệt').selectOption({ label: 'Trần Văn Hải' }));
  await actOn(leader, url, second, 'Phê duyệt');
  await actOn(officer, url, second, 'Đã có kết quả');

  const ctx = await team.browser.newContext({ viewport: { width: 360, height: 800 }, acceptDownloads: true });
  const phone = await ctx.newPage();
  await phone.goto(`${url}/tra-cuu?ma=${second}`);
  await phone.getByLabel('Số điện thoại hoặc số định danh cá nhân (12 số)').fill('0912345678');
  await Promise.all([phone.waitForNavigation(), phone.getByRole('button', { name: 'Tra cứu' }).click()]);
  const button = phone.getByRole('button', { name: 'Tải kết quả điện tử' });
  assert.equal(await button.count(), 1);
  await checkA11y(phone, 'tra cứu có kết quả điện tử');
  await checkNoOverflow(phone, 'tra cứu @360');
  const [dl] = await Promise.all([phone.waitForEvent('download'), button.click()]);
  const got = readFileSync(await dl.path());
  assert.deepEqual(got, PDF, 'the file the officer attached');
  // the first dossier is not ready: no download offered
  await phone.goto(`${url}/tra-cuu?ma=${first}`);
  await phone.getByLabel('Số điện thoại hoặc số định danh cá nhân (12 số)').fill('0912345678');
  await Promise.all([phone.waitForNavigation(), phone.getByRole('button', { name: 'Tra cứu' }).click()]);
  assert.equal(await phone.getByRole('button', { name: 'Tải kết quả điện tử' }).count(), 0);
  await ctx.close();
});

test('the rating kiosk: the clerk invites, the tablet shows only that dossier, then resets; the leader reads the comment', async () => {
  const url = team.srv.url;
  await actOn(clerk, url, second, 'Trả kết quả', async (f) => {
    await f.getByLabel('Người nhận kết quả').fill('Lò Thị Số');
    await f.getByLabel('Số giấy tờ tùy thân đã xuất trình').fill('001185012345');
  });
  // the tablet at the desk, signed in as the clerk, waits
  const ctx = await team.browser.newContext({ viewport: { width: 800, height: 1280 } });
  const tablet = await ctx.newPage();
  await loginAs(tablet, url, 'lan.clerk', PW);
  await tablet.goto(`${url}/mot-cua/quay-danh-gia`);
  assert.equal(await tablet.locator('a, nav').count(), 0, 'no way out of the kiosk');
  await checkA11y(tablet, 'máy đánh giá: chờ');
  await actOn(clerk, url, second, 'Mời đánh giá tại quầy');
  await Promise.all([tablet.waitForNavigation(), tablet.getByRole('button', { name: 'Bắt đầu đánh giá' }).click()]);
  assert.match(await tablet.locator('main').innerText(), new RegExp(second.replace(/\./g, '\\.')));
  assert.equal(await tablet.locator('a, nav').count(), 0, 'no way out of the kiosk');
  await checkA11y(tablet, 'máy đánh giá: hồ sơ');
  await tablet.getByLabel('Rất hài lòng').check();
  await tablet.getByLabel('Ý kiến góp ý').fill('Cán bộ hướng dẫn tận tình, có bản điện tử rất tiện');
  await Promise.all([tablet.waitForNavigation(), tablet.getByRole('button', { name: 'Gửi đánh giá' }).click()]);
  assert.match(await tablet.locator('main').innerText(), /Cảm ơn ông\/bà đã đánh giá/);
  assert.equal(await tablet.getByRole('button', { name: 'Gửi đánh giá' }).count(), 0, 'reset after the rating');
  await tablet.setViewportSize({ width: 360, height: 800 });
  await checkNoOverflow(tablet, 'máy đánh giá @360');
  await ctx.close();
  await leader.goto(`${url}/mot-cua/y-kien-danh-gia`);
  const text = await leader.locator('main').innerText();
  assert.match(text, /Cán bộ hướng dẫn tận tình, có bản điện tử rất tiện/);
  assert.match(text, /Rất hài lòng/);
  await checkA11y(leader, 'ý kiến đánh giá');
});
