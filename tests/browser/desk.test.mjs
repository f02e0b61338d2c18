// desk.test.mjs — the one-stop desk in a real browser (issue #5): a clerk,
// an officer and a leader, each in their own browser, walk dossiers down
// every path — returned on time, supplemented, refused at reception,
// withdrawn, apologised for with a new date — and print each form (A4 PDF
// through Chromium's print engine); the citizen follows the receipt's QR
// address to /tra-cuu, where a supplement request lists the papers still
// missing and a refusal gives its reason.  Every page is checked with axe-core and at 360 and
// 1280 pixels.  (Lateness itself is proven with a moved clock in
// tests/http/test_clock.c.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launch, checkA11y, shoot, loginAs, addStaff, actOn, BIN, SHOTS } from './lib.mjs';

const PW = 'mat-khau-thu-123';
const EVIL = 'Lê <img src=x onerror=alert(1)> Thị Hoa';
let srv, browser, clerk, officer, leader;

async function staffPage(username) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  page.on('dialog', () => assert.fail('a script ran: markup was not escaped'));
  await loginAs(page, srv.url, username, PW);
  return page;
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  srv = await startServer();
  addStaff(srv.dir, [['hoa.clerk', 'clerk', 'Nguyễn Thị Tiếp Nhận'],
    ['binh.officer', 'officer', 'Phạm Văn Chuyên Viên'], ['chu.leader', 'leader', 'Hoàng Văn Lãnh Đạo']], PW);
  browser = await launch();
  clerk = await staffPage('hoa.clerk');
  officer = await staffPage('binh.officer');
  leader = await staffPage('chu.leader');
});

after(async () => {
  await browser?.close();
  assert.equal(await srv?.stop(), 0);
});

// Receives a birth registration at the desk; returns the dossier code.
async function intake(name, phone, how = 'Tiếp nhận và hẹn ngày trả') {
  const p = clerk;
  await p.goto(`${srv.url}/mot-cua/tiep-nhan`);
  await p.getByLabel('Thủ tục hành chính').selectOption('1.001193');
  await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Chọn thủ tục' }).click()]);
  await p.getByLabel('Họ và tên').first().fill(name);
  await p.getByLabel('Số định danh cá nhân (12 số)').fill('001185012345');
  await p.getByLabel('Ngày sinh').fill('1985-03-02');
  await p.getByLabel('Giới tính').selectOption('female');
  await p.getByLabel('Số điện thoại').first().fill(phone);
  await p.getByLabel('Địa chỉ').fill('Thôn Đông, xã Phong Hải');
  await p.getByLabel('Phí, lệ phí (đồng)').fill('8000');
  await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: how }).click()]);
  const h1 = await p.locator('h1').innerText();
  const m = h1.match(/Hồ sơ (\S+)/);
  assert.ok(m, `no dossier page after intake: ${h1}`);
  return m[1];
}

// Takes an action through its form on the dossier page.
function act(page, code, label, fill) {
  return actOn(page, srv.url, code, label, fill);
}

// Opens printed form `no`, checks it and prints it to an A4 PDF.
async function print(page, code, no, expect, base = srv.url) {
  const res = await page.goto(`${base}/mot-cua/ho-so/${code}/in/${no}`);
  assert.equal(res.status(), 200, `form ${no} of ${code}`);
  const text = await page.locator('main').innerText();
  assert.match(text, expect);
  assert.match(text, /CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM/);
  await checkA11y(page, `mẫu ${no}`);
  assert.equal(await page.locator('figure.qr svg path').count(), 1, `QR on form ${no}`);
  await page.screenshot({ path: join(SHOTS, `mau-${no}.png`), fullPage: true });
  const file = join(SHOTS, `mau-${no}-${code}.pdf`);
  await page.pdf({ path: file, format: 'A4', printBackground: false });
  const pdf = readFileSync(file, 'latin1');
  const pages = (pdf.match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert.ok(statSync(file).size > 5000 && pages >= 1, `form ${no} PDF: ${pages} pages`);
  return text;
}

test('returned on time: intake, receipt, assign, approve, result, return, control sheet', async () => {
  const code = await intake(EVIL, '0912 345 678');
  await checkA11y(clerk, 'trang hồ sơ');
  await shoot(clerk, 'ho-so');
  assert.match(await clerk.locator('main').innerText(), /Lê <img src=x onerror=alert\(1\)> Thị Hoa/);
  const receipt = await print(clerk, code, '01', /GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ/);
  assert.match(receipt, /Tám nghìn đồng/);
  assert.match(receipt, /Lê <img src=x onerror=alert\(1\)> Thị Hoa/);
  await act(clerk, code, 'Chuyển xử lý', (f) => f.getByLabel('Chuyển cho cán bộ').selectOption({ label: 'Phạm Văn Chuyên Viên' }));
  await act(officer, code, 'Trình lãnh đạo phê duyệt', (f) => f.getByLabel('Lãnh đạo ký duyệt').selectOption({ label: 'Hoàng Văn Lãnh Đạo' }));
  await leader.goto(`${srv.url}/mot-cua`);
  assert.match(await leader.locator('main').innerText(), new RegExp(code.replace(/\./g, '\\.')));
  await checkA11y(leader, 'hàng đợi lãnh đạo');
  await act(leader, code, 'Phê duyệt');
  await act(officer, code, 'Đã có kết quả');
  await act(clerk, code, 'Trả kết quả', async (f) => {
    await f.getByLabel('Người nhận kết quả').fill('Lê Thị Hoa');
    await f.getByLabel('Số giấy tờ tùy thân đã xuất trình').fill('001185012345');
  });
  const page = await clerk.locator('main').innerText();
  assert.match(page, /Đã trả kết quả/);
  assert.match(page, /Trước hạn|Đúng hạn/);
  const sheet = await print(clerk, code, '05', /PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ/);
  assert.match(sheet, /Phạm Văn Chuyên Viên/);
  assert.match(sheet, /Hoàng Văn Lãnh Đạo/);
  // the citizen scans the receipt's QR code: the lookup page, code filled in
  await clerk.goto(`${srv.url}/mot-cua/ho-so/${code}/in/01`);
  const url = (await clerk.locator('figure.qr figcaption').innerText()).replace(/^.*?: /, '');
  const citizen = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const cp = await citizen.newPage();
  await cp.goto(url.replace(/^https?:\/\/[^/]+/, srv.url));
  assert.equal(await cp.getByLabel('Mã hồ sơ').inputValue(), code);
  assert.equal(await cp.locator('.alert-error').count(), 0);   // no error before anything is typed
  await cp.getByLabel('Số điện thoại hoặc số định danh cá nhân (12 số)').fill('0900000000');
  await Promise.all([cp.waitForNavigation(), cp.getByRole('button', { name: 'Tra cứu' }).click()]);
  assert.doesNotMatch(await cp.locator('main').innerText(), /khai sinh/);
  await cp.getByLabel('Số điện thoại hoặc số định danh cá nhân (12 số)').fill('+84 912 345 678');
  await Promise.all([cp.waitForNavigation(), cp.getByRole('button', { name: 'Tra cứu' }).click()]);
  const found = await cp.locator('main').innerText();
  assert.match(found, /Thủ tục đăng ký khai sinh/);
  assert.match(found, /Đã trả kết quả|trả kết quả/i);
  await checkA11y(cp, 'tra cứu');
  await shoot(cp, 'tra-cuu');
  await citizen.close();
});

test('supplemented: the officer asks for papers, the clock pauses, the desk receives them', async () => {
  const code = await intake('Trần Văn Bổ Sung', '0987 000 111');
  await act(clerk, code, 'Chuyển xử lý', (f) => f.getByLabel('Chuyển cho cán bộ').selectOption({ label: 'Phạm Văn Chuyên Viên' }));
  await act(officer, code, 'Yêu cầu bổ sung giấy tờ', (f) =>
    f.getByLabel('Giấy tờ cần bổ sung, hoàn thiện và lý do').fill('Bản sao giấy chứng sinh có chứng thực'));
  assert.match(await officer.locator('main').innerText(), /tạm dừng/);
  const supp = await print(officer, code, '02', /PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ/);
  assert.match(supp, /Bản sao giấy chứng sinh có chứng thực/);
  await clerk.goto(`${srv.url}/mot-cua?hang=cho-bo-sung`);
  assert.match(await clerk.locator('main').innerText(), /Trần Văn Bổ Sung/);
  await checkA11y(clerk, 'hàng chờ bổ sung');
  await act(clerk, code, 'Đã nhận giấy tờ bổ sung');
  assert.match(await clerk.locator('main').innerText(), /Đang xử lý/);
});

test('refused at reception and withdrawn', async () => {
  const refused = await intake('Võ Thị Từ Chối', '0977 123 456', 'Lưu, chưa tiếp nhận');
  await act(clerk, refused, 'Từ chối tiếp nhận', (f) =>
    f.getByLabel('Lý do từ chối').fill('Hồ sơ thuộc thẩm quyền của UBND xã nơi cư trú của người mẹ'));
  const refusal = await print(clerk, refused, '03', /PHIẾU TỪ CHỐI TIẾP NHẬN HỒ SƠ/);
  assert.match(refusal, /thẩm quyền của UBND xã nơi cư trú/);
  const gone = await intake('Đinh Văn Rút', '0966 123 456');
  await act(clerk, gone, 'Rút hồ sơ theo yêu cầu', (f) => f.getByRole('checkbox').check());
  assert.match(await clerk.locator('main').innerText(), /rút hồ sơ/i);
});

// Looks a dossier up as the applicant does, on a phone; returns the page.
async function citizenLookup(code, phone) {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const p = await ctx.newPage();
  await p.goto(`${srv.url}/tra-cuu?ma=${code}`);
  await p.getByLabel('Số điện thoại hoặc số định danh cá nhân (12 số)').fill(phone);
  await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Tra cứu' }).click()]);
  return p;
}

test('the citizen is told which papers are missing, at /tra-cuu on a phone', async () => {
  const code = await intake('Kiều Thị Còn Thiếu', '0944 555 666');
  await act(clerk, code, 'Chuyển xử lý', (f) => f.getByLabel('Chuyển cho cán bộ').selectOption({ label: 'Phạm Văn Chuyên Viên' }));
  await act(officer, code, 'Yêu cầu bổ sung giấy tờ', async (f) => {
    await f.getByLabel('Giấy tờ cần bổ sung, hoàn thiện và lý do').fill('Thiếu giấy tờ chứng minh quan hệ cha con');
    await f.getByLabel(/Giấy tờ còn thiếu/).fill('Giấy chứng sinh (bản chính)\n\n  Giấy chứng nhận kết hôn của cha mẹ  \n');
  });
  assert.match(await officer.locator('main').innerText(), /Giấy tờ còn thiếu:\s+Giấy chứng sinh \(bản chính\)/);
  const supp = await print(officer, code, '02', /PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ/);
  assert.match(supp, /Giấy chứng nhận kết hôn của cha mẹ/);
  const p = await citizenLookup(code, '0944555666');
  const box = p.locator('#can-bo-sung');
  assert.match(await box.innerText(), /Thiếu giấy tờ chứng minh quan hệ cha con/);
  assert.deepEqual(await box.locator('li').allInnerTexts(),
    ['Giấy chứng sinh (bản chính)', 'Giấy chứng nhận kết hôn của cha mẹ']);
  await checkA11y(p, 'tra cứu: cần bổ sung');
  await shoot(p, 'tra-cuu-bo-sung');
  await p.context().close();
});

test('refused after processing: the notice (mẫu 03) prints on one A4 page; the citizen reads the reason', async () => {
  const code = await intake('Lâm Văn Bị Từ Chối', '0944 777 888');
  await act(clerk, code, 'Chuyển xử lý', (f) => f.getByLabel('Chuyển cho cán bộ').selectOption({ label: 'Phạm Văn Chuyên Viên' }));
  await act(officer, code, 'Trình lãnh đạo phê duyệt', (f) => f.getByLabel('Lãnh đạo ký duyệt').selectOption({ label: 'Hoàng Văn Lãnh Đạo' }));
  await act(leader, code, 'Từ chối giải quyết', (f) =>
    f.getByLabel(/Lý do/).fill('Người yêu cầu không phải là cha, mẹ hoặc người thân thích của trẻ'));
  await leader.getByRole('link', { name: /Mẫu 03/ }).click();
  await leader.waitForURL(/\/in\/03$/);
  const text = await print(leader, code, '03', /PHIẾU TỪ CHỐI GIẢI QUYẾT HỒ SƠ/);
  assert.match(text, /Người yêu cầu không phải là cha, mẹ hoặc người thân thích của trẻ/);
  const pdf = readFileSync(join(SHOTS, `mau-03-${code}.pdf`), 'latin1');
  assert.equal((pdf.match(/\/Type\s*\/Page[^s]/g) || []).length, 1, 'the refusal notice is one A4 page');
  const p = await citizenLookup(code, '0944777888');
  assert.match(await p.locator('#ly-do-tu-choi').innerText(), /không phải là cha, mẹ hoặc người thân thích/);
  await checkA11y(p, 'tra cứu: bị từ chối');
  await p.context().close();
});

test('apology with a new date before the promised time', async () => {
  const code = await intake('Lý Thị Xin Lỗi', '0955 123 456');
  await act(clerk, code, 'Chuyển xử lý', (f) => f.getByLabel('Chuyển cho cán bộ').selectOption({ label: 'Phạm Văn Chuyên Viên' }));
  await act(officer, code, 'Xin lỗi, hẹn lại ngày trả', async (f) => {
    await f.getByLabel('Ngày hẹn trả mới').fill('2031-12-31');
    await f.getByLabel('Lý do chậm trả kết quả').fill('Chờ kết quả xác minh của xã khác');
  });
  assert.match(await officer.locator('main').innerText(), /hẹn lại: 31\/12\/2031/);
  const apology = await print(officer, code, '04', /PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ/);
  assert.match(apology, /17 giờ 00 phút, ngày 31 tháng 12 năm 2031/);
  assert.match(apology, /Chờ kết quả xác minh của xã khác/);
});

test('queues, search, register: accessible at phone and desktop widths', async () => {
  await clerk.goto(`${srv.url}/mot-cua`);
  await checkA11y(clerk, 'bộ phận một cửa');
  await shoot(clerk, 'mot-cua');
  await clerk.getByLabel('Mã hồ sơ, tên, số định danh hoặc số điện thoại').fill('tran van bo sung');
  await Promise.all([clerk.waitForNavigation(), clerk.getByRole('button', { name: 'Tìm', exact: true }).click()]);
  assert.match(await clerk.locator('main').innerText(), /Trần Văn Bổ Sung/);
  await checkA11y(clerk, 'tìm hồ sơ');
  await clerk.goto(`${srv.url}/mot-cua/tiep-nhan?thu_tuc=1.001193`);
  await checkA11y(clerk, 'tiếp nhận');
  await shoot(clerk, 'tiep-nhan');
  const res = await clerk.goto(`${srv.url}/mot-cua/so-theo-doi`);
  assert.equal(res.status(), 200);
  const reg = await clerk.locator('main').innerText();
  assert.match(reg, /SỔ THEO DÕI HỒ SƠ/);
  assert.match(reg, /Lê <img src=x onerror=alert\(1\)> Thị Hoa/);
  await checkA11y(clerk, 'sổ theo dõi');
  await clerk.pdf({ path: join(SHOTS, 'mau-06.pdf'), format: 'A4', landscape: true });
  // the home page's lookup box leads to /tra-cuu
  const anon = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const ap = await anon.newPage();
  await ap.goto(`${srv.url}/`);
  await ap.getByLabel('Mã hồ sơ (in trên Giấy tiếp nhận)').fill('000.00.00.H00-000000-0001');
  await ap.getByLabel('Số điện thoại hoặc số định danh cá nhân (12 số)').fill('0912345678');
  await Promise.all([ap.waitForNavigation(), ap.getByRole('button', { name: 'Tra cứu' }).click()]);
  assert.doesNotMatch(ap.url(), /0912345678/);   // the key never travels in the address
  assert.match(ap.url(), /\/tra-cuu$/);
  assert.match(await ap.locator('main').innerText(), /Không tìm thấy hồ sơ/);
  await anon.close();
});

test('the leader approves two dossiers at once; the desk sees today\'s appointments', async () => {
  const codes = [];
  for (const name of ['Đinh Văn Một', 'Đinh Thị Hai']) {
    const code = await intake(name, '0966111222');
    await act(clerk, code, 'Chuyển xử lý', (f) => f.getByLabel('Chuyển cho cán bộ').selectOption({ label: 'Phạm Văn Chuyên Viên' }));
    await act(officer, code, 'Trình lãnh đạo phê duyệt', (f) => f.getByLabel('Lãnh đạo ký duyệt').selectOption({ label: 'Hoàng Văn Lãnh Đạo' }));
    codes.push(code);
  }
  await leader.goto(`${srv.url}/mot-cua`);
  await checkA11y(leader, 'việc chờ phê duyệt');
  await shoot(leader, 'mot-cua-lanh-dao');
  for (const code of codes) await leader.getByLabel(`Chọn hồ sơ ${code}`).check();
  await leader.getByLabel('Ý kiến phê duyệt (không bắt buộc)').fill('Đồng ý');
  await Promise.all([leader.waitForNavigation(), leader.getByRole('button', { name: 'Phê duyệt các hồ sơ đã chọn' }).click()]);
  assert.match(await leader.getByRole('status').first().innerText(), /Đã phê duyệt 2 hồ sơ\./);
  for (const code of codes) {
    await leader.goto(`${srv.url}/mot-cua/ho-so/${code}`);
    assert.match(await leader.locator('main').innerText(), /Đã phê duyệt/);
  }
  // the desk's view of today's appointments
  await clerk.goto(`${srv.url}/mot-cua?hang=hen-tra-hom-nay`);
  assert.equal(await clerk.getByRole('link', { name: 'Hẹn trả hôm nay' }).getAttribute('aria-current'), 'page');
  await checkA11y(clerk, 'hẹn trả hôm nay');
  await shoot(clerk, 'mot-cua-hen-tra-hom-nay');
});

test('the intake form sent again (a resubmission after a dropped connection) receives one dossier', async () => {
  const p = clerk;
  await p.goto(`${srv.url}/mot-cua/tiep-nhan?thu_tuc=1.001193`);
  await p.getByLabel('Họ và tên').first().fill('Phùng Văn Gửi Lại');
  await p.getByLabel('Số điện thoại').first().fill('0988777666');
  let body = null;
  const keep = (r) => { if (r.method() === 'POST' && r.url().endsWith('/mot-cua/tiep-nhan')) body = r.postData(); };
  p.on('request', keep);
  await Promise.all([p.waitForURL(/\/mot-cua\/ho-so\//), p.getByRole('button', { name: 'Tiếp nhận và hẹn ngày trả' }).click()]);
  p.off('request', keep);
  const first = new URL(p.url()).pathname;
  assert.match(body, /submission=[A-Za-z0-9_-]{16,}/);
  // what the browser's "Confirm Form Resubmission" sends: the same body, same cookies
  const again = await p.request.post(`${srv.url}/mot-cua/tiep-nhan`, {
    data: body, headers: { 'content-type': 'application/x-www-form-urlencoded', origin: srv.url },
  });
  assert.equal(again.status(), 200);
  assert.equal(new URL(again.url()).pathname, first);
  assert.match(await again.text(), /không tạo hồ sơ trùng/);
  await p.goto(`${srv.url}/mot-cua?q=${encodeURIComponent('phung van gui lai')}`);
  assert.match(await p.getByRole('status').first().innerText(), /^1 hồ sơ/);
});

test('the clerk finds the procedure by typing a few letters', async () => {
  const p = clerk;
  await p.goto(`${srv.url}/mot-cua/tiep-nhan`);
  for (const q of ['ks', 'khai sinh', 'dang ky khai sinh']) {
    await p.getByLabel('Tìm nhanh thủ tục').fill(q);
    await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Tìm', exact: true }).click()]);
    const hits = await p.locator('.quick-hits a').allInnerTexts();
    const picked = await p.locator('h2').allInnerTexts();
    assert.ok(hits.includes('Thủ tục đăng ký khai sinh') || picked.includes('Thủ tục đăng ký khai sinh'),
      `${q}: ${hits.join(' | ')}`);
  }
  await checkA11y(p, 'tìm nhanh thủ tục');
  await p.goto(`${srv.url}/mot-cua/tiep-nhan?tim=ks`);
  await Promise.all([p.waitForNavigation(), p.getByRole('link', { name: 'Thủ tục đăng ký khai sinh', exact: true }).click()]);
  assert.equal(await p.locator('h2').first().innerText(), 'Thủ tục đăng ký khai sinh');
  assert.match(await p.locator('main').innerText(), /Tờ khai đăng ký khai sinh/);
  // nothing matches: said plainly
  await p.goto(`${srv.url}/mot-cua/tiep-nhan?tim=zzqq`);
  assert.match(await p.getByRole('status').first().innerText(), /Không có thủ tục nào khớp “zzqq”/);
});

test('the applicant rates the service once, on a phone, after collecting the result', async () => {
  const code = await intake('Tạ Thị Đánh Giá', '0933222111');
  await act(clerk, code, 'Chuyển xử lý', (f) => f.getByLabel('Chuyển cho cán bộ').selectOption({ label: 'Phạm Văn Chuyên Viên' }));
  await act(officer, code, 'Trình lãnh đạo phê duyệt', (f) => f.getByLabel('Lãnh đạo ký duyệt').selectOption({ label: 'Hoàng Văn Lãnh Đạo' }));
  await act(leader, code, 'Phê duyệt');
  await act(officer, code, 'Đã có kết quả');
  await act(clerk, code, 'Trả kết quả', async (f) => {
    await f.getByLabel('Người nhận kết quả').fill('Tạ Thị Đánh Giá');
    await f.getByLabel('Số giấy tờ tùy thân đã xuất trình').fill('001185012345');
  });
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const p = await ctx.newPage();
  await p.goto(`${srv.url}/tra-cuu?ma=${code}`);
  await p.getByLabel('Số điện thoại hoặc số định danh cá nhân (12 số)').fill('0933222111');
  await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Tra cứu' }).click()]);
  assert.doesNotMatch(p.url(), /0933222111/);
  await checkA11y(p, 'tra cứu + đánh giá');
  await shoot(p, 'danh-gia');
  await p.getByLabel('Hài lòng', { exact: true }).check();
  await p.getByLabel('Ý kiến góp ý (không bắt buộc)').fill('Cán bộ hướng dẫn tận tình.');
  await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Gửi đánh giá' }).click()]);
  assert.match(await p.getByRole('status').first().innerText(), /Cảm ơn ông\/bà đã đánh giá/);
  assert.doesNotMatch(p.url(), /0933222111/);
  // looking it up again shows the rating given, and no form
  await p.getByLabel('Số điện thoại hoặc số định danh cá nhân (12 số)').fill('0933222111');
  await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Tra cứu' }).click()]);
  assert.match(await p.locator('main').innerText(), /đã đánh giá hồ sơ này: Hài lòng/);
  assert.equal(await p.getByRole('button', { name: 'Gửi đánh giá' }).count(), 0);
  await checkA11y(p, 'đã đánh giá');
  await ctx.close();
  await leader.goto(`${srv.url}/mot-cua`);
  assert.match(await leader.locator('.ratings-summary').innerText(), /hài lòng \(\d+ lượt/);
});

// Late with an apology, on a server whose wall clock libfaketime sets
// (Friday 5 March 2027, Hà Nội time): a same-day registration received at
// 10:00 is due at 17:00; the officer apologises at 16:59 with a new date;
// the result is ready at 17:30 — late, and the forms say so.
test('late with an apology: the clock moves, the dossier counts as late', async () => {
  const FAKE = '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1';   // thread-safe variant
  const env = (utc) => ({ LD_PRELOAD: FAKE, FAKETIME: `@${utc}`, FAKETIME_DONT_FAKE_MONOTONIC: '1', TZ: 'UTC' });
  let s = await startServer({ env: env('2027-03-05 03:00:00') });
  const dir = s.dir;
  for (const [u, role, name] of [['tre.clerk', 'clerk', 'Mai Thị Một Cửa'], ['tre.officer', 'officer', 'Đoàn Văn Xử Lý'],
    ['tre.leader', 'leader', 'Lương Văn Ký']]) {
    execFileSync(BIN, ['user', 'add', '--data', dir, '--username', u, '--role', role,
      '--full-name', name, '--password-stdin'], { input: PW + '\n' });
  }
  const as = async (user) => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    await loginAs(page, s.url, user, PW);
    return page;
  };
  const goto = (page, path) => page.goto(`${s.url}${path}`);
  let c = await as('tre.clerk');
  const received = [];
  for (const [name, phone] of [['Phan Thị Trễ Hẹn', '0912 888 999'], ['Phan Văn Xin Lỗi Muộn', '0912 888 998']]) {
    await goto(c, '/mot-cua/tiep-nhan?thu_tuc=1.001193');
    await c.getByLabel('Họ và tên').first().fill(name);
    await c.getByLabel('Số điện thoại').first().fill(phone);
    await Promise.all([c.waitForNavigation(), c.getByRole('button', { name: 'Tiếp nhận và hẹn ngày trả' }).click()]);
    received.push((await c.locator('h1').innerText()).replace('Hồ sơ ', ''));
    assert.match(await c.locator('main').innerText(), /Hẹn trả\s+05\/03\/2027 17:00/);
    const form = c.locator('form[aria-label="Chuyển xử lý"]');
    await form.getByLabel('Chuyển cho cán bộ').selectOption({ label: 'Đoàn Văn Xử Lý' });
    await Promise.all([c.waitForNavigation(), form.locator('button[type=submit]').click()]);
  }
  const [code, other] = received;
  await c.context().close();
  let o = await as('tre.officer');
  await goto(o, `/mot-cua/ho-so/${code}`);
  const sub = o.locator('form[aria-label="Trình lãnh đạo phê duyệt"]');
  await sub.getByLabel('Lãnh đạo ký duyệt').selectOption({ label: 'Lương Văn Ký' });
  await Promise.all([o.waitForNavigation(), sub.locator('button[type=submit]').click()]);
  await o.context().close();
  // 16:59:50: the apology, before the promised time
  assert.equal(await s.stop({ keep: true }), 0);
  s = await startServer({ dir, env: env('2027-03-05 09:59:50') });
  o = await as('tre.officer');
  await goto(o, `/mot-cua/ho-so/${code}`);
  const ap = o.locator('form[aria-label="Xin lỗi, hẹn lại ngày trả"]');
  await ap.getByLabel('Ngày hẹn trả mới').fill('2027-03-08');
  await ap.getByLabel('Lý do chậm trả kết quả').fill('Chờ trích lục từ xã khác');
  await Promise.all([o.waitForNavigation(), ap.locator('button[type=submit]').click()]);
  assert.match(await o.locator('main').innerText(), /hẹn lại: 08\/03\/2027 17:00/);
  await o.context().close();
  // 17:30: past the promised time an apology is still recorded, marked as
  // sent late (issue #12 item 6): the other dossier had none in time
  assert.equal(await s.stop({ keep: true }), 0);
  s = await startServer({ dir, env: env('2027-03-05 10:30:00') });
  o = await as('tre.officer');
  await goto(o, `/mot-cua/ho-so/${other}`);
  const late = o.locator('form[aria-label="Xin lỗi, hẹn lại ngày trả"]');
  await late.getByLabel('Ngày hẹn trả mới').fill('2027-03-09');
  await late.getByLabel('Lý do chậm trả kết quả').fill('Xã khác chưa gửi trích lục');
  await Promise.all([o.waitForNavigation(), late.locator('button[type=submit]').click()]);
  assert.equal(await o.locator('.alert-error').count(), 0);
  assert.match(await o.locator('main').innerText(), /Xin lỗi, hẹn lại ngày trả \(gửi muộn, sau thời hạn đã hẹn\)/);
  await checkA11y(o, 'xin lỗi gửi muộn');
  await goto(o, `/mot-cua/ho-so/${code}`);
  const page = await o.locator('main').innerText();
  assert.match(page, /Quá hạn/);
  await goto(o, '/mot-cua?hang=qua-han');
  assert.match(await o.locator('main').innerText(), new RegExp(code.replace(/\./g, '\\.')));
  await checkA11y(o, 'hàng quá hạn');
  const l = await as('tre.leader');
  await goto(l, `/mot-cua/ho-so/${code}`);
  await Promise.all([l.waitForNavigation(), l.locator('form[aria-label="Phê duyệt"] button[type=submit]').click()]);
  await l.context().close();
  await goto(o, `/mot-cua/ho-so/${code}`);
  await Promise.all([o.waitForNavigation(), o.locator('form[aria-label="Đã có kết quả"] button[type=submit]').click()]);
  assert.match(await o.locator('main').innerText(), /Thời hạn\s+Trễ hạn/);
  const apology = await print(o, code, '04', /PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ/, s.url);
  assert.match(apology, /17 giờ 00 phút, ngày 08 tháng 03 năm 2027/);
  assert.match(apology, /Chờ trích lục từ xã khác/);
  const sheet = await print(o, code, '05', /PHIẾU KIỂM SOÁT/, s.url);
  assert.match(sheet, /Kết quả toàn hồ sơ: Trễ hạn/);
  await o.context().close();
  // the leader's report: the late dossier had an apology in time
  const lr = await as('tre.leader');
  await goto(lr, '/bao-cao?tu=2027-03-05&den=2027-03-05');
  assert.match(await lr.locator('#bc-xin-loi').innerText(), /1 gửi trước hạn, 1 gửi muộn \(sau thời hạn\), 0 hồ sơ không có/);
  assert.match(await lr.locator('tr', { hasText: other }).innerText(), /Gửi muộn — hẹn lại 09\/03\/2027 17:00/);
  await checkA11y(lr, 'báo cáo: phiếu xin lỗi');
  await lr.context().close();
  assert.equal(await s.stop(), 0);
});
