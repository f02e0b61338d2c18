// phone.test.mjs — issue #12 item 8: every staff page works on a phone.
// Each staff role signs in on a 360-pixel-wide screen and opens every
// page of src/web/routes.c it may open; none may be wider than the screen
// — not the page, and not a table hidden in a sideways scroller either
// (the tables become stacked cards, each value beside its column's name)
// — and each passes axe-core.  The navigation folds into one "Danh mục"
// button there and opens without JavaScript.  The list below is checked
// against routes.c, so a new staff page cannot be left out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, launch, checkA11y, shoot, loginAs, addUsers, SHOTS } from './lib.mjs';

const PW = 'mat-khau-thu-123';
const ROUTES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'web', 'routes.c');
const ALL = ['admin', 'leader', 'clerk', 'officer', 'viewer'];
const RC_WRITE = ['leader', 'clerk', 'officer'];     // the reception register and meetings
const RC_READ = [...RC_WRITE, 'viewer'];
const CASES = ['leader', 'clerk', 'officer', 'viewer'];   // the admin reads no complaint or denunciation

// Every GET route behind a staff role, and who may open it (as routes.c
// says); `paths` gives the addresses to open, with {code}, {id}, … filled
// (an officer reads only the dossiers given to him or his unit).
const PAGES = [
  { route: '/mot-cua', roles: ALL, paths: (v) => ['/mot-cua', ...v.queues, '/mot-cua?hang=tim-kiem&q=nguyen'] },
  { route: '/mot-cua/tiep-nhan', roles: ['clerk'], paths: () => ['/mot-cua/tiep-nhan', '/mot-cua/tiep-nhan?tim=khai+sinh', '/mot-cua/tiep-nhan?thu_tuc=1.001193'] },
  { route: '/mot-cua/so-theo-doi', roles: ALL, paths: () => ['/mot-cua/so-theo-doi'] },
  { route: '/mot-cua/ho-so/{code}', roles: ALL, paths: (v, role) => v.dossiers.filter((c) => role !== 'officer' || c !== v.refused).map((c) => `/mot-cua/ho-so/${c}`) },
  { route: '/mot-cua/ho-so/{code}/in/{form}', roles: ALL, paths: (v, role) => ['01', '05'].map((f) => `/mot-cua/ho-so/${v.dossiers[0]}/in/${f}`).concat(role === 'officer' ? [] : [`/mot-cua/ho-so/${v.refused}/in/03`]) },
  { route: '/don-thu', roles: CASES, paths: () => ['/don-thu', '/don-thu?hang=cho-thu-ly', '/don-thu?hang=ket-thuc&loai=to-cao'] },
  { route: '/don-thu/tiep-nhan', roles: ['clerk', 'officer', 'leader'], paths: () => ['/don-thu/tiep-nhan', '/don-thu/tiep-nhan?loai=phan-anh', '/don-thu/tiep-nhan?loai=to-cao'] },
  { route: '/don-thu/{code}', roles: CASES, paths: (v) => [`/don-thu/${v.caseCode}`] },
  { route: '/don-thu/{code}/in/{doc}', roles: CASES, paths: (v) => [`/don-thu/${v.caseCode}/in/bien-nhan`] },
  { route: '/mot-cua/quay-danh-gia', roles: ['clerk'], paths: () => ['/mot-cua/quay-danh-gia'] },
  { route: '/mot-cua/y-kien-danh-gia', roles: ['admin', 'leader', 'viewer'], paths: () => ['/mot-cua/y-kien-danh-gia'] },
  { route: '/bao-cao', roles: ['admin', 'leader', 'viewer'], paths: () => ['/bao-cao'] },
  { route: '/bao-cao/thong-ke', roles: ['admin', 'leader', 'viewer'], paths: () => ['/bao-cao/thong-ke', '/bao-cao/thong-ke?nhom=can-bo'] },
  { route: '/bao-cao/thong-ke/in', roles: ['admin', 'leader', 'viewer'], paths: () => ['/bao-cao/thong-ke/in'] },
  { route: '/bao-cao/ho-so', roles: ['admin', 'leader', 'viewer'], paths: () => ['/bao-cao/ho-so?chi-so=tiep-nhan'] },
  { route: '/bao-cao/chi-so-766', roles: ['admin', 'leader', 'viewer'], paths: () => ['/bao-cao/chi-so-766'] },
  { route: '/bao-cao/chi-so-766/ho-so', roles: ['admin', 'leader', 'viewer'], paths: () => ['/bao-cao/chi-so-766/ho-so?chi_so=2.1&phan=mau'] },
  { route: '/bao-cao/can-bo', roles: ['admin', 'leader', 'viewer'], paths: () => ['/bao-cao/can-bo'] },
  { route: '/kiem-tra', roles: ['admin', 'leader', 'viewer'], paths: () => ['/kiem-tra'] },
  { route: '/quan-tri/tai-khoan', roles: ['admin'], paths: () => ['/quan-tri/tai-khoan'] },
  { route: '/quan-tri/tai-khoan/moi', roles: ['admin'], paths: () => ['/quan-tri/tai-khoan/moi'] },
  { route: '/quan-tri/tai-khoan/{id}', roles: ['admin'], paths: (v) => [`/quan-tri/tai-khoan/${v.userId}`] },
  { route: '/quan-tri/lich', roles: ['admin'], paths: () => ['/quan-tri/lich'] },
  { route: '/quan-tri/sao-luu', roles: ['admin'], paths: () => ['/quan-tri/sao-luu'] },
  { route: '/quan-tri/open311', roles: ['admin'], paths: () => ['/quan-tri/open311'] },
  { route: '/quan-tri/co-quan', roles: ['admin'], paths: () => ['/quan-tri/co-quan'] },
  { route: '/quan-tri/don-thu', roles: ['admin'], paths: () => ['/quan-tri/don-thu'] },
  { route: '/quan-tri/thong-bao', roles: ['admin'], paths: () => ['/quan-tri/thong-bao', '/quan-tri/thong-bao?trang-thai=sent'] },
  { route: '/quan-tri/thong-bao/mau', roles: ['admin'], paths: () => ['/quan-tri/thong-bao/mau'] },
  { route: '/quan-tri/thong-bao/mau/{key}/{channel}', roles: ['admin'], paths: () => ['/quan-tri/thong-bao/mau/received/email', '/quan-tri/thong-bao/mau/otp/sms'] },
  { route: '/quan-tri/thu-tuc', roles: ['admin'], paths: () => ['/quan-tri/thu-tuc'] },
  { route: '/quan-tri/thu-tuc/moi', roles: ['admin'], paths: () => ['/quan-tri/thu-tuc/moi'] },
  { route: '/quan-tri/thu-tuc/{code}', roles: ['admin'], paths: () => ['/quan-tri/thu-tuc/1.001193'] },
  { route: '/quan-tri/tin-tuc', roles: ['admin', 'leader'], paths: () => ['/quan-tri/tin-tuc'] },
  { route: '/quan-tri/tin-tuc/moi', roles: ['admin', 'leader'], paths: () => ['/quan-tri/tin-tuc/moi'] },
  { route: '/quan-tri/tin-tuc/anh', roles: ['admin', 'leader'], paths: () => ['/quan-tri/tin-tuc/anh'] },
  { route: '/quan-tri/tin-tuc/{id}', roles: ['admin', 'leader'], paths: (v) => [v.newsPath] },
  { route: '/tiep-cong-dan', roles: ALL, paths: () => ['/tiep-cong-dan'] },
  { route: '/tiep-cong-dan/lich', roles: ['admin', 'leader'], paths: () => ['/tiep-cong-dan/lich'] },
  { route: '/tiep-cong-dan/lich/{id}', roles: ['admin', 'leader'], paths: (v) => [v.slotPath] },
  { route: '/tiep-cong-dan/so', roles: RC_READ, paths: () => ['/tiep-cong-dan/so'] },
  { route: '/tiep-cong-dan/so/in', roles: RC_READ, paths: () => ['/tiep-cong-dan/so/in'] },
  { route: '/tiep-cong-dan/so/moi', roles: RC_WRITE, paths: () => ['/tiep-cong-dan/so/moi'] },
  { route: '/tiep-cong-dan/doi-thoai', roles: RC_READ, paths: () => ['/tiep-cong-dan/doi-thoai'] },
  { route: '/tiep-cong-dan/doi-thoai/moi', roles: RC_WRITE, paths: () => ['/tiep-cong-dan/doi-thoai/moi'] },
  { route: '/tiep-cong-dan/doi-thoai/{id}', roles: RC_READ, paths: (v) => [v.dialoguePath] },
  { route: '/tiep-cong-dan/doi-thoai/{id}/in', roles: RC_READ, paths: (v) => [`${v.dialoguePath}/in`] },
  { route: '/ke-hoach', roles: ALL, paths: () => ['/ke-hoach'] },
  { route: '/ke-hoach/nhac-viec', roles: ALL, paths: () => ['/ke-hoach/nhac-viec'] },
  { route: '/ke-hoach/{id}', roles: ALL, paths: (v) => [v.planPath, `${v.planPath}?don-vi=T%C6%B0+ph%C3%A1p+-+H%E1%BB%99+t%E1%BB%8Bch`] },
  { route: '/ke-hoach/{id}/in', roles: ALL, paths: (v) => [`${v.planPath}/in`] },
  { route: '/ke-hoach/{id}/nhiem-vu-moi', roles: ['admin', 'leader'], paths: (v) => [`${v.planPath}/nhiem-vu-moi`] },
  { route: '/ke-hoach/nhiem-vu/{id}', roles: ALL, paths: (v) => [v.taskPath] },
  { route: '/ke-hoach/nhiem-vu/{id}/sua', roles: ['admin', 'leader'], paths: (v) => [`${v.taskPath}/sua`] },
  { route: '/ngan-sach', roles: ['admin', 'leader', 'viewer'], paths: () => ['/ngan-sach', '/ngan-sach?nam=2025'] },
  { route: '/ngan-sach/{id}', roles: ['admin', 'leader', 'viewer'], paths: (v) => [v.linePath] },
  { route: '/iso', roles: ALL, paths: () => ['/iso'] },
  { route: '/iso/moi', roles: ['admin', 'leader'], paths: () => ['/iso/moi'] },
  { route: '/iso/{id}', roles: ALL, paths: (v) => [v.isoPath] },
  { route: '/iso/{id}/in', roles: ALL, paths: (v) => [`${v.isoPath}/in`] },
  { route: '/iso/danh-gia', roles: ALL, paths: () => ['/iso/danh-gia'] },
  { route: '/iso/danh-gia/{id}', roles: ALL, paths: (v) => [v.auditPath] },
];
// Staff GET routes that are files, not pages.
const NOT_PAGES = new Set([
  '/metrics',                               // Prometheus text
  '/quan-tri/sao-luu/{file}',               // a backup archive
  '/quan-tri/thu-tuc/xuat',                 // the catalogue as JSON or CSV
  '/mot-cua/ho-so/{code}/dinh-kem/{sha}',   // an attached scan
  '/tiep-cong-dan/so/xuat',                 // the reception register as CSV
  '/don-thu/{code}/tep/{sha}',              // a case's scan
  '/ke-hoach/nhiem-vu/{id}/minh-chung/{sha}', // a plan task's evidence file
  '/ngan-sach/chi/{id}/chung-tu',           // a spending voucher's scan
]);

let srv, browser;
const pages = {};      // role → signed-in page
const vars = {};

async function signedIn(username, password) {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await ctx.newPage();
  await loginAs(page, srv.url, username, password);
  assert.doesNotMatch(page.url(), /dang-nhap/, `${username} signed in`);
  return page;
}

// Receives a dossier at the desk; returns its code.
async function intake(p, name, phone, how = 'Tiếp nhận và hẹn ngày trả') {
  await p.goto(`${srv.url}/mot-cua/tiep-nhan?thu_tuc=1.001193`);
  await p.getByLabel('Họ và tên').first().fill(name);
  await p.getByLabel('Số điện thoại').first().fill(phone);
  await p.getByLabel('Địa chỉ').fill('Thôn Đông Thượng, xã Phong Hải, tỉnh Quảng Trị');
  await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: how }).click()]);
  return (await p.locator('h1').innerText()).replace('Hồ sơ ', '');
}

async function act(p, code, label, fill) {
  await p.goto(`${srv.url}/mot-cua/ho-so/${code}`);
  const form = p.locator(`form[aria-label="${label}"]`);
  if (fill) await fill(form);
  await Promise.all([p.waitForNavigation(), form.locator('button[type=submit]').click()]);
  assert.equal(await p.locator('.alert-error').count(), 0, `${label} on ${code}`);
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  srv = await startServer();
  addUsers(srv.dir, [
    ['lan.clerk', 'clerk', 'Nguyễn Thị Lan', ''],
    ['tuan.officer', 'officer', 'Trần Anh Tuấn', 'Tư pháp - Hộ tịch'],
    ['hai.leader', 'leader', 'Lê Văn Hải', ''],
    ['mai.viewer', 'viewer', 'Phạm Thị Thanh Tra', ''],
  ], PW);
  browser = await launch();
  pages.admin = await signedIn('admin', srv.adminPassword);
  pages.clerk = await signedIn('lan.clerk', PW);
  pages.officer = await signedIn('tuan.officer', PW);
  pages.leader = await signedIn('hai.leader', PW);
  pages.viewer = await signedIn('mai.viewer', PW);
  // a few dossiers in different states, with long names and addresses
  const c = pages.clerk;
  const a = await intake(c, 'Nguyễn Hoàng Thị Phương Thảo Nguyên', '0912 345 678');
  const b = await intake(c, 'Trần Văn Bổ Sung', '0987 000 111');
  vars.refused = await intake(c, 'Võ Thị Từ Chối', '0977 123 456', 'Lưu, chưa tiếp nhận');
  await act(c, vars.refused, 'Từ chối tiếp nhận', (f) => f.getByLabel('Lý do từ chối').fill('Không thuộc thẩm quyền'));
  for (const code of [a, b])
    await act(c, code, 'Chuyển xử lý', (f) => f.getByLabel('Chuyển cho cán bộ').selectOption({ label: 'Trần Anh Tuấn — Tư pháp - Hộ tịch' }));
  await act(pages.officer, b, 'Trình lãnh đạo phê duyệt', (f) => f.getByLabel('Lãnh đạo ký duyệt').selectOption({ label: 'Lê Văn Hải' }));
  vars.dossiers = [a, b, vars.refused];
  // a complaint recorded at the desk, with a long subject
  await c.goto(`${srv.url}/don-thu/tiep-nhan?loai=khieu-nai-1`);
  const cf = c.locator('form[method=post]');
  await cf.getByLabel('Họ và tên').fill('Nguyễn Hoàng Thị Phương Thảo Nguyên');
  await cf.getByLabel('Số điện thoại').fill('0912 345 678');
  await cf.getByLabel('Địa chỉ người gửi').fill('Thôn Đông Thượng, xã Phong Hải, tỉnh Quảng Trị');
  await cf.getByLabel(/Quyết định, hành vi bị khiếu nại/).fill('Quyết định số 12/QĐ-UBND ngày 05/11/2026 về việc thu hồi đất nông nghiệp');
  await cf.getByLabel('Tiêu đề (tóm tắt nội dung)').fill('Khiếu nại quyết định thu hồi đất nông nghiệp và mức bồi thường, hỗ trợ tái định cư');
  await cf.getByLabel('Nội dung', { exact: true }).fill('Không đồng ý với mức bồi thường.');
  await Promise.all([c.waitForNavigation(), cf.getByRole('button', { name: 'Tiếp nhận đơn' }).click()]);
  vars.caseCode = c.url().match(/\/don-thu\/([^?]+)/)[1];
  // the queues, as the desk's tabs list them
  await c.goto(`${srv.url}/mot-cua`);
  vars.queues = (await c.locator('nav.tabs a').evaluateAll((as) => as.map((x) => x.getAttribute('href'))));
  assert.ok(vars.queues.length >= 4, 'the desk has its queue tabs');
  // an account page and a news item to edit
  const ad = pages.admin;
  await ad.goto(`${srv.url}/quan-tri/tai-khoan`);
  vars.userId = (await ad.getByRole('link', { name: 'tuan.officer' }).getAttribute('href')).split('/').pop();
  await ad.goto(`${srv.url}/quan-tri/tin-tuc/moi`);
  await ad.getByLabel('Tiêu đề').fill('Thông báo lịch tiếp công dân định kỳ của Chủ tịch Ủy ban nhân dân xã');
  await ad.getByLabel('Nội dung').fill('Nội dung tin.');
  await Promise.all([ad.waitForNavigation(), ad.getByRole('button', { name: 'Lưu và đăng' }).click()]);
  vars.newsPath = new URL(ad.url()).pathname;
  assert.match(vars.newsPath, /^\/quan-tri\/tin-tuc\/\d+$/);
  // citizen reception: a session on the schedule, a visit, a dialogue meeting
  const l = pages.leader;
  await l.goto(`${srv.url}/tiep-cong-dan/lich`);
  await l.getByLabel('Họ và tên').fill('Lê Văn Hải');
  await l.getByLabel('Chức vụ (không bắt buộc)').fill('Phó Chủ tịch Ủy ban nhân dân xã');
  await l.getByLabel('Địa điểm').fill('Phòng tiếp công dân, trụ sở Ủy ban nhân dân xã Phong Hải');
  await Promise.all([l.waitForNavigation(), l.getByRole('button', { name: 'Thêm vào lịch' }).click()]);
  vars.slotPath = await l.getByRole('link', { name: /^Sửa/ }).first().getAttribute('href');
  await c.goto(`${srv.url}/tiep-cong-dan/so/moi`);
  await c.getByLabel('Họ và tên').fill('Nguyễn Hoàng Thị Phương Thảo Nguyên');
  await c.getByLabel('Địa chỉ').fill('Thôn Đông Thượng, xã Phong Hải, tỉnh Quảng Trị');
  await c.getByLabel('Nội dung trình bày').fill('Kiến nghị sửa chữa cống thoát nước trước nhà văn hóa thôn Đông Thượng.');
  await Promise.all([c.waitForNavigation(), c.getByRole('button', { name: 'Ghi vào sổ' }).click()]);
  await c.goto(`${srv.url}/tiep-cong-dan/doi-thoai/moi`);
  await c.getByLabel('Địa điểm').fill('Nhà văn hóa thôn Đông Thượng');
  await c.getByLabel('Người chủ trì').fill('Lê Văn Hải, Phó Chủ tịch Ủy ban nhân dân xã');
  await c.getByLabel('Số người dự').fill('64');
  await c.getByLabel('Nội dung đối thoại').fill('Giải phóng mặt bằng đường liên thôn.');
  await Promise.all([c.waitForNavigation(), c.getByRole('button', { name: 'Ghi cuộc đối thoại' }).click()]);
  vars.dialoguePath = new URL(c.url()).pathname;
  assert.match(vars.dialoguePath, /^\/tiep-cong-dan\/doi-thoai\/\d+$/);
  // a reform plan with a long task of the officer's unit
  await l.goto(`${srv.url}/ke-hoach`);
  await l.getByLabel('Tên kế hoạch').fill('Kế hoạch cải cách hành chính và nâng cao chỉ số hài lòng của người dân năm nay');
  await Promise.all([l.waitForNavigation(), l.getByRole('button', { name: 'Lập kế hoạch' }).click()]);
  vars.planPath = new URL(l.url()).pathname;
  assert.match(vars.planPath, /^\/ke-hoach\/\d+$/);
  await l.goto(`${srv.url}${vars.planPath}/nhiem-vu-moi`);
  await l.getByLabel('Nội dung nhiệm vụ').fill('Rà soát, đánh giá, đề xuất đơn giản hóa thành phần hồ sơ của các thủ tục hành chính lĩnh vực hộ tịch, chứng thực');
  await l.getByLabel('Đơn vị chủ trì').fill('Tư pháp - Hộ tịch');
  await l.getByLabel('Đơn vị phối hợp (không bắt buộc)').fill('Văn phòng HĐND-UBND, Bộ phận Tiếp nhận và Trả kết quả');
  await l.getByLabel('Kinh phí dự kiến (đồng)').fill('125.000.000');
  await Promise.all([l.waitForNavigation(), l.getByRole('button', { name: 'Thêm vào kế hoạch' }).click()]);
  vars.taskPath = await l.locator('table.plan-tasks a').first().getAttribute('href');
  await l.goto(`${srv.url}/ngan-sach`);
  await l.getByLabel('Tên dòng kinh phí').fill('Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực từ năm 2015 đến nay');
  await l.getByLabel('Dự kiến (đồng)').fill('1.250.000.000');
  await l.getByLabel('Dự toán được giao (đồng)').fill('1.000.000.000');
  await Promise.all([l.waitForNavigation(), l.getByRole('button', { name: 'Thêm dòng kinh phí' }).click()]);
  vars.linePath = new URL(l.url()).pathname;
  await l.getByLabel('Số tiền (đồng)').fill('125.500.000');
  await l.getByLabel('Nội dung chi').fill('Thuê dịch vụ số hóa 12.000 trang hồ sơ hộ tịch lưu trữ tại Ủy ban nhân dân xã, nghiệm thu đợt 1');
  await Promise.all([l.waitForNavigation(), l.getByRole('button', { name: 'Ghi khoản chi' }).click()]);
  await l.goto(`${srv.url}/iso/moi`);
  await l.getByLabel('Mã quy trình').fill('QT-TP-05.2026');
  await l.getByLabel('Tên quy trình').fill('Giải quyết thủ tục đăng ký khai sinh, kết hợp đăng ký nhận cha, mẹ, con và cấp bản sao trích lục');
  await l.getByLabel('Đơn vị, người chủ trì').fill('Công chức Tư pháp - Hộ tịch');
  await l.getByLabel('Các bước thực hiện (mỗi bước một dòng)').fill('Bước 1: Tiếp nhận hồ sơ tại Bộ phận Một cửa, kiểm tra giấy tờ tùy thân của người đi đăng ký\nBước 2: Thẩm định');
  await l.getByLabel('Người phê duyệt').fill('Lê Văn Hải');
  await Promise.all([l.waitForNavigation(), l.getByRole('button', { name: 'Ban hành quy trình' }).click()]);
  vars.isoPath = new URL(l.url()).pathname;
  await l.goto(`${srv.url}/iso/danh-gia`);
  await l.getByLabel('Phạm vi đánh giá').fill('Toàn bộ quy trình của Bộ phận Một cửa và công chức Tư pháp - Hộ tịch');
  await l.getByLabel('Người đánh giá').fill('Đoàn đánh giá nội bộ');
  await Promise.all([l.waitForNavigation(), l.getByRole('button', { name: 'Ghi cuộc đánh giá' }).click()]);
  vars.auditPath = new URL(l.url()).pathname;
  await l.getByLabel('Nội dung phát hiện').fill('Sổ theo dõi hồ sơ thiếu chữ ký người nhận kết quả ở nhiều hồ sơ trong tháng');
  await l.getByLabel('Hành động khắc phục').fill('Bổ sung chữ ký');
  await l.getByLabel('Đơn vị thực hiện').fill('Bộ phận Một cửa');
  await l.getByLabel('Thời hạn khắc phục').fill('2099-12-31');
  await Promise.all([l.waitForNavigation(), l.getByRole('button', { name: 'Ghi phát hiện' }).click()]);
  assert.match(vars.taskPath, /^\/ke-hoach\/nhiem-vu\/\d+$/);
});

after(async () => {
  await browser?.close();
  assert.equal(await srv?.stop(), 0);
});

test('the list of pages covers every staff page of routes.c', () => {
  const src = readFileSync(ROUTES, 'utf8');
  const staff = [...src.matchAll(/\{"GET",\s*"([^"]+)",\s*\w+,\s*([^,]+),\s*([^,]+),/g)]
    // citizen pages (CIT) are no staff pages: citizen.test.mjs opens each at 360 px
    .filter(([, path, roles, flags]) => !/^(PUB|CIT)$/.test(roles.trim()) && !/API/.test(flags))
    .map(([, path]) => path);
  assert.ok(staff.length > 15, `routes.c read: ${staff.length} staff routes`);
  const listed = new Set(PAGES.map((p) => p.route));
  const missing = staff.filter((p) => !listed.has(p) && !NOT_PAGES.has(p));
  assert.deepEqual(missing, [], 'staff pages missing from phone.test.mjs');
});

// What is wider than the screen: the page itself, any element past its
// right edge, and any sideways scroller whose content does not fit.
async function tooWide(page) {
  return page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    const name = (el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().replace(/\s+/g, '.') : ''}`;
    const bad = [];
    const doc = document.documentElement.scrollWidth;
    if (doc > w) bad.push(`page ${doc}px`);
    for (const el of document.querySelectorAll('body *')) {
      const st = getComputedStyle(el);
      if ((st.overflowX === 'auto' || st.overflowX === 'scroll') && el.scrollWidth > el.clientWidth + 1)
        bad.push(`${name(el)} scrolls sideways (${el.scrollWidth}px in ${el.clientWidth}px)`);
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > w + 1 && st.position !== 'fixed') bad.push(`${name(el)} right=${Math.round(r.right)}`);
    }
    return { doc, bad: bad.slice(0, 6) };
  });
}

test('every staff page fits a 360-pixel phone, for every role that opens it, and passes axe', async () => {
  const problems = [];
  let visited = 0;
  for (const role of ALL) {
    const p = pages[role];
    for (const pg of PAGES.filter((x) => x.roles.includes(role))) {
      for (const path of pg.paths(vars, role)) {
        const res = await p.goto(`${srv.url}${path}`);
        if (res.status() !== 200) { problems.push(`${role} ${path}: HTTP ${res.status()}`); continue; }
        visited++;
        const { bad } = await tooWide(p);
        if (bad.length) problems.push(`${role} ${path}: ${bad.join('; ')}`);
        try {
          await checkA11y(p, `${role} ${path}`);
        } catch (e) {
          problems.push(e.message);
        }
      }
    }
  }
  assert.ok(visited >= 60, `pages visited: ${visited}`);
  assert.deepEqual(problems, []);
});

test('the navigation folds into one button on a phone and opens without JavaScript', async () => {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false });
  const p = await ctx.newPage();
  await loginAs(p, srv.url, 'admin', srv.adminPassword);
  await p.goto(`${srv.url}/bao-cao`);
  const nav = p.getByRole('navigation', { name: 'Điều hướng chính' });
  const menu = nav.locator('summary');
  assert.ok(await menu.isVisible(), 'the menu button shows on a phone');
  assert.match(await menu.innerText(), /Danh mục/);
  const shown = () => nav.locator('a').evaluateAll((as) => as.filter((a) => a.checkVisibility()).length);
  assert.equal(await shown(), 0, 'folded: no link shows');
  const h = (await nav.boundingBox()).height;
  assert.ok(h < 60, `the folded navigation is one row (${h}px)`);
  await menu.click();
  assert.equal(await shown(), 22, 'opened: every link of the administrator');
  await Promise.all([p.waitForNavigation(), nav.getByRole('link', { name: 'Quản lý thủ tục' }).click()]);
  assert.match(p.url(), /\/quan-tri\/thu-tuc$/);
  // at desktop width the links show as before, without the button
  await p.setViewportSize({ width: 1280, height: 800 });
  assert.ok(!(await menu.isVisible()));
  assert.ok(await nav.getByRole('link', { name: 'Báo cáo' }).isVisible());
  await ctx.close();
});

test('a queue and a dossier on a phone: every column is there, as a card', async () => {
  const p = pages.officer;
  await p.goto(`${srv.url}/mot-cua`);
  const row = p.locator('table.list tbody tr').first();
  // each cell takes the whole width inside its card (a row due today has a
  // wider left border: measured inside the row, not against a fixed figure)
  const cells = await row.locator('td').evaluateAll((tds) => tds.map((td) => {
    const tr = td.parentElement, cs = getComputedStyle(tr);
    const inner = tr.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    return [td.dataset.label, getComputedStyle(td, '::before').content, td.getBoundingClientRect().width, inner];
  }));
  assert.deepEqual(cells.map((c) => c[0]), ['Mã hồ sơ', 'Người nộp', 'Thủ tục', 'Nhận lúc', 'Hạn trả', 'Trạng thái', 'Thời hạn']);
  for (const [label, before, width, inner] of cells) {
    assert.equal(before, `"${label}"`, `${label} is named beside its value`);
    assert.ok(width > 280 && width >= inner - 2, `${label} takes the card's width (${width}px of ${inner}px)`);
  }
  await checkA11y(p, 'việc của tôi');
  await shoot(p, 'dien-thoai-mot-cua');
  await p.goto(`${srv.url}/mot-cua/ho-so/${vars.dossiers[0]}`);
  await checkA11y(p, 'hồ sơ');
  await shoot(p, 'dien-thoai-ho-so');
  await p.setViewportSize({ width: 360, height: 740 });   // shoot() leaves it at 1280
  await p.goto(`${srv.url}/mot-cua/so-theo-doi`);
  assert.deepEqual(await p.locator('table.paper-table tbody tr').first().locator('td')
    .evaluateAll((tds) => tds.slice(0, 3).map((td) => getComputedStyle(td, '::before').content)), ['"STT"', '"Mã hồ sơ"', '"Thủ tục"']);
  await shoot(p, 'dien-thoai-so-theo-doi');
});
