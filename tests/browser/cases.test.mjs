// cases.test.mjs — the staff's work screens of complaints, denunciations,
// petitions and feedback (issue #14 item 5 and the browser half of "Must
// show").  One test per case type, from intake at the desk (or by post)
// to its decision, through the forms of the case page as each role sees
// them; every notice printed to an A4 PDF and its text checked (title,
// number, date in words, the article it rests on); axe on every page; the
// denouncer's name never on a page of the clerk who recorded it nor of a
// second officer; a queue at 360 px; and the reminders before a legal
// limit on a server whose clock libfaketime moves.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { staffTeam, startServer, launch, loginAs, checkA11y, checkNoOverflow, shoot, BIN, SHOTS } from './lib.mjs';

const PW = 'mat-khau-thu-123';
const STAFF = [
  ['lan.clerk', 'clerk', 'Nguyễn Thị Lan'],
  ['tuan.officer', 'officer', 'Trần Anh Tuấn'],
  ['hoa.officer', 'officer', 'Đỗ Thị Hoa'],
  ['hai.leader', 'leader', 'Lê Văn Hải'],
  ['mai.viewer', 'viewer', 'Phạm Thị Thanh Tra'],
];
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
let team, srv, clerk, officer, officer2, leader, viewer;

before(async () => {
  team = await staffTeam(STAFF, PW);
  ({ srv } = team);
  ({ 'lan.clerk': clerk, 'tuan.officer': officer, 'hoa.officer': officer2, 'hai.leader': leader,
    'mai.viewer': viewer } = team.pages);
});

after(async () => {
  await team?.close();
});

// Opens a path, checks it answered 200 and passes axe; returns main's text.
async function open(page, path, label = path) {
  const res = await page.goto(`${srv.url}${path}`);
  assert.equal(res.status(), 200, `${label}: HTTP ${res.status()}`);
  await checkA11y(page, label);
  return page.locator('main').innerText();
}

// Records a case at /don-thu/tiep-nhan as `page`; fill(form) types the
// fields; returns { code, text } of the answer page.
async function intake(page, kind, fill, files = []) {
  await open(page, `/don-thu/tiep-nhan?loai=${kind}`, `tiếp nhận ${kind}`);
  const form = page.locator('form[method=post]');
  await fill(form);
  if (files.length) await form.locator('#files').setInputFiles(files);
  await Promise.all([page.waitForNavigation(), form.getByRole('button', { name: 'Tiếp nhận đơn' }).click()]);
  assert.equal(await page.locator('.alert-error').count(), 0,
    `intake ${kind}: ${await page.locator('.alert-error').allInnerTexts()}`);
  const m = page.url().match(/\/don-thu\/([A-Z]+-[^?/]+)\?ok=submit/);
  assert.ok(m, `intake ${kind} lands on the case: ${page.url()}`);
  await checkA11y(page, `biên nhận ${m[1]}`);
  return { code: m[1], text: await page.locator('main').innerText() };
}

// Takes an action through its form (by its aria-label) on the case page.
async function act(page, code, label, fill) {
  await open(page, `/don-thu/${code}`, `đơn ${code}`);
  const form = page.locator(`form[aria-label="${label}"]`);
  assert.equal(await form.count(), 1, `no form "${label}" on ${code} for this user`);
  if (fill) await fill(form);
  await Promise.all([page.waitForNavigation(), form.locator('button[type=submit]').click()]);
  const err = await page.locator('.alert-error').count();
  assert.equal(err, 0, `${label} on ${code}: ${err ? await page.locator('.alert-error').innerText() : ''}`);
  await checkA11y(page, `${label} ${code}`);
  return page.locator('main').innerText();
}

function pdfPages(file) {
  const pdf = readFileSync(file, 'latin1');
  const box = (pdf.match(/\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/) || []).slice(1).map(Number);
  return { pages: (pdf.match(/\/Type\s*\/Page[^s]/g) || []).length, box };
}

// Prints notice `key` of a case to an A4 PDF; returns its text.
async function printNotice(page, code, key, title) {
  const text = await open(page, `/don-thu/${code}/in/${key}`, `in ${key} ${code}`);
  assert.match(text, title, `${key}: its title`);
  assert.match(text, /CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM/);
  assert.match(text, /, ngày \d\d tháng \d\d năm \d{4}/, `${key}: the date in words`);
  assert.match(text, /Số: /, `${key}: its number line`);
  assert.doesNotMatch(text, /lan\.clerk|tuan\.officer|hai\.leader/, `${key}: a person by username`);
  mkdirSync(SHOTS, { recursive: true });
  const file = join(SHOTS, `don-thu-${code}-${key}.pdf`);
  await page.pdf({ path: file, format: 'A4' });
  const { pages, box } = pdfPages(file);
  assert.ok(pages >= 1 && pages <= 2, `${key}: ${pages} pages`);
  assert.ok(Math.abs(box[0] - 595) < 2 && Math.abs(box[1] - 842) < 2, `${key}: A4 (${box})`);
  return text;
}

test('a complaint, first instance: intake with a scan, acceptance, verification, dialogue, decision', async () => {
  const { code, text } = await intake(clerk, 'khieu-nai-1', async (f) => {
    await f.getByLabel('Họ và tên').fill('Phạm Văn Dũng');
    await f.getByLabel('Số điện thoại').fill('0911 222 333');
    await f.getByLabel('Địa chỉ người gửi').fill('Thôn Nam, xã Phong Hải');
    await f.getByLabel(/Quyết định, hành vi bị khiếu nại/).fill('Quyết định số 12/QĐ-UBND về thu hồi đất');
    await f.getByLabel('Tiêu đề (tóm tắt nội dung)').fill('Khiếu nại quyết định thu hồi đất');
    await f.getByLabel('Nội dung', { exact: true }).fill('Không đồng ý với mức bồi thường khi thu hồi đất.');
    await f.getByLabel(/Giấy tờ, tài liệu nhận kèm/).fill('Đơn khiếu nại (bản chính)\nQuyết định số 12/QĐ-UBND (bản sao)');
  }, [{ name: 'don-khieu-nai.pdf', mimeType: 'application/pdf', buffer: PDF }]);
  assert.match(code, /^KN-/);
  // the answer page: the receipt with the legal date and its article
  assert.match(text, new RegExp(`Mã đơn: ${code}`));
  assert.match(text, /thông báo việc thụ lý hoặc không thụ lý chậm nhất ngày \d\d\/\d\d\/\d{4}/);
  assert.match(text, /Luật Khiếu nại 2011, Điều 27/);
  assert.match(text, /don-khieu-nai\.pdf/);
  const receipt = await printNotice(clerk, code, 'bien-nhan', /GIẤY BIÊN NHẬN ĐƠN/);
  assert.match(receipt, /Phạm Văn Dũng/);
  assert.match(receipt, /Chậm nhất đến hết ngày \d\d tháng \d\d năm \d{4}/);
  assert.match(receipt, /Luật Khiếu nại 2011, Điều 27/);
  assert.match(receipt, /NGƯỜI TIẾP NHẬN[\s\S]*Nguyễn Thị Lan/);
  // a refused action shows its reason in Vietnamese and changes nothing
  await open(clerk, `/don-thu/${code}`);
  const merge = clerk.locator('form[aria-label="Gộp vào đơn trùng"]');
  await merge.getByLabel(/Mã đơn đã nhận trước/).fill('KN-KHONG-CO');
  await Promise.all([clerk.waitForNavigation(), merge.locator('button[type=submit]').click()]);
  const refused = await clerk.locator('main').innerText();
  assert.match(refused, /Không có đơn khác với mã này\.[\s\S]*Chưa có gì thay đổi\./);
  await checkA11y(clerk, 'gộp lỗi');
  assert.match(await open(clerk, `/don-thu/${code}`), /Giai đoạn\s+Đã tiếp nhận, chờ thụ lý/);
  // assignment: the officer who handles it and the leader who decides
  await act(clerk, code, 'Giao người xử lý', async (f) => {
    await f.getByLabel('Người xử lý').selectOption({ label: 'Trần Anh Tuấn' });
    await f.getByLabel('Lãnh đạo quyết định').selectOption({ label: 'Lê Văn Hải' });
  });
  // acceptance is the leader's; the officer has no such form
  await open(officer, `/don-thu/${code}`);
  assert.equal(await officer.locator('form[aria-label="Thụ lý"]').count(), 0);
  let page = await act(leader, code, 'Thụ lý', (f) => f.getByLabel('Số văn bản thụ lý').fill('01/TB-UBND'));
  await shoot(leader, 'don-thu-khieu-nai-da-thu-ly');
  assert.match(page, /Giai đoạn\s+Đã thụ lý/);
  assert.match(page, /Giải quyết khiếu nại lần đầu: 30 ngày; vụ việc phức tạp: 45 ngày — Luật Khiếu nại 2011, Điều 28/);
  const accepted = await printNotice(leader, code, 'thu-ly', /THÔNG BÁO THỤ LÝ GIẢI QUYẾT KHIẾU NẠI/);
  assert.match(accepted, /Số: 01\/TB-UBND/);
  assert.match(accepted, /Kính gửi: Ông\/Bà Phạm Văn Dũng/);
  assert.match(accepted, /Luật Khiếu nại 2011, Điều 28/);
  await act(officer, code, 'Bắt đầu xác minh', (f) => f.getByLabel(/Nội dung cần xác minh/).fill('Xác minh hồ sơ bồi thường'));
  const today = new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10);
  page = await act(officer, code, 'Ghi nhận đối thoại', async (f) => {
    await f.getByLabel('Ngày đối thoại').fill(today);
    await f.getByLabel('Thành phần tham gia').fill('Người khiếu nại, đại diện UBND xã, cán bộ địa chính');
    await f.getByLabel('Kết quả đối thoại').fill('Hai bên thống nhất đo đạc lại diện tích');
  });
  assert.match(page, /Giai đoạn\s+Đang đối thoại/);
  assert.match(page, /Ghi nhận đối thoại[\s\S]*Thành phần: Người khiếu nại/);
  page = await act(leader, code, 'Ban hành quyết định, kết luận', async (f) => {
    await f.getByLabel('Số văn bản').fill('05/QĐ-UBND');
    await f.getByLabel('Kết luận nội dung', { exact: true }).selectOption('dung-mot-phan');
    await f.getByLabel(/Nội dung Quyết định giải quyết/).fill('Điều chỉnh diện tích bồi thường theo kết quả đo đạc lại.');
  });
  assert.match(page, /Kết luận\s+Đúng một phần/);
  const decision = await printNotice(leader, code, 'quyet-dinh', /QUYẾT ĐỊNH GIẢI QUYẾT KHIẾU NẠI LẦN ĐẦU/);
  assert.match(decision, /Số: 05\/QĐ-UBND/);
  assert.match(decision, /đúng một phần/);
  assert.match(decision, /Điều chỉnh diện tích bồi thường/);
  assert.match(decision, /NGƯỜI KÝ[\s\S]*Lê Văn Hải/);
  page = await act(clerk, code, 'Đã gửi, kết thúc');
  assert.match(page, /Giai đoạn\s+Đã kết thúc/);
  assert.match(await open(clerk, '/don-thu?hang=ket-thuc'), new RegExp(code));
  firstComplaint = code;
});

let firstComplaint = '';

test('a complaint, second instance: linked to the first, 45 days (Điều 37), complex 60, its decision printed', async () => {
  assert.ok(firstComplaint, 'the first-instance test ran first');
  const { code, text } = await intake(clerk, 'khieu-nai-2', async (f) => {
    await f.getByLabel('Họ và tên').fill('Phạm Văn Dũng');
    await f.getByLabel('Số điện thoại').fill('0911 222 333');
    await f.getByLabel('Địa chỉ người gửi').fill('Thôn Nam, xã Phong Hải');
    await f.getByLabel(/Quyết định, hành vi bị khiếu nại/).fill('Quyết định giải quyết khiếu nại lần đầu số 05/QĐ-UBND');
    await f.getByLabel(/Mã đơn khiếu nại lần đầu/).fill(firstComplaint.toLowerCase());
    await f.getByLabel('Tiêu đề (tóm tắt nội dung)').fill('Khiếu nại lần hai về bồi thường thu hồi đất');
    await f.getByLabel('Nội dung', { exact: true }).fill('Không đồng ý với quyết định giải quyết lần đầu.');
  });
  assert.match(code, /^KN-/);
  assert.match(text, /Luật Khiếu nại 2011, Điều 36/);
  let page = await open(clerk, `/don-thu/${code}`);
  assert.match(page, new RegExp(firstComplaint));
  page = await act(leader, code, 'Thụ lý', (f) => f.getByLabel('Số văn bản thụ lý').fill('07/TB-UBND'));
  assert.match(page, /Giải quyết khiếu nại lần hai: 45 ngày; vụ việc phức tạp: 60 ngày — Luật Khiếu nại 2011, Điều 37/);
  const before = page.match(/Hạn\s+(\d\d\/\d\d\/\d{4})/)[1];
  page = await act(leader, code, 'Gia hạn (vụ việc phức tạp)', async (f) => {
    await f.getByLabel('Lý do gia hạn').fill('Vụ việc phức tạp, liên quan nhiều hộ dân');
  });
  const after = page.match(/Hạn\s+(\d\d\/\d\d\/\d{4})/)[1];
  const day = (s) => { const [d, m, y] = s.split('/').map(Number); return Date.UTC(y, m - 1, d) / 864e5; };
  assert.ok(day(after) - day(before) >= 13 && day(after) - day(before) <= 17, `${before} → ${after}: 15 more days`);
  // the longer limit cannot be taken twice
  assert.equal(await leader.locator('form[aria-label="Gia hạn (vụ việc phức tạp)"]').count(), 0);
  page = await act(leader, code, 'Ban hành quyết định, kết luận', async (f) => {
    await f.getByLabel('Số văn bản').fill('09/QĐ-UBND');
    await f.getByLabel('Kết luận nội dung', { exact: true }).selectOption('sai');
    await f.getByLabel(/Nội dung Quyết định giải quyết/).fill('Giữ nguyên quyết định giải quyết khiếu nại lần đầu.');
  });
  const decision = await printNotice(leader, code, 'quyet-dinh', /QUYẾT ĐỊNH GIẢI QUYẾT KHIẾU NẠI LẦN HAI/);
  assert.match(decision, /Số: 09\/QĐ-UBND/);
  assert.match(decision, /Giữ nguyên quyết định/);
  page = await act(clerk, code, 'Đã gửi, kết thúc');
  assert.match(page, /Giai đoạn\s+Đã kết thúc/);
});

test('a denunciation: the denouncer hidden from the clerk and a second officer; an extension; the conclusion published', async () => {
  const NAME = 'Trần Thị Bích';
  const { code, text } = await intake(clerk, 'to-cao', async (f) => {
    await f.getByLabel('Họ và tên').fill(NAME);
    await f.getByLabel('Số điện thoại').fill('0912 345 678');
    await f.getByLabel('Địa chỉ người gửi').fill('Thôn Đông, xã Phong Hải');
    await f.getByLabel(/Người bị tố cáo/).fill('Ông Nguyễn Văn X, cán bộ địa chính xã');
    await f.getByLabel('Tiêu đề (tóm tắt nội dung)').fill('Tố cáo cán bộ địa chính nhận tiền');
    await f.getByLabel('Nội dung', { exact: true }).fill('Ông X nhận tiền khi làm thủ tục cấp giấy chứng nhận.');
  });
  assert.match(code, /^TC-/);
  assert.match(text, /Luật Tố cáo 2018, Điều 24/);
  // the clerk who recorded it no longer sees who it was, anywhere
  assert.doesNotMatch(text, new RegExp(NAME));
  assert.match(text, /Thông tin người tố cáo được giữ bí mật \(Luật Tố cáo 2018, Điều 47\)/);
  const receipt = await printNotice(clerk, code, 'bien-nhan', /GIẤY BIÊN NHẬN ĐƠN/);
  assert.doesNotMatch(receipt, new RegExp(NAME));
  for (const path of ['/don-thu', '/don-thu?hang=cho-thu-ly', `/don-thu?hang=cho-thu-ly&q=${encodeURIComponent('tố cáo')}`])
    assert.doesNotMatch(await open(clerk, path), new RegExp(NAME), `clerk ${path}`);
  await act(clerk, code, 'Giao người xử lý', async (f) => {
    await f.getByLabel('Người xử lý').selectOption({ label: 'Trần Anh Tuấn' });
    await f.getByLabel('Lãnh đạo quyết định').selectOption({ label: 'Lê Văn Hải' });
  });
  // the handler and the deciding leader see the denouncer
  assert.match(await open(officer, `/don-thu/${code}`), new RegExp(`Họ và tên\\s+${NAME}`));
  assert.match(await open(leader, `/don-thu/${code}`), new RegExp(NAME));
  // a second officer, the inspector and the clerk do not
  for (const [who, p] of [['officer2', officer2], ['viewer', viewer], ['clerk', clerk]]) {
    const t = await open(p, `/don-thu/${code}`, `${who} đơn tố cáo`);
    assert.doesNotMatch(t, new RegExp(NAME), `${who} sees the denouncer`);
    assert.match(t, /Thông tin người tố cáo được giữ bí mật/);
    assert.doesNotMatch(await p.content(), /0912\s?345\s?678|Thôn Đông/, `${who}: the denouncer's contact in the HTML`);
  }
  await act(leader, code, 'Thụ lý', (f) => f.getByLabel('Số văn bản thụ lý').fill('02/QĐ-UBND'));
  const accepted = await printNotice(leader, code, 'thu-ly', /QUYẾT ĐỊNH THỤ LÝ TỐ CÁO/);
  assert.match(accepted, new RegExp(`Kính gửi: Ông/Bà ${NAME}`));
  assert.match(accepted, /Luật Tố cáo 2018, Điều 30/);
  // the same notice printed by the clerk carries no name
  const unnamed = await printNotice(clerk, code, 'thu-ly', /QUYẾT ĐỊNH THỤ LÝ TỐ CÁO/);
  assert.doesNotMatch(unnamed, new RegExp(NAME));
  let page = await act(leader, code, 'Gia hạn (vụ việc phức tạp)', async (f) => {
    await f.getByLabel('Mức độ').selectOption('1');
    await f.getByLabel('Số văn bản gia hạn').fill('03/QĐ-UBND');
    await f.getByLabel('Lý do gia hạn').fill('Phải xác minh tại nhiều nơi');
  });
  assert.match(page, /đã gia hạn 1 lần/);
  const ext = await printNotice(leader, code, 'gia-han', /QUYẾT ĐỊNH GIA HẠN GIẢI QUYẾT TỐ CÁO/);
  assert.match(ext, /Số: 03\/QĐ-UBND/);
  assert.match(ext, /Luật Tố cáo 2018, Điều 30/);
  assert.match(ext, /đến hết ngày \d\d tháng \d\d năm \d{4}/);
  await act(officer, code, 'Bắt đầu xác minh');
  await act(leader, code, 'Ban hành quyết định, kết luận', async (f) => {
    await f.getByLabel('Số văn bản').fill('04/KL-UBND');
    await f.getByLabel('Kết luận nội dung', { exact: true }).selectOption('dung-mot-phan');
    await f.getByLabel(/Nội dung Kết luận nội dung tố cáo/).fill('Tố cáo đúng một phần; kiểm điểm cán bộ.');
  });
  const concl = await printNotice(leader, code, 'quyet-dinh', /KẾT LUẬN NỘI DUNG TỐ CÁO/);
  assert.match(concl, /Số: 04\/KL-UBND/);
  // the law requires the published conclusion before closing (art. 40)
  await open(clerk, `/don-thu/${code}`);
  await Promise.all([clerk.waitForNavigation(),
    clerk.locator('form[aria-label="Đã gửi, kết thúc"] button[type=submit]').click()]);
  assert.match(await clerk.locator('.alert-error').innerText(), /Điều 40/);
  page = await act(officer, code, 'Công khai kết quả', (f) =>
    f.getByLabel(/Nội dung công khai/).fill('Kết luận: nội dung tố cáo đúng một phần; đã kiểm điểm cán bộ.'));
  assert.match(page, /Nội dung đã công khai/);
  await act(clerk, code, 'Đã gửi, kết thúc');
  // the timeline the clerk reads never names the denouncer
  assert.doesNotMatch(await open(clerk, `/don-thu/${code}`), new RegExp(NAME));
});

test('a petition on an administrative regulation: forwarded to the competent body with its notice', async () => {
  const { code, text } = await intake(clerk, 'kien-nghi-qdhc', async (f) => {
    await f.getByLabel('Họ và tên (không bắt buộc)').fill('Võ Văn Kiến');
    await f.getByLabel('Số điện thoại').fill('0987 111 222');
    await f.getByLabel('Lĩnh vực', { exact: true }).selectOption({ label: 'Quy định hành chính' });
    await f.getByLabel('Tiêu đề (tóm tắt nội dung)').fill('Kiến nghị bỏ yêu cầu nộp bản sao sổ hộ khẩu');
    await f.getByLabel('Nội dung', { exact: true }).fill('Thủ tục vẫn yêu cầu bản sao sổ hộ khẩu đã bị bãi bỏ.');
  });
  assert.match(text, /Nghị định 20\/2008\/NĐ-CP, Điều 9/);
  await printNotice(clerk, code, 'bien-nhan', /PHIẾU TIẾP NHẬN/);
  const page = await act(clerk, code, 'Chuyển cơ quan có thẩm quyền', async (f) => {
    await f.getByLabel('Cơ quan có thẩm quyền nhận đơn').fill('Sở Tư pháp tỉnh Quảng Trị');
    await f.getByLabel(/Ghi chú, lý do chuyển/).fill('Quy định thuộc thẩm quyền của tỉnh');
  });
  assert.match(page, /Giai đoạn\s+Đã chuyển cơ quan có thẩm quyền/);
  assert.match(page, /Đã chuyển đến\s+Sở Tư pháp tỉnh Quảng Trị/);
  const fw = await printNotice(clerk, code, 'chuyen-don', /PHIẾU CHUYỂN ĐƠN/);
  assert.match(fw, /Kính gửi: Sở Tư pháp tỉnh Quảng Trị/);
  assert.match(fw, /Nghị định 20\/2008\/NĐ-CP, Điều 9 khoản 1 điểm d/);
});

test('feedback by post, anonymous: a refused form changes nothing; accepted, answered and published', async () => {
  const yesterday = new Date(Date.now() + 7 * 3600e3 - 86400e3).toISOString().slice(0, 10);
  const fill = (danger) => async (f) => {
    await f.getByLabel('Hình thức nhận').selectOption('post');
    await f.getByLabel(/Ngày đơn đến/).fill(yesterday);
    await f.getByLabel(/ẩn danh/).check();
    await f.getByLabel('Lĩnh vực', { exact: true }).selectOption({ label: 'Đường sá, cầu cống hư hỏng' });
    if (danger) await f.getByLabel(/Mức độ nguy hiểm/).selectOption({ label: 'Nguy hiểm, cần xử lý ngay' });
    await f.getByLabel('Tiêu đề (tóm tắt nội dung)').fill('Ổ gà lớn trên đường liên thôn');
    await f.getByLabel('Nội dung', { exact: true }).fill('Ổ gà sâu trước cổng trường tiểu học.');
  };
  const before = await open(clerk, '/don-thu?hang=cho-thu-ly&loai=phan-anh');
  // without the category's required question: refused, said in Vietnamese, nothing stored
  await open(clerk, '/don-thu/tiep-nhan?loai=phan-anh');
  const form = clerk.locator('form[method=post]');
  await fill(false)(form);
  await Promise.all([clerk.waitForNavigation(), form.getByRole('button', { name: 'Tiếp nhận đơn' }).click()]);
  assert.match(await clerk.locator('.alert-error').innerText(), /Đơn chưa được tiếp nhận/);
  assert.equal(await clerk.locator('#subject').inputValue(), 'Ổ gà lớn trên đường liên thôn', 'what was typed stays');
  await checkA11y(clerk, 'tiếp nhận lỗi');
  assert.equal(await open(clerk, '/don-thu?hang=cho-thu-ly&loai=phan-anh'), before);
  const { code, text } = await intake(clerk, 'phan-anh', fill(true));
  assert.match(code, /^PA-/);
  assert.match(text, /Cơ quan xử lý, trả lời chậm nhất ngày/);
  assert.match(text, /Nhận lúc\s+\d\d\/\d\d\/\d{4} \d\d:\d\d · Qua bưu chính/);
  assert.match(text, /Đơn không ghi tên người gửi/);
  await printNotice(clerk, code, 'bien-nhan', /PHIẾU TIẾP NHẬN/);
  await act(clerk, code, 'Giao người xử lý', (f) => f.getByLabel('Người xử lý').selectOption({ label: 'Trần Anh Tuấn' }));
  await act(officer, code, 'Nhận xử lý');
  await printNotice(officer, code, 'thu-ly', /THÔNG BÁO TIẾP NHẬN XỬ LÝ PHẢN ÁNH, KIẾN NGHỊ/);
  await act(officer, code, 'Ban hành văn bản trả lời', (f) =>
    f.getByLabel(/Nội dung Văn bản trả lời/).fill('Đã vá ổ gà ngày hôm nay.'));
  const answer = await printNotice(officer, code, 'quyet-dinh', /VĂN BẢN TRẢ LỜI PHẢN ÁNH, KIẾN NGHỊ/);
  assert.match(answer, /Đã vá ổ gà/);
  const page = await act(officer, code, 'Công khai trả lời', (f) => f.getByLabel(/Nội dung công khai/).fill('Đã vá ổ gà.'));
  assert.match(page, /Nội dung đã công khai\s+Đã vá ổ gà\./);
  await act(officer, code, 'Đã gửi, kết thúc');
});

test('a suggestion: a repeated one is linked and merged; the first answered', async () => {
  const fill = async (f) => {
    await f.getByLabel('Họ và tên (không bắt buộc)').fill('Lê Thị Góp');
    await f.getByLabel('Số điện thoại').fill('0905 000 111');
    await f.getByLabel('Tiêu đề (tóm tắt nội dung)').fill('Đề nghị mở cửa nhận hồ sơ sáng thứ Bảy');
    await f.getByLabel('Nội dung', { exact: true }).fill('Người đi làm không kịp nộp hồ sơ trong tuần.');
  };
  const first = await intake(clerk, 'gop-y', fill);
  assert.match(first.code, /^GY-/);
  const again = await intake(clerk, 'gop-y', fill);
  assert.notEqual(again.code, first.code);
  assert.match(again.text, new RegExp(`liên kết với đơn ${first.code}`));
  await act(clerk, again.code, 'Gộp vào đơn trùng', (f) => f.getByLabel(/Mã đơn đã nhận trước/).fill(first.code));
  await act(clerk, first.code, 'Giao người xử lý', (f) => f.getByLabel('Người xử lý').selectOption({ label: 'Trần Anh Tuấn' }));
  await act(officer, first.code, 'Ban hành văn bản trả lời', (f) =>
    f.getByLabel(/Nội dung Văn bản trả lời/).fill('Từ tháng sau, Bộ phận Một cửa nhận hồ sơ sáng thứ Bảy.'));
  const answer = await printNotice(officer, first.code, 'quyet-dinh', /VĂN BẢN TRẢ LỜI GÓP Ý/);
  assert.match(answer, /Kính gửi: Ông\/Bà Lê Thị Góp/);
  await act(officer, first.code, 'Đã gửi, kết thúc');
});

test('the queues: tabs, filters, due dates in words; cards on a 360-pixel phone', async () => {
  const text = await open(officer, '/don-thu', 'đơn thư của tôi');
  assert.match(text, /Của tôi/);
  const nav = officer.getByRole('navigation', { name: 'Điều hướng chính' });
  assert.equal(await nav.getByRole('link', { name: 'Đơn thư' }).count(), 1);
  for (const tab of ['cho-thu-ly', 'dang-giai-quyet', 'cho-gui', 'ket-thuc', 'qua-han', 'sap-den-han'])
    await open(leader, `/don-thu?hang=${tab}`, `hàng ${tab}`);
  // a new complaint waits for acceptance: due in dd/mm/yyyy and in words
  await intake(clerk, 'khieu-nai-1', async (f) => {
    await f.getByLabel('Họ và tên').fill('Hồ Văn Hàng Đợi Có Tên Rất Dài Để Thử Màn Hình Hẹp');
    await f.getByLabel('Số điện thoại').fill('0913 000 999');
    await f.getByLabel('Địa chỉ người gửi').fill('Thôn Bắc');
    await f.getByLabel(/Quyết định, hành vi bị khiếu nại/).fill('Hành vi của cán bộ tư pháp');
    await f.getByLabel('Tiêu đề (tóm tắt nội dung)').fill('Khiếu nại việc từ chối chứng thực bản sao giấy tờ nhà đất');
    await f.getByLabel('Nội dung', { exact: true }).fill('Cán bộ từ chối chứng thực không nêu lý do.');
  });
  const q = await open(leader, '/don-thu?hang=cho-thu-ly&loai=khieu-nai-1');
  assert.match(q, /\d\d\/\d\d\/\d{4} — còn \d+ ngày/);
  assert.doesNotMatch(q, /Hồ Văn Hàng Đợi/, 'no sender in a queue');
  // the admin has no case screens
  const admin = await (await team.browser.newContext()).newPage();
  await loginAs(admin, srv.url, 'admin', srv.adminPassword);
  assert.equal((await admin.goto(`${srv.url}/don-thu`)).status(), 403);
  await admin.context().close();
  // on a phone: every column is there, as a card
  const ctx = await team.browser.newContext({ viewport: { width: 360, height: 740 } });
  const p = await ctx.newPage();
  await loginAs(p, srv.url, 'hai.leader', PW);
  await open(p, '/don-thu?hang=cho-thu-ly', 'hàng @360');
  await checkNoOverflow(p, 'đơn thư @360');
  const cells = await p.locator('table.list tbody tr').first().locator('td')
    .evaluateAll((tds) => tds.map((td) => [td.dataset.label, getComputedStyle(td, '::before').content]));
  assert.deepEqual(cells.map((c) => c[0]), ['Mã đơn', 'Loại', 'Tiêu đề', 'Nhận ngày', 'Hạn', 'Giai đoạn', 'Người xử lý']);
  for (const [label, before] of cells) assert.equal(before, `"${label}"`);
  const code = await p.locator('table.list tbody tr a').first().innerText();
  await open(p, `/don-thu/${code}`, 'đơn @360');
  await checkNoOverflow(p, 'đơn @360');
  await open(p, '/don-thu/tiep-nhan?loai=phan-anh', 'tiếp nhận @360');
  await checkNoOverflow(p, 'tiếp nhận @360');
  await ctx.close();
});

// Reminders before the legal limit, on a server whose wall clock
// libfaketime sets: a complaint received on Monday 1 March 2027 must be
// accepted within 10 working days (to the end of Monday 15 March).
test('reminders: due soon two working days before the limit, then overdue in red and in words', async () => {
  const FAKE = '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1';
  const env = (utc) => ({ LD_PRELOAD: FAKE, FAKETIME: `@${utc}`, FAKETIME_DONT_FAKE_MONOTONIC: '1', TZ: 'UTC' });
  let s = await startServer({ env: env('2027-03-01 02:00:00') });
  const dir = s.dir;
  execFileSync(BIN, ['user', 'add', '--data', dir, '--username', 'nhac.clerk', '--role', 'clerk',
    '--full-name', 'Mai Thị Nhắc Hạn', '--password-stdin'], { input: PW + '\n' });
  const browser = await launch();
  const as = async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    await loginAs(page, s.url, 'nhac.clerk', PW);
    return page;
  };
  try {
    let c = await as();
    await c.goto(`${s.url}/don-thu/tiep-nhan?loai=khieu-nai-1`);
    const f = c.locator('form[method=post]');
    await f.getByLabel('Họ và tên').fill('Đặng Văn Hạn');
    await f.getByLabel('Số điện thoại').fill('0914 555 666');
    await f.getByLabel('Địa chỉ người gửi').fill('Thôn Tây');
    await f.getByLabel(/Quyết định, hành vi bị khiếu nại/).fill('Quyết định xử phạt số 7/QĐ-XPHC');
    await f.getByLabel('Tiêu đề (tóm tắt nội dung)').fill('Khiếu nại quyết định xử phạt');
    await f.getByLabel('Nội dung', { exact: true }).fill('Mức phạt không đúng quy định.');
    await Promise.all([c.waitForNavigation(), f.getByRole('button', { name: 'Tiếp nhận đơn' }).click()]);
    assert.match(await c.locator('main').innerText(), /chậm nhất ngày 15\/03\/2027/);
    const code = c.url().match(/\/don-thu\/([^?]+)/)[1];
    await c.context().close();
    // Friday 12 March, 10:00: due within two working days
    assert.equal(await s.stop({ keep: true }), 0);
    s = await startServer({ dir, env: env('2027-03-12 03:00:00') });
    c = await as();
    await c.goto(`${s.url}/don-thu?hang=sap-den-han`);
    let t = await c.locator('main').innerText();
    assert.match(t, /1 đơn sắp đến hạn, 0 đơn quá hạn/);
    assert.match(t, new RegExp(`${code}[\\s\\S]*15/03/2027 — còn 3 ngày`));
    assert.match(t, /^1 đơn\.$/m);
    await checkA11y(c, 'sắp đến hạn');
    await c.context().close();
    // Thursday 18 March: overdue, in red and in words
    assert.equal(await s.stop({ keep: true }), 0);
    s = await startServer({ dir, env: env('2027-03-18 03:00:00') });
    c = await as();
    await c.goto(`${s.url}/don-thu?hang=qua-han`);
    t = await c.locator('main').innerText();
    assert.match(t, /0 đơn sắp đến hạn, 1 đơn quá hạn/);
    const late = c.locator('table.list tbody tr').filter({ hasText: code }).locator('strong.warn');
    assert.equal(await late.innerText(), '15/03/2027 — quá hạn 3 ngày');
    assert.equal(await late.evaluate((el) => getComputedStyle(el).color), await c.locator('.warn').first()
      .evaluate((el) => getComputedStyle(el).color));
    assert.notEqual(await late.evaluate((el) => getComputedStyle(el).color), 'rgb(0, 0, 0)');
    // once overdue it is no longer "due soon"
    await c.goto(`${s.url}/don-thu?hang=sap-den-han`);
    assert.match(await c.locator('main').innerText(), /Không có đơn nào trong hàng này/);
    await c.goto(`${s.url}/don-thu/${code}`);
    assert.match(await c.locator('main').innerText(), /Hạn\s+15\/03\/2027 — quá hạn 3 ngày/);
    await checkA11y(c, 'quá hạn');
    await c.context().close();
  } finally {
    await browser.close();
    assert.equal(await s.stop(), 0);
  }
});
