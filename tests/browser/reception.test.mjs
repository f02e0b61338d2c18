// reception.test.mjs — citizen reception (issue #14 item 4) as people use
// it: the vice-chairman puts the chairman's weekly reception and one
// extra session on the schedule, and an anonymous visitor reads it on
// the portal in Vietnamese dates; the one-stop clerk records two visits
// (one a group) in the reception register, prints the month's register on
// A4 landscape and downloads it as CSV; a dialogue meeting is recorded and
// its minutes printed; the inspector reads but cannot write, and nobody
// signed out reads the register.  axe-core on every page; the pages fit a
// 360-pixel screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launch, checkA11y, shoot, loginAs, addUsers, SHOTS } from './lib.mjs';

const PW = 'mat-khau-thu-123';
let srv, browser;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  srv = await startServer();
  addUsers(srv.dir, [
    ['phochutich', 'leader', 'Trần Văn Hùng'],
    ['motcua', 'clerk', 'Nguyễn Thị Lan'],
    ['thanhtra', 'viewer', 'Lê Minh Tâm'],
  ], PW);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  assert.equal(await srv?.stop(), 0);
});

async function signedIn(username) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  await loginAs(page, srv.url, username, PW);
  assert.doesNotMatch(page.url(), /dang-nhap/, `${username} signed in`);
  return page;
}

async function submit(page, name) {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name }).click()]);
}

// The local (UTC+7) date in n days, as an <input type=date> wants it.
function dayIn(n) {
  return new Date(Date.now() + 7 * 3600 * 1000 + n * 86400 * 1000).toISOString().slice(0, 10);
}

function pdfInfo(file) {
  const pdf = readFileSync(file, 'latin1');
  return { pages: (pdf.match(/\/Type\s*\/Page[^s]/g) || []).length, boxes: pdf.match(/\/MediaBox\s*\[[^\]]*\]/g) || [] };
}

async function printed(page, name) {
  await page.emulateMedia({ media: 'print' });
  const text = await page.locator('main').innerText();
  await page.emulateMedia({ media: null });
  const file = join(SHOTS, `${name}.pdf`);
  await page.pdf({ path: file, format: 'A4', printBackground: false, preferCSSPageSize: true });
  return { text, ...pdfInfo(file) };
}

test('the leader puts receptions on the schedule and the portal shows them to anyone', async () => {
  const p = await signedIn('phochutich');
  await p.goto(`${srv.url}/tiep-cong-dan`);
  await checkA11y(p, 'reception home');
  await p.getByRole('link', { name: /Cập nhật lịch tiếp công dân/ }).click();
  await p.waitForURL(/\/tiep-cong-dan\/lich$/);
  await checkA11y(p, 'schedule');

  // a session that ends before it starts is refused, and nothing is written
  await p.getByLabel('Họ và tên').fill('Nguyễn Văn Hải');
  await p.getByLabel('Chức vụ (không bắt buộc)').fill('Chủ tịch UBND xã');
  await p.getByLabel('Thứ trong tuần').selectOption({ label: 'Thứ Năm' });
  await p.getByLabel('Từ giờ').fill('11:00');
  await p.getByLabel('Đến giờ').fill('07:30');
  await p.getByLabel('Địa điểm').fill('Phòng tiếp công dân, trụ sở UBND xã');
  await submit(p, 'Thêm vào lịch');
  assert.match(await p.locator('.alert-error').innerText(), /giờ kết thúc sau giờ bắt đầu/);
  assert.equal(await p.locator('table.list').count(), 0, 'nothing on the schedule after a refusal');
  await checkA11y(p, 'schedule with an error');

  await p.getByLabel('Từ giờ').fill('07:30');
  await p.getByLabel('Đến giờ').fill('11:00');
  await submit(p, 'Thêm vào lịch');
  assert.match(await p.locator('.flash').innerText(), /Đã lưu lịch tiếp công dân/);

  // an extra one-off session of the vice-chairman, in three days
  await p.getByLabel('Người tiếp là').selectOption({ label: 'Phó Chủ tịch UBND' });
  await p.getByLabel('Họ và tên').fill('Trần Văn Hùng');
  await p.getByLabel('Chức vụ (không bắt buộc)').fill('');
  await p.getByLabel('Một ngày cụ thể').check();
  await p.locator('#day').fill(dayIn(3));
  await p.getByLabel('Từ giờ').fill('14:00');
  await p.getByLabel('Đến giờ').fill('16:30');
  await p.getByLabel('Địa điểm').fill('Hội trường thôn Đông');
  await submit(p, 'Thêm vào lịch');
  const rows = await p.locator('table.list tbody tr').allInnerTexts();
  assert.equal(rows.length, 2, rows.join('\n'));
  assert.match(rows[0], /Nguyễn Văn Hải[\s\S]*Thứ Năm hằng tuần[\s\S]*07:30–11:00/);
  await shoot(p, 'tiep-cong-dan-lich');
  await p.context().close();

  // anyone, signed out, reads it on the portal (the render cache was told)
  const ctx = await browser.newContext({ javaScriptEnabled: true });
  const a = await ctx.newPage();
  await a.goto(`${srv.url}/`);
  await a.getByRole('navigation').getByRole('link', { name: 'Lịch tiếp công dân' }).first().click();
  await a.waitForURL(/\/lich-tiep-cong-dan$/);
  const text = await a.locator('main').innerText();
  assert.match(text, /Thứ Năm, \d\d\/\d\d\/\d{4}/);
  assert.match(text, /07:30–11:00/);
  assert.match(text, /Nguyễn Văn Hải, Chủ tịch UBND xã/);
  const [y, m, d] = dayIn(3).split('-');
  assert.ok(text.includes(`${d}/${m}/${y}`) && text.includes('14:00–16:30') && text.includes('Hội trường thôn Đông'),
    'the one-off session on the portal');
  await checkA11y(a, 'public schedule');
  await shoot(a, 'lich-tiep-cong-dan');
  await ctx.close();
});

test('the clerk records two visits, prints the month and downloads it; the inspector only reads', async () => {
  const p = await signedIn('motcua');
  await p.goto(`${srv.url}/tiep-cong-dan`);
  await p.getByRole('link', { name: /Sổ tiếp công dân/ }).click();
  await p.getByRole('link', { name: 'Ghi sổ lượt tiếp mới' }).click();
  await checkA11y(p, 'visit form');
  assert.equal(await p.getByLabel('Người tiếp').inputValue(), 'Nguyễn Thị Lan', 'the receiver defaults to the clerk');

  // a wrong phone is refused with the typed text kept, nothing written
  await p.getByLabel('Họ và tên').fill('Phạm Thị Bích');
  await p.getByLabel('Địa chỉ').fill('Thôn Phú Lộc, xã Phong Hải');
  await p.getByLabel('Số điện thoại (không bắt buộc)').fill('gọi sau');
  await p.getByLabel('Loại việc').selectOption({ label: 'Khiếu nại' });
  await p.getByLabel('Nội dung trình bày').fill('Khiếu nại quyết định thu hồi 120 m² đất vườn.');
  await p.getByLabel('Hướng dẫn, trả lời').fill('Hướng dẫn viết đơn khiếu nại gửi Chủ tịch UBND xã.');
  await p.getByLabel('Có nhận đơn').check();
  await p.getByLabel('Số, ký hiệu đơn (nếu có)').fill('KN-01/2026');
  await submit(p, 'Ghi vào sổ');
  assert.match(await p.locator('.alert-error').innerText(), /Số điện thoại không hợp lệ/);
  assert.equal(await p.getByLabel('Họ và tên').inputValue(), 'Phạm Thị Bích');
  await checkA11y(p, 'visit form with an error');
  await p.getByLabel('Số điện thoại (không bắt buộc)').fill('0912 345 678');
  await submit(p, 'Ghi vào sổ');
  assert.match(await p.locator('.flash').innerText(), /Đã ghi vào sổ/);

  await p.getByRole('link', { name: 'Ghi sổ lượt tiếp mới' }).click();
  await p.getByLabel('Họ và tên').fill('Lê Văn Nam');
  await p.getByLabel('Địa chỉ').fill('Thôn Đông, xã Phong Hải');
  await p.getByLabel('Số người cùng đến').fill('5');
  await p.getByLabel('Loại việc').selectOption({ label: 'Kiến nghị, phản ánh' });
  await p.getByLabel('Nội dung trình bày').fill('Phản ánh đường liên thôn ngập nước sau mưa.');
  await p.getByLabel('Hướng dẫn, trả lời').fill('Tiếp nhận, báo cáo Chủ tịch UBND xã.');
  await submit(p, 'Ghi vào sổ');
  const reg = await p.locator('main').innerText();
  assert.match(reg, /2 lượt tiếp, 6 người — khiếu nại 1, tố cáo 0, kiến nghị, phản ánh 1, khác 0; nhận 1 đơn/);
  assert.ok(reg.includes('Phạm Thị Bích') && reg.includes('KN-01/2026') && reg.includes('(5 người)'));
  await checkA11y(p, 'register');
  await shoot(p, 'so-tiep-cong-dan');

  // the CSV of the month
  const month = await p.locator('#thang').inputValue();
  const csv = await p.request.get(`${srv.url}/tiep-cong-dan/so/xuat?thang=${month}`);
  assert.equal(csv.status(), 200);
  assert.match(csv.headers()['content-type'], /text\/csv/);
  const body = await csv.text();
  assert.ok(body.includes('Phạm Thị Bích') && body.includes('Lê Văn Nam') && body.includes('Khiếu nại'), body);

  // the printed register: the state header, both visits, A4 landscape
  await p.getByRole('link', { name: 'In sổ tháng' }).click();
  await checkA11y(p, 'printed register');
  const r = await printed(p, 'so-tiep-cong-dan');
  assert.match(r.text, /CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM[\s\S]*SỔ TIẾP CÔNG DÂN/);
  assert.ok(r.text.includes('Phạm Thị Bích') && r.text.includes('Lê Văn Nam'), r.text);
  assert.ok(r.pages >= 1, `pages: ${r.pages}`);
  assert.ok(r.boxes.every((b) => /\[\s*0\s+0\s+84[12](\.\d+)?\s+59[45](\.\d+)?\s*\]/.test(b)), `A4 landscape: ${r.boxes}`);
  await p.context().close();

  // the inspector reads the register but has no form to write in it
  const v = await signedIn('thanhtra');
  await v.goto(`${srv.url}/tiep-cong-dan/so`);
  assert.ok((await v.locator('main').innerText()).includes('Phạm Thị Bích'));
  assert.equal(await v.getByRole('link', { name: 'Ghi sổ lượt tiếp mới' }).count(), 0);
  const w = await v.goto(`${srv.url}/tiep-cong-dan/so/moi`);
  assert.equal(w.status(), 403);
  await v.context().close();

  // signed out: no register, no CSV
  const ctx = await browser.newContext();
  const anon = await ctx.newPage();
  for (const path of ['/tiep-cong-dan/so', '/tiep-cong-dan/so/xuat', '/tiep-cong-dan/so/in']) {
    await anon.goto(`${srv.url}${path}`);
    assert.doesNotMatch(await anon.content(), /Phạm Thị Bích/, `${path} signed out`);
  }
  await ctx.close();
});

test('a dialogue meeting is recorded and its minutes printed on A4', async () => {
  const p = await signedIn('phochutich');
  await p.goto(`${srv.url}/tiep-cong-dan/doi-thoai`);
  await checkA11y(p, 'dialogues (none)');
  await p.getByRole('link', { name: 'Ghi cuộc đối thoại' }).click();
  await checkA11y(p, 'dialogue form');
  await p.getByLabel('Địa điểm').fill('Nhà văn hóa thôn Phú Lộc');
  await p.getByLabel('Người chủ trì').fill('Nguyễn Văn Hải, Chủ tịch UBND xã');
  await p.getByLabel('Số người dự').fill('85');
  await p.getByLabel('Thành phần tham dự').fill('Đại diện Mặt trận Tổ quốc xã, trưởng thôn, 80 hộ dân.');
  await p.getByLabel('Nội dung đối thoại').fill('Kế hoạch làm đường liên thôn và đóng góp của Nhân dân.');
  await p.getByLabel('Kết luận').fill('Thống nhất làm đường trong quý II; xã hỗ trợ xi măng.');
  await p.getByLabel('Việc cần làm tiếp theo').fill('Văn phòng UBND xã lập dự toán trước 30/3.');
  await submit(p, 'Ghi cuộc đối thoại');
  assert.match(await p.locator('h1').innerText(), /^Đối thoại ngày \d\d\/\d\d\/\d{4} \d\d:\d\d$/);
  assert.ok((await p.locator('main').innerText()).includes('Thống nhất làm đường trong quý II'));
  await checkA11y(p, 'dialogue');
  await shoot(p, 'doi-thoai');
  await p.getByRole('link', { name: 'In biên bản' }).click();
  await checkA11y(p, 'minutes');
  const r = await printed(p, 'bien-ban-doi-thoai');
  assert.match(r.text, /BIÊN BẢN ĐỐI THOẠI[\s\S]*Nhà văn hóa thôn Phú Lộc[\s\S]*Thống nhất làm đường/);
  assert.ok(r.pages >= 1);
  assert.ok(r.boxes.every((b) => /\[\s*0\s+0\s+59[45](\.\d+)?\s+84[12](\.\d+)?\s*\]/.test(b)), `A4 portrait: ${r.boxes}`);
  await p.goto(`${srv.url}/tiep-cong-dan/doi-thoai`);
  assert.equal(await p.locator('table.list tbody tr').count(), 1);
  await checkA11y(p, 'dialogues');
  await p.context().close();
});
