// plans.test.mjs — issue #16 item 1: a reform plan through a year, with
// the server's wall clock set by libfaketime (Hà Nội time):
//   - 5 January 2027: the leader draws up the 2027 reform plan, records the
//     document that issued it and gives three tasks to two units;
//   - 27 March: the Văn phòng officer sees the reminder on the desk (a task
//     due in four days), reports 60 % and attaches a PDF as evidence; the
//     Tư pháp officer cannot report on that task;
//   - 10 April: the task is overdue by ten days, in red and in words, on the
//     plan and in the reminders; the officer reports it done: "Hoàn thành
//     chậm 10 ngày";
//   - 20 April: the leader opens a budget line for the work (12 million
//     planned, 10 allocated), ties the task to it and records 4.5 million
//     spent with its voucher; 7 million more is refused as beyond the
//     allocation; planned against spent by field;
//   - 28 December: the leader carries the two open tasks into the 2028 plan
//     and prints the 2027 plan on A4.
// Every page at 360 and 1280 px, with axe-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launch, checkA11y, shoot, loginAs, addUsers, SHOTS } from './lib.mjs';

const PW = 'mat-khau-ke-hoach-123';
const FAKE = '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1';
const env = (utc) => ({ LD_PRELOAD: FAKE, FAKETIME: `@${utc}`, FAKETIME_DONT_FAKE_MONOTONIC: '1', TZ: 'UTC' });
let srv, browser, dir;
const ids = {};

// Restarts the server on the same folder at another instant (UTC).
async function at(utc) {
  if (srv) assert.equal(await srv.stop({ keep: true }), 0);
  srv = await startServer({ dir, env: env(utc) });
}

async function asUser(username, fn) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  try {
    await loginAs(page, srv.url, username, PW);
    await fn(page);
  } finally {
    await ctx.close();
  }
}

async function submit(page, button) {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: button }).click()]);
  const err = await page.locator('.alert-error[role=alert]').count();
  assert.equal(err, 0, err ? await page.locator('.alert-error[role=alert]').innerText() : '');
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await launch();
  srv = await startServer({ env: env('2027-01-05 02:00:00') });
  dir = srv.dir;
  addUsers(dir, [
    ['kh.hai', 'leader', 'Lê Văn Hải', ''],
    ['kh.binh', 'officer', 'Trần Thị Bình', 'Văn phòng HĐND-UBND'],
    ['kh.cuong', 'officer', 'Đặng Văn Cường', 'Tư pháp - Hộ tịch'],
    ['kh.thanh', 'viewer', 'Phạm Thanh Tra', ''],
  ], PW);
});

after(async () => {
  await browser?.close();
  assert.equal(await srv?.stop(), 0);
});

test('5 January: the leader draws up the plan, issues it and gives out three tasks', async () => {
  await asUser('kh.hai', async (page) => {
    await page.goto(`${srv.url}/ke-hoach`);
    await checkA11y(page, 'danh sách kế hoạch (trống)');
    await page.getByLabel('Năm').fill('2027');
    await page.getByLabel('Loại kế hoạch').selectOption('reform');
    await page.getByLabel('Tên kế hoạch').fill('Kế hoạch cải cách hành chính năm 2027');
    await submit(page, 'Lập kế hoạch');
    ids.plan = Number(page.url().match(/\/ke-hoach\/(\d+)/)[1]);
    await page.getByLabel('Số, ký hiệu').fill('05/KH-UBND');
    await page.getByLabel('Ngày ban hành').fill('2027-01-05');
    await page.getByLabel('Người ký').fill('Lê Văn Hải');
    await submit(page, 'Lưu');
    assert.match(await page.locator('main').innerText(), /Ban hành theo văn bản số 05\/KH-UBND ngày 05\/01\/2027/);
    const tasks = [
      ['Rà soát, đơn giản hóa thủ tục hành chính lĩnh vực hộ tịch', 'tthc', 'Văn phòng HĐND-UBND', 'Trần Thị Bình', '2027-01-10', '2027-03-31', '12.000.000'],
      ['Tuyên truyền nộp hồ sơ trực tuyến tại các thôn', 'so', 'Tư pháp - Hộ tịch', '', '2027-02-01', '2027-06-30', ''],
      ['Đánh giá sự hài lòng của người dân năm 2027', 'tthc', 'Văn phòng HĐND-UBND', '', '2027-09-01', '2027-12-15', ''],
    ];
    for (const [title, field, unit, person, start, due, budget] of tasks) {
      await page.goto(`${srv.url}/ke-hoach/${ids.plan}/nhiem-vu-moi`);
      await page.getByLabel('Nội dung nhiệm vụ').fill(title);
      await page.getByLabel('Lĩnh vực').selectOption(field);
      await page.getByLabel('Đơn vị chủ trì').fill(unit);
      if (person) await page.getByLabel('Người chịu trách nhiệm').selectOption({ label: `${person} — ${unit}` });
      await page.getByLabel('Ngày bắt đầu').fill(start);
      await page.getByLabel('Hạn hoàn thành').fill(due);
      await page.getByLabel('Sản phẩm dự kiến').fill('Báo cáo kết quả');
      if (budget) await page.getByLabel('Kinh phí dự kiến (đồng)').fill(budget);
      if (!ids.form) {
        await checkA11y(page, 'thêm nhiệm vụ');
        await shoot(page, 'ke-hoach-them-nhiem-vu');
        ids.form = true;
      }
      await submit(page, 'Thêm vào kế hoạch');
    }
    const text = await page.locator('main').innerText();
    assert.match(text, /3 nhiệm vụ: đã hoàn thành 0 \(0%\)/);
    assert.match(text, /Kinh phí 12\.000\.000 đồng/);
    ids.taskA = Number(await page.locator('tbody tr').first().getAttribute('id').then((s) => s.replace('nv-', '')));
    await checkA11y(page, 'kế hoạch');
    await shoot(page, 'ke-hoach');
    // a date outside the plan's year is refused in words, nothing added
    await page.goto(`${srv.url}/ke-hoach/${ids.plan}/nhiem-vu-moi`);
    await page.getByLabel('Nội dung nhiệm vụ').fill('Sai năm');
    await page.getByLabel('Đơn vị chủ trì').fill('Văn phòng HĐND-UBND');
    await page.locator('#start').evaluate((el) => { el.removeAttribute('min'); el.removeAttribute('max'); el.value = '2028-01-02'; });
    await page.locator('#due').evaluate((el) => { el.removeAttribute('min'); el.removeAttribute('max'); el.value = '2028-01-03'; });
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Thêm vào kế hoạch' }).click()]);
    assert.match(await page.locator('.alert-error').innerText(), /phải trong năm 2027/);
    await checkA11y(page, 'thêm nhiệm vụ có lỗi');
  });
});

test('27 March: the officer is reminded, reports 60 % and attaches evidence; another unit cannot', async () => {
  await at('2027-03-27 01:30:00');
  await asUser('kh.binh', async (page) => {
    await page.goto(`${srv.url}/mot-cua`);
    assert.match(await page.locator('.plan-remind').innerText(), /1 nhiệm vụ đến hạn trong 7 ngày tới/);
    await checkA11y(page, 'một cửa có nhắc việc');
    await page.getByRole('link', { name: 'Xem các nhiệm vụ' }).click();
    await page.waitForURL(/nhac-viec/);
    assert.match(await page.locator('main').innerText(), /Còn 4 ngày/);
    await checkA11y(page, 'nhắc việc');
    await shoot(page, 'ke-hoach-nhac-viec');
    await page.getByRole('link', { name: /Rà soát, đơn giản hóa/ }).click();
    await page.waitForURL(/nhiem-vu\/\d+$/);
    await page.getByLabel('Tiến độ (%)').fill('60');
    await page.getByLabel('Tình trạng').selectOption('in_progress');
    await page.getByLabel('Việc đã làm, kết quả').fill('Đã rà soát 9 trên 15 thủ tục, đề xuất bỏ 2 thành phần hồ sơ.');
    await submit(page, 'Ghi báo cáo');
    const pdf = join(SHOTS, 'minh-chung.pdf');
    writeFileSync(pdf, '%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    await page.getByLabel(/Tệp minh chứng/).setInputFiles(pdf);
    await submit(page, 'Đính kèm');
    const text = await page.locator('main').innerText();
    assert.match(text, /60% — Đang thực hiện/);
    assert.match(text, /minh-chung\.pdf/);
    assert.match(text, /Đã rà soát 9 trên 15 thủ tục/);
    assert.match(text, /Báo cáo tiến độ \(Trần Thị Bình\)/);   // people by name, never by username
    assert.doesNotMatch(text, /kh\.binh|kh\.hai/);
    await checkA11y(page, 'nhiệm vụ sau báo cáo');
    await shoot(page, 'ke-hoach-nhiem-vu');
  });
  await asUser('kh.cuong', async (page) => {
    await page.goto(`${srv.url}/ke-hoach/nhiem-vu/${ids.taskA}`);
    assert.equal(await page.getByRole('button', { name: 'Ghi báo cáo' }).count(), 0);
    const res = await page.request.post(`${srv.url}/ke-hoach/nhiem-vu/${ids.taskA}/bao-cao`, {
      form: { csrf: await page.locator('input[name=csrf]').first().inputValue(), version: '3', progress: '90', status: 'in_progress', note: 'x' },
      maxRedirects: 0,
    });
    assert.equal(res.status(), 403);
  });
});

test('10 April: overdue by ten days in red and in words; then done late', async () => {
  await at('2027-04-10 02:00:00');
  await asUser('kh.hai', async (page) => {
    await page.goto(`${srv.url}/ke-hoach/${ids.plan}`);
    const badge = page.locator(`#nv-${ids.taskA} .badge-bad`);
    assert.equal(await badge.innerText(), 'Quá hạn 10 ngày');
    const color = await badge.evaluate((el) => getComputedStyle(el).color);
    assert.equal(color, 'rgb(142, 16, 16)');
    assert.match(await page.locator('.plan-sum').innerText(), /1 nhiệm vụ quá hạn/);
    await checkA11y(page, 'kế hoạch có nhiệm vụ quá hạn');
    await shoot(page, 'ke-hoach-qua-han');
    // the unit's own view
    await page.getByLabel('Đơn vị chủ trì').selectOption('Tư pháp - Hộ tịch');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Xem' }).click()]);
    const text = await page.locator('main').innerText();
    assert.match(text, /1 nhiệm vụ của Tư pháp - Hộ tịch/);
    assert.doesNotMatch(text, /Rà soát, đơn giản hóa/);
  });
  await asUser('kh.binh', async (page) => {
    await page.goto(`${srv.url}/ke-hoach/nhac-viec`);
    assert.match(await page.locator('main').innerText(), /Quá hạn 10 ngày/);
    await page.goto(`${srv.url}/ke-hoach/nhiem-vu/${ids.taskA}`);
    await page.getByLabel('Tình trạng').selectOption('done');
    await page.getByLabel('Việc đã làm, kết quả').fill('Đã trình Chủ tịch quyết định công bố.');
    await submit(page, 'Ghi báo cáo');
    assert.match(await page.locator('main').innerText(), /100% — Đã hoàn thành ngày 10\/04\/2027 \(Hoàn thành chậm 10 ngày\)/);
  });
});

test('20 April: a budget line, the task tied to it, spending within the allocation', async () => {
  await at('2027-04-20 02:00:00');
  await asUser('kh.hai', async (page) => {
    await page.goto(`${srv.url}/ngan-sach`);
    assert.match(await page.locator('h1').innerText(), /năm 2027/);
    await page.getByLabel('Tên dòng kinh phí').fill('Rà soát, đơn giản hóa thủ tục hành chính');
    await page.getByLabel('Lĩnh vực cải cách').selectOption('tthc');
    await page.getByLabel('Nguồn kinh phí (không bắt buộc)').fill('Ngân sách xã — chi thường xuyên');
    await page.getByLabel('Dự kiến (đồng)').fill('12.000.000');
    await page.getByLabel('Dự toán được giao (đồng)').fill('10.000.000');
    await submit(page, 'Thêm dòng kinh phí');
    ids.line = Number(page.url().match(/\/ngan-sach\/(\d+)/)[1]);
    // the task uses the line
    await page.goto(`${srv.url}/ke-hoach/nhiem-vu/${ids.taskA}/sua`);
    await page.getByLabel('Dòng kinh phí').selectOption({ label: 'Rà soát, đơn giản hóa thủ tục hành chính' });
    await submit(page, 'Lưu thay đổi');
    assert.match(await page.locator('main').innerText(), /12\.000\.000 đồng \(Rà soát, đơn giản hóa thủ tục hành chính\)/);
    // spending with its voucher
    await page.goto(`${srv.url}/ngan-sach/${ids.line}`);
    await page.getByLabel('Số tiền (đồng)').fill('4.500.000');
    await page.getByLabel('Nội dung chi').fill('Chi hội nghị rà soát thủ tục hành chính quý I');
    await page.getByLabel('Số chứng từ (không bắt buộc)').fill('PC-015');
    await page.getByLabel('Cho nhiệm vụ (không bắt buộc)').selectOption({ label: '1. Rà soát, đơn giản hóa thủ tục hành chính lĩnh vực hộ tịch' });
    await page.getByLabel(/Bản chụp chứng từ/).setInputFiles(join(SHOTS, 'minh-chung.pdf'));
    await submit(page, 'Ghi khoản chi');
    let text = await page.locator('main').innerText();
    assert.match(text, /Đã chi\s+4\.500\.000 đồng \(45% dự toán\)/);
    assert.match(text, /Còn lại\s+5\.500\.000 đồng/);
    // beyond the allocation: refused in words, nothing recorded
    await page.getByLabel('Số tiền (đồng)').fill('7.000.000');
    await page.getByLabel('Nội dung chi').fill('Mua máy quét');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Ghi khoản chi' }).click()]);
    assert.match(await page.locator('.alert-error').innerText(), /vượt dự toán được giao/);
    await checkA11y(page, 'dòng kinh phí có lỗi');
    text = await page.locator('main').innerText();
    assert.match(text, /Đã chi\s+4\.500\.000 đồng/);
    await page.goto(`${srv.url}/ngan-sach/${ids.line}`);
    await checkA11y(page, 'dòng kinh phí');
    await shoot(page, 'kinh-phi-dong');
    await page.goto(`${srv.url}/ngan-sach`);
    text = await page.locator('main').innerText();
    assert.match(text, /Cải cách thủ tục hành chính\s+12\.000\.000\s+10\.000\.000\s+4\.500\.000\s+38%/);
    await checkA11y(page, 'kinh phí năm');
    await shoot(page, 'kinh-phi');
  });
  await asUser('kh.binh', async (page) => {
    const res = await page.goto(`${srv.url}/ngan-sach`);
    assert.equal(res.status(), 403);
  });
});

test('28 December: the open tasks go to 2028; the plan prints on A4', async () => {
  await at('2027-12-28 02:00:00');
  await asUser('kh.hai', async (page) => {
    await page.goto(`${srv.url}/ke-hoach/${ids.plan}`);
    await submit(page, 'Chuyển nhiệm vụ chưa hoàn thành sang năm sau');
    assert.match(await page.locator('.flash').innerText(), /Đã chuyển 2 nhiệm vụ chưa hoàn thành sang kế hoạch năm 2028/);
    await page.goto(`${srv.url}/ke-hoach`);
    const list = await page.locator('main').innerText();
    assert.match(list, /Kế hoạch cải cách hành chính năm 2028/);
    assert.match(list, /Chưa ban hành/);
    await checkA11y(page, 'danh sách kế hoạch');
    await shoot(page, 'ke-hoach-danh-sach');
    await page.goto(`${srv.url}/ke-hoach/${ids.plan}/in`);
    const paper = await page.locator('main').innerText();
    assert.match(paper, /Số: 05\/KH-UBND/);
    assert.match(paper, /ngày 05 tháng 01 năm 2027/);
    assert.match(paper, /KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2027|Kế hoạch cải cách hành chính năm 2027/);
    assert.match(paper, /Hoàn thành chậm 10 ngày/);
    assert.match(paper, /Quá hạn \d+ ngày/);   // the task due 30 June, still open
    await checkA11y(page, 'in kế hoạch');
    await page.emulateMedia({ media: 'print' });
    const file = join(SHOTS, 'ke-hoach-2027.pdf');
    await page.pdf({ path: file, format: 'A4', landscape: true, printBackground: false });
    const pdf = readFileSync(file, 'latin1');
    assert.ok((pdf.match(/\/Type\s*\/Page[^s]/g) || []).length >= 1, 'the plan printed to at least one page');
  });
  await asUser('kh.thanh', async (page) => {
    await page.goto(`${srv.url}/ke-hoach/${ids.plan}`);
    assert.equal(await page.getByRole('button', { name: 'Chuyển nhiệm vụ chưa hoàn thành sang năm sau' }).count(), 0);
    await checkA11y(page, 'kế hoạch, thanh tra xem');
  });
});
