// portal.test.mjs — the portal of the seed (issue #12, item 9) in a real
// browser: an editor dates the 2017 directive and citizens find it by that
// day; public pages write dates dd/mm/yyyy; no developer path or
// repository name reaches a citizen's page; the footer gives the agency's
// address, phone and e-mail as the admin set them; a returned dossier is
// held by nobody; withdrawing asks for confirmation and is not the main
// action.  Each check is a test of its own; the pages are checked with
// axe-core and at 360 and 1280 pixels.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { startServer, launch, checkA11y, shoot, loginAs, BIN, SHOTS } from './lib.mjs';

const PW = 'mat-khau-thu-123';
const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36';
let srv, browser, admin, clerk, officer, leader, citizen;

async function newPage(width = 1280) {
  const ctx = await browser.newContext({ viewport: { width, height: 900 }, userAgent: UA });
  const page = await ctx.newPage();
  page.on('dialog', () => assert.fail('a script ran'));
  return page;
}

async function staff(username, password = PW) {
  const page = await newPage();
  await loginAs(page, srv.url, username, password);
  return page;
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  srv = await startServer();
  for (const [u, role, name] of [['lan.clerk', 'clerk', 'Nguyễn Thị Lan'],
    ['tuan.officer', 'officer', 'Trần Văn Tuấn'], ['hai.leader', 'leader', 'Lê Văn Hải']]) {
    execFileSync(BIN, ['user', 'add', '--data', srv.dir, '--username', u, '--role', role,
      '--full-name', name, '--password-stdin'], { input: PW + '\n' });
  }
  browser = await launch();
  admin = await staff('admin', srv.adminPassword);
  clerk = await staff('lan.clerk');
  officer = await staff('tuan.officer');
  leader = await staff('hai.leader');
  citizen = await newPage(360);
});

after(async () => {
  await browser?.close();
  assert.equal(await srv?.stop(), 0);
});

async function submit(page, button) {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: button }).click()]);
  const err = await page.locator('.alert-error').count();
  assert.equal(err, 0, err ? await page.locator('.alert-error').innerText() : '');
}

test('a news item keeps the publication date its editor sets, and is found by that day', async () => {
  await admin.goto(`${srv.url}/quan-tri/tin-tuc/moi`);
  await admin.getByLabel('Tiêu đề').fill('Chỉ thị về đẩy mạnh cải cách hành chính');
  await admin.getByLabel('Loại tin').selectOption('announcement');
  await admin.getByLabel('Chuyên mục').selectOption('cai-cach-hanh-chinh');
  await admin.getByLabel('Ngày đăng').fill('2017-09-14');
  await admin.getByLabel('Nội dung').fill('UBND xã triển khai chỉ thị của cấp trên về cải cách hành chính.');
  await submit(admin, 'Lưu và đăng');
  await checkA11y(admin, 'sửa tin có ngày đăng');
  assert.equal(await admin.getByLabel('Ngày đăng').inputValue(), '2017-09-14');

  await citizen.goto(`${srv.url}/tin-tuc?ngay=2017-09-14`);
  const day = await citizen.locator('main').innerText();
  assert.match(day, /Chỉ thị về đẩy mạnh cải cách hành chính/);
  assert.match(day, /14\/09\/2017/);
  await citizen.goto(`${srv.url}/tin-tuc?ngay=2017-09-13`);
  assert.doesNotMatch(await citizen.locator('main').innerText(), /Chỉ thị về đẩy mạnh/);
  await citizen.goto(`${srv.url}/tin-tuc?thang=2017-09`);
  assert.match(await citizen.locator('main').innerText(), /Chỉ thị về đẩy mạnh/);
  await citizen.getByRole('link', { name: 'Chỉ thị về đẩy mạnh cải cách hành chính' }).first().click();
  await citizen.waitForLoadState();
  const article = await citizen.locator('main').innerText();
  assert.match(article, /14\/09\/2017/);
  assert.doesNotMatch(article, /cập nhật/);   // written today, dated 2017: not an update
  await checkA11y(citizen, 'bài chỉ thị');
  await shoot(citizen, 'tin-chi-thi');
});

// Every visible date on the public pages, written as the page writes it.
async function datesOn(page, path) {
  await page.goto(`${srv.url}${path}`);
  return page.locator('body').innerText();
}

test('public pages write dates dd/mm/yyyy', async () => {
  // a procedure published by a decision of a given day
  await admin.goto(`${srv.url}/quan-tri/thu-tuc/1.001193`);
  await admin.getByLabel('Số quyết định').fill('Quyết định thử nghiệm số 01/QĐ-TEST');
  await admin.getByLabel('Ngày ban hành (YYYY-MM-DD)').fill('2024-05-10');
  await submit(admin, 'Lưu và công bố');
  for (const path of ['/', '/thu-tuc', '/thu-tuc/1.001193', '/tin-tuc', '/tin-tuc?ngay=2017-09-14', '/lich', '/tra-cuu']) {
    const text = await datesOn(citizen, path);
    assert.doesNotMatch(text, /\b\d{4}-\d{2}-\d{2}\b/, `an ISO date on ${path}`);
    assert.doesNotMatch(text, /\b\d{1,2}\/\d{1,2}\/\d{2}\b(?!\d)/, `a two-digit year on ${path}`);
  }
  const proc = await datesOn(citizen, '/thu-tuc/1.001193');
  assert.match(proc, /ngày 10\/05\/2024/);
});

test('no developer path or repository name on a citizen page', async () => {
  const dev = /shared\/|\.md\b|\.jsonl?\b|VoidKeishi|OpenGOV|HuanVu|github|crawl|:backend\//i;
  for (const code of ['1.001193', '1.001731', '2.000815']) {
    await citizen.goto(`${srv.url}/thu-tuc/${code}`);
    const text = await citizen.locator('body').innerText();
    assert.doesNotMatch(text, dev, `developer provenance on /thu-tuc/${code}`);
    assert.match(text, /Căn cứ pháp lý/);   // the source a citizen reads: the legal document
  }
  await citizen.goto(`${srv.url}/thu-tuc/1.001731`);
  assert.match(await citizen.locator('main').innerText(), /NĐ 20\/2021\/NĐ-CP/);
  for (const path of ['/', '/thu-tuc', '/thu-tuc?q=khai+sinh', '/tin-tuc']) {
    await citizen.goto(`${srv.url}${path}`);
    assert.doesNotMatch(await citizen.locator('body').innerText(), dev, `developer provenance on ${path}`);
  }
});

test('the footer gives the address, phone and e-mail the admin set', async () => {
  await admin.goto(`${srv.url}/`);
  await Promise.all([admin.waitForNavigation(), admin.getByRole('link', { name: /Thông tin liên hệ của cơ quan/ }).click()]);
  await admin.getByLabel('Địa chỉ').fill('Thôn Phú Lộc, xã Phong Hải');
  await admin.getByLabel('Điện thoại').fill('0234 3861 234');
  await admin.getByLabel('Thư điện tử').fill('motcua@phonghai.example.vn');
  await submit(admin, 'Lưu thông tin liên hệ');
  await checkA11y(admin, 'thông tin liên hệ');
  for (const path of ['/', '/thu-tuc', '/tin-tuc', '/tra-cuu']) {
    await citizen.goto(`${srv.url}${path}`);
    const foot = citizen.locator('footer');
    const text = await foot.innerText();
    assert.match(text, /Thôn Phú Lộc, xã Phong Hải/, path);
    assert.match(text, /0234 3861 234/, path);
    assert.match(text, /motcua@phonghai\.example\.vn/, path);
    assert.equal(await foot.locator('a[href="tel:02343861234"]').count(), 1);
    assert.equal(await foot.locator('a[href="mailto:motcua@phonghai.example.vn"]').count(), 1);
  }
  await checkA11y(citizen, 'chân trang có liên hệ');
  await shoot(citizen, 'chan-trang-lien-he');
  // a wrong e-mail is refused in Vietnamese and changes nothing
  await admin.goto(`${srv.url}/quan-tri/co-quan`);
  await admin.getByLabel('Thư điện tử').evaluate((el) => { el.type = 'text'; });
  await admin.getByLabel('Thư điện tử').fill('motcua-phonghai');
  await Promise.all([admin.waitForNavigation(), admin.getByRole('button', { name: 'Lưu thông tin liên hệ' }).click()]);
  assert.match(await admin.locator('.alert-error').innerText(), /thư điện tử không hợp lệ/i);
  await citizen.goto(`${srv.url}/`);
  assert.match(await citizen.locator('footer').innerText(), /motcua@phonghai\.example\.vn/);
});

// Receives a birth registration at the desk; returns the dossier code.
async function intake(name, phone) {
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
  await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Tiếp nhận và hẹn ngày trả' }).click()]);
  const m = (await p.locator('h1').innerText()).match(/Hồ sơ (\S+)/);
  assert.ok(m, 'no dossier page after intake');
  return m[1];
}

async function act(page, code, label, fill) {
  await page.goto(`${srv.url}/mot-cua/ho-so/${code}`);
  const form = page.locator(`form[aria-label="${label}"]`);
  assert.equal(await form.count(), 1, `no form "${label}" on ${code}`);
  if (fill) await fill(form);
  await Promise.all([page.waitForNavigation(), form.locator('button[type=submit]').click()]);
  const err = await page.locator('.alert-error').count();
  assert.equal(err, 0, `${label}: ${err ? await page.locator('.alert-error').innerText() : ''}`);
}

test('a returned dossier shows nobody holding it', async () => {
  const code = await intake('Phạm Thị Trả', '0912 345 678');
  await act(clerk, code, 'Chuyển xử lý', (f) => f.getByLabel('Chuyển cho cán bộ').selectOption({ label: 'Trần Văn Tuấn' }));
  await clerk.goto(`${srv.url}/mot-cua/ho-so/${code}`);
  assert.match(await clerk.locator('main').innerText(), /đang giữ: Trần Văn Tuấn/);   // while open, it says who
  await act(officer, code, 'Trình lãnh đạo phê duyệt', (f) => f.getByLabel('Lãnh đạo ký duyệt').selectOption({ label: 'Lê Văn Hải' }));
  await act(leader, code, 'Phê duyệt');
  await act(officer, code, 'Đã có kết quả');
  await act(clerk, code, 'Trả kết quả', async (f) => {
    await f.getByLabel('Người nhận kết quả').fill('Phạm Thị Trả');
    await f.getByLabel('Số giấy tờ tùy thân đã xuất trình').fill('001185012345');
  });
  const facts = await clerk.locator('dl.proc-facts').innerText();
  assert.match(facts, /Đã trả kết quả/);
  assert.doesNotMatch(facts, /đang giữ/);
  assert.doesNotMatch(facts, /đang phát hành kết quả/);
  // the applicant's view: the state, never a name of staff
  await citizen.goto(`${srv.url}/tra-cuu?ma=${code}`);
  await citizen.getByLabel('Số điện thoại hoặc số định danh cá nhân (12 số)').fill('0912345678');
  await Promise.all([citizen.waitForNavigation(), citizen.getByRole('button', { name: 'Tra cứu' }).click()]);
  const seen = await citizen.locator('main').innerText();
  assert.match(seen, /Đã trả kết quả/);
  assert.doesNotMatch(seen, /đang giữ|Trần Văn Tuấn|Lê Văn Hải|Nguyễn Thị Lan/);
});

test('withdrawing asks for confirmation and is not the main action', async () => {
  const code = await intake('Đinh Văn Rút', '0966 123 456');
  await clerk.goto(`${srv.url}/mot-cua/ho-so/${code}`);
  const form = clerk.locator('form[aria-label="Rút hồ sơ theo yêu cầu"]');
  assert.equal(await form.count(), 1);
  const button = form.locator('button[type=submit]');
  assert.doesNotMatch(await button.getAttribute('class'), /btn-primary/);
  // the main action (hand over for processing) comes before it
  const labels = await clerk.locator('form.action-form').evaluateAll((fs) => fs.map((f) => f.getAttribute('aria-label')));
  assert.ok(labels.indexOf('Chuyển xử lý') < labels.indexOf('Rút hồ sơ theo yêu cầu'), labels.join(', '));
  // without the box ticked, nothing happens (the browser will not send it)
  const box = form.getByRole('checkbox');
  assert.equal(await box.count(), 1);
  assert.equal(await box.getAttribute('required'), '');
  await button.click();
  await clerk.waitForTimeout(300);
  assert.match(await clerk.locator('dl.proc-facts').innerText(), /Được tiếp nhận/);
  // and the server refuses it too when the box is missing (no JavaScript needed either way)
  await box.evaluate((el) => { el.required = false; });
  await Promise.all([clerk.waitForNavigation(), button.click()]);
  assert.match(await clerk.locator('.alert-error').innerText(), /đánh dấu ô xác nhận/);
  assert.match(await clerk.locator('dl.proc-facts').innerText(), /Được tiếp nhận/);
  await checkA11y(clerk, 'hồ sơ với nút rút');
  await act(clerk, code, 'Rút hồ sơ theo yêu cầu', (f) => f.getByRole('checkbox').check());
  assert.match(await clerk.locator('dl.proc-facts').innerText(), /rút hồ sơ/i);
});
