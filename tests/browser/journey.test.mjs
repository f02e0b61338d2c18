// journey.test.mjs — the whole online journey of issue #13 in a real
// browser: a citizen signs up with a one-time code (read from the message
// the file gateway wrote), submits an online procedure with a scan, the
// clerk accepts it and hands it to the officer, the officer submits it to
// the leader, the leader approves, the officer attaches the signed result
// and marks it ready; the citizen reads the messages sent to him and
// downloads the electronic result from "Hồ sơ của tôi" (the very bytes
// the officer attached); the clerk records the return and the citizen
// rates it at /tra-cuu with code and phone.  axe-core on every page
// visited; the citizen's pages also at 360 px without overflow.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { staffTeam, checkA11y, checkNoOverflow, actOn, markOnline, codeFor } from './lib.mjs';

const PW = 'mat-khau-thu-123';
const PROC = '2.000635';   // Cấp bản sao Trích lục hộ tịch: one paper
const PHONE = '0912000333';
const SCAN = Buffer.from('%PDF-1.4\n% to khai cua cong dan\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const RESULT = Buffer.from('%PDF-1.4\n% trich luc da ky so\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
let team;

before(async () => {
  team = await staffTeam([['lan.clerk', 'clerk', 'Nguyễn Thị Lan'], ['tuan.officer', 'officer', 'Lê Văn Tuấn'],
    ['hai.leader', 'leader', 'Trần Văn Hải']], PW);
  markOnline(team.srv.dir, PROC);
});

after(async () => { await team?.close(); });

// A citizen's page: axe, then no overflow at 360 px, back to 1280.
async function citizenCheck(page, label) {
  await checkA11y(page, label);
  await page.setViewportSize({ width: 360, height: 800 });
  await checkNoOverflow(page, `${label} @360`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

// A staff action through lib's actOn, with axe on the page it lands on.
async function staffAct(page, code, label, fill) {
  await actOn(page, team.srv.url, code, label, fill);
  await checkA11y(page, `${label} (${code})`);
}

test('sign up, submit online, clerk → officer → leader, electronic result, messages, download, rating', async () => {
  const url = team.srv.url;
  const { 'lan.clerk': clerk, 'tuan.officer': officer, 'hai.leader': leader } = team.pages;
  const ctx = await team.browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const p = await ctx.newPage();
  p.on('dialog', () => assert.fail('a script ran'));

  // sign up with a one-time code, on the way to the online form
  await p.goto(`${url}/cong-dan/nop/${PROC}`);
  assert.match(p.url(), /\/cong-dan\/dang-nhap\?next=/);
  await citizenCheck(p, 'đăng nhập công dân');
  await p.getByLabel('Số điện thoại hoặc thư điện tử').fill(PHONE);
  await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Gửi mã xác nhận' }).click()]);
  await citizenCheck(p, 'nhập mã xác nhận');
  await p.getByLabel('Mã xác nhận (6 chữ số)').fill(await codeFor(team.srv.dir, PHONE));
  await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Đăng nhập' }).click()]);

  // the guided form, with a scan of the checklist's paper
  assert.ok(p.url().endsWith(`/cong-dan/nop/${PROC}`), p.url());
  await citizenCheck(p, 'nộp trực tuyến');
  await p.getByLabel('Họ và tên').fill('Vũ Thị Hành Trình');
  await p.getByLabel('Địa chỉ').fill('Thôn Đông, xã Phong Hải');
  await p.locator('input[type=file]').first().setInputFiles({ name: 'to-khai.pdf', mimeType: 'application/pdf', buffer: SCAN });
  await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Nộp hồ sơ' }).click()]);
  const code = (await p.locator('h1').innerText()).replace('Hồ sơ ', '');
  assert.equal(await p.locator('#tinh-trang').innerText(), 'Đã nộp, chờ tiếp nhận');
  assert.equal(await p.locator('#ket-qua-dien-tu').count(), 0, 'no result before one exists');
  await citizenCheck(p, 'hồ sơ vừa nộp');

  // the clerk accepts and hands it to the officer
  await staffAct(clerk, code, 'Tiếp nhận hồ sơ');
  await staffAct(clerk, code, 'Chuyển xử lý', (f) => f.getByLabel('Chuyển cho cán bộ').selectOption({ label: 'Lê Văn Tuấn' }));
  // the officer submits to the leader, who approves
  await staffAct(officer, code, 'Trình lãnh đạo phê duyệt', (f) => f.getByLabel('Lãnh đạo ký duyệt').selectOption({ label: 'Trần Văn Hải' }));
  await staffAct(leader, code, 'Phê duyệt');
  // the officer attaches the signed result and marks it ready
  await officer.goto(`${url}/mot-cua/ho-so/${code}`);
  await officer.getByLabel('Kết quả đã ký').setInputFiles({ name: 'ket-qua.pdf', mimeType: 'application/pdf', buffer: RESULT });
  await Promise.all([officer.waitForNavigation(), officer.getByRole('button', { name: 'Đính kèm kết quả' }).click()]);
  assert.match(await officer.locator('main').innerText(), /Kết quả điện tử: có/);
  await checkA11y(officer, 'kết quả đã đính kèm');
  await staffAct(officer, code, 'Đã có kết quả');

  // "Hồ sơ của tôi": the messages sent to him, and the result to download
  await p.goto(`${url}/cong-dan/ho-so`);
  assert.ok(await p.getByRole('link', { name: code }).count() >= 1);
  await citizenCheck(p, 'hồ sơ của tôi');
  await p.goto(`${url}/cong-dan/ho-so/${code}`);
  const msgs = await p.locator('#tin-nhan').innerText();
  assert.match(msgs, new RegExp(`Tin nhắn SMS đến ${PHONE}`));
  assert.match(msgs, new RegExp(`đã tiếp nhận hồ sơ ${code.replace(/\./g, '\\.')}`));
  assert.match(msgs, /đã có kết quả/);
  assert.doesNotMatch(msgs, /Mã đăng nhập/, 'no one-time code among them');
  await citizenCheck(p, 'hồ sơ có kết quả điện tử');
  const [dl] = await Promise.all([p.waitForEvent('download'), p.getByRole('link', { name: 'Tải kết quả điện tử' }).click()]);
  assert.deepEqual(readFileSync(await dl.path()), RESULT, 'the file the officer attached');

  // the clerk records the return; the citizen rates it at /tra-cuu
  await staffAct(clerk, code, 'Trả kết quả', async (f) => {
    await f.getByLabel('Người nhận kết quả').fill('Vũ Thị Hành Trình');
    await f.getByLabel('Số giấy tờ tùy thân đã xuất trình').fill('001185054321');
  });
  await p.goto(`${url}/tra-cuu?ma=${code}`);
  await p.getByLabel('Số điện thoại hoặc số định danh cá nhân (12 số)').fill(PHONE);
  await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Tra cứu' }).click()]);
  await citizenCheck(p, 'tra cứu để đánh giá');
  await p.getByLabel('Hài lòng', { exact: true }).check();
  await p.getByLabel('Ý kiến góp ý (không bắt buộc)').fill('Nộp ở nhà, nhận kết quả qua mạng, rất tiện.');
  await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Gửi đánh giá' }).click()]);
  assert.match(await p.getByRole('status').first().innerText(), /Cảm ơn ông\/bà đã đánh giá/);
  await citizenCheck(p, 'đã đánh giá');
  // his page now says returned, with the "returned" message too
  await p.goto(`${url}/cong-dan/ho-so/${code}`);
  assert.equal(await p.locator('#tinh-trang').innerText(), 'Đã trả kết quả');
  assert.match(await p.locator('#tin-nhan').innerText(), /đã trả kết quả hồ sơ/);
  await citizenCheck(p, 'hồ sơ đã trả');
  await ctx.close();
});
