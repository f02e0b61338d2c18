// iso.test.mjs — issue #16 item 4: the quality system in a browser.  The
// leader issues the one-stop desk's process (QT-01), revises it (version 2,
// version 1 still readable and marked replaced), prints the current version
// on A4, records an internal audit with a nonconformity and closes its
// corrective action; the officer reads the process but sees no form.
// Every page at 360 and 1280 px, with axe-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launch, checkA11y, shoot, loginAs, addUsers, SHOTS } from './lib.mjs';

const PW = 'mat-khau-iso-9001-123';
let srv, browser;
const ids = {};

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
  srv = await startServer();
  addUsers(srv.dir, [
    ['iso.hai', 'leader', 'Lê Văn Hải', ''],
    ['iso.binh', 'officer', 'Trần Thị Bình', 'Văn phòng HĐND-UBND'],
  ], PW);
});

after(async () => {
  await browser?.close();
  assert.equal(await srv?.stop(), 0);
});

test('the leader issues a process, revises it and prints the current version', async () => {
  await asUser('iso.hai', async (page) => {
    await page.goto(`${srv.url}/iso`);
    await checkA11y(page, 'iso (trống)');
    await page.getByRole('link', { name: 'Ban hành quy trình mới' }).click();
    await page.waitForURL(/\/iso\/moi$/);
    await page.getByLabel('Mã quy trình').fill('QT-01');
    await page.getByLabel('Tên quy trình').fill('Tiếp nhận và trả kết quả giải quyết thủ tục hành chính tại Bộ phận Một cửa');
    await page.getByLabel('Đơn vị, người chủ trì').fill('Văn phòng HĐND-UBND');
    await page.getByLabel('Phạm vi áp dụng').fill('Mọi thủ tục hành chính thuộc thẩm quyền của UBND xã');
    await page.getByLabel('Các bước thực hiện (mỗi bước một dòng)').fill('Bước 1: Tiếp nhận, kiểm tra hồ sơ, viết giấy tiếp nhận và hẹn trả kết quả\nBước 2: Chuyển hồ sơ cho công chức chuyên môn\nBước 3: Thẩm định, trình lãnh đạo ký\nBước 4: Trả kết quả, thu phí, lệ phí');
    await page.getByLabel('Biểu mẫu (mỗi mẫu một dòng)').fill('Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả\nMẫu 06: Sổ theo dõi hồ sơ');
    await page.getByLabel('Hồ sơ cần lưu (mỗi loại một dòng)').fill('Sổ theo dõi hồ sơ\nPhiếu xin lỗi và hẹn lại ngày trả kết quả');
    await page.getByLabel('Thời gian lưu hồ sơ').fill('Lưu tại Bộ phận Một cửa 2 năm, sau đó nộp lưu trữ cơ quan');
    await page.getByLabel(/Mã thủ tục hành chính áp dụng/).fill('1.001193, 1.000656');
    await page.getByLabel('Ngày có hiệu lực').fill('2026-01-05');
    await page.getByLabel('Người phê duyệt').fill('Lê Văn Hải, Chủ tịch UBND xã');
    await checkA11y(page, 'quy trình mới');
    await shoot(page, 'iso-moi');
    await submit(page, 'Ban hành quy trình');
    ids.proc = Number(page.url().match(/\/iso\/(\d+)/)[1]);
    let text = await page.locator('main').innerText();
    assert.match(text, /Phiên bản\s+1, hiệu lực từ 05\/01\/2026/);
    // version 2: a step added, with its change note
    await page.getByLabel('Các bước thực hiện (mỗi bước một dòng)').fill('Bước 1: Tiếp nhận, kiểm tra hồ sơ, viết giấy tiếp nhận và hẹn trả kết quả\nBước 2: Chuyển hồ sơ cho công chức chuyên môn\nBước 3: Thẩm định, trình lãnh đạo ký\nBước 4: Trả kết quả, thu phí, lệ phí\nBước 5: Lấy ý kiến đánh giá sự hài lòng của người dân');
    await page.getByLabel('Ngày có hiệu lực').fill('2026-07-01');
    await page.getByLabel('Nội dung sửa đổi').fill('Thêm bước lấy ý kiến đánh giá theo Quyết định 766/QĐ-TTg');
    await submit(page, 'Ban hành phiên bản mới');
    text = await page.locator('main').innerText();
    assert.match(text, /Phiên bản\s+2, hiệu lực từ 01\/07\/2026/);
    assert.match(text, /Bước 5: Lấy ý kiến đánh giá/);
    assert.match(text, /Phiên bản 1 — hiệu lực từ 05\/01\/2026/);
    await checkA11y(page, 'quy trình, phiên bản 2');
    await shoot(page, 'iso-quy-trinh');
    // version 1 is kept and says it was replaced
    await page.getByRole('link', { name: 'Phiên bản 1', exact: true }).click();
    await page.waitForURL(/phien-ban=1/);
    text = await page.locator('main').innerText();
    assert.match(text, /Đây là phiên bản 1, đã được thay thế/);
    assert.doesNotMatch(text, /Bước 5/);
    await checkA11y(page, 'quy trình, phiên bản 1');
    // the current version on A4
    await page.goto(`${srv.url}/iso/${ids.proc}/in`);
    const paper = await page.locator('main').innerText();
    assert.match(paper, /Số: QT-01/);
    assert.match(paper, /phiên bản 2, hiệu lực từ 01\/07\/2026/);
    assert.match(paper, /ngày 01 tháng 07 năm 2026/);
    await checkA11y(page, 'in quy trình');
    await page.emulateMedia({ media: 'print' });
    const file = join(SHOTS, 'iso-qt-01.pdf');
    await page.pdf({ path: file, format: 'A4', printBackground: false });
    const pdf = readFileSync(file, 'latin1');
    assert.ok((pdf.match(/\/Type\s*\/Page[^s]/g) || []).length >= 1);
  });
});

test('an internal audit: a nonconformity, its corrective action closed', async () => {
  await asUser('iso.hai', async (page) => {
    await page.goto(`${srv.url}/iso/danh-gia`);
    await page.getByLabel('Phạm vi đánh giá').fill('Quy trình QT-01 tại Bộ phận Một cửa');
    await page.getByLabel('Người đánh giá').fill('Phạm Thanh Tra, Đoàn đánh giá nội bộ');
    await checkA11y(page, 'đánh giá nội bộ');
    await submit(page, 'Ghi cuộc đánh giá');
    await page.getByLabel('Quy trình (không bắt buộc)').selectOption({ label: 'QT-01 — Tiếp nhận và trả kết quả giải quyết thủ tục hành chính tại Bộ phận Một cửa' });
    await page.getByLabel('Nội dung phát hiện').fill('Sổ theo dõi hồ sơ tháng 10 thiếu chữ ký người nhận kết quả ở 3 hồ sơ');
    await page.getByLabel('Hành động khắc phục').fill('Bổ sung chữ ký, nhắc cán bộ một cửa ký nhận khi trả kết quả');
    await page.getByLabel('Đơn vị thực hiện').fill('Bộ phận Một cửa');
    await page.getByLabel('Thời hạn khắc phục').fill('2099-12-31');
    await submit(page, 'Ghi phát hiện');
    assert.match(await page.locator('main').innerText(), /Điểm không phù hợp \(quy trình QT-01\)/);
    await checkA11y(page, 'cuộc đánh giá');
    await shoot(page, 'iso-danh-gia');
    await page.goto(`${srv.url}/iso`);
    assert.match(await page.locator('main').innerText(), /Bổ sung chữ ký/);
    await page.getByRole('link', { name: /Đánh giá ngày/ }).click();
    await page.waitForURL(/danh-gia\/\d+$/);
    await page.getByLabel('Kết quả khắc phục').fill('Đã bổ sung đủ chữ ký ngày hôm nay');
    await submit(page, 'Đóng hành động khắc phục');
    assert.match(await page.locator('main').innerText(), /Đã khắc phục ngày \d\d\/\d\d\/\d{4}: Đã bổ sung đủ chữ ký/);
  });
  await asUser('iso.binh', async (page) => {
    await page.goto(`${srv.url}/iso/${ids.proc}`);
    assert.match(await page.locator('main').innerText(), /Bước 5/);
    assert.equal(await page.getByRole('button', { name: 'Ban hành phiên bản mới' }).count(), 0);
    await checkA11y(page, 'quy trình, cán bộ xem');
    await page.goto(`${srv.url}/iso`);
    assert.equal(await page.getByRole('link', { name: 'Ban hành quy trình mới' }).count(), 0);
    assert.match(await page.locator('main').innerText(), /Không có điểm không phù hợp nào đang chờ khắc phục/);
  });
});
