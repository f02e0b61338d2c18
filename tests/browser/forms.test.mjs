// forms.test.mjs — the printed forms on paper (issue #12 item 4).  A
// dossier with eight papers is received through the API and walked by a
// clerk, an officer and a leader through every state that has a form:
// the receipt (mẫu 01), a supplement request (02), an apology with a new
// date (04), a refusal after processing (03), the control sheet (05) and
// the register (06).  Each form is printed by Chromium to an A4 PDF whose
// pages are counted from the PDF bytes; the header's text boxes (form
// number, agency, national motto, place and date) must not overlap under
// print media; dates read "… giờ … phút, ngày … tháng … năm …" and never
// "ngày … ngày"; a zero fee reads "Không thu phí" or the law's exemption;
// people appear by full name, never by username.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { staffTeam, checkA11y, checkNoOverflow, actOn, SHOTS } from './lib.mjs';

const PW = 'mat-khau-thu-123';
const STAFF = [['hoa.clerk', 'clerk', 'Nguyễn Thị Tiếp Nhận'], ['binh.officer', 'officer', 'Phạm Văn Chuyên Viên'],
  ['chu.leader', 'leader', 'Hoàng Văn Lãnh Đạo']];
const USERNAMES = /hoa\.clerk|binh\.officer|chu\.leader/;
// eight papers, named as a birth registration's file really reads
const PAPERS = [
  'Tờ khai đăng ký khai sinh theo mẫu quy định',
  'Giấy chứng sinh do cơ sở khám bệnh, chữa bệnh cấp',
  'Văn bản của người làm chứng xác nhận về việc sinh (trường hợp không có giấy chứng sinh)',
  'Giấy chứng nhận kết hôn của cha, mẹ trẻ',
  'Giấy tờ tùy thân của người đi đăng ký khai sinh (thẻ căn cước, hộ chiếu)',
  'Văn bản ủy quyền có chứng thực (trường hợp ủy quyền đăng ký khai sinh)',
  'Giấy tờ chứng minh nơi cư trú của cha, mẹ trẻ',
  'Biên bản xác nhận việc trẻ bị bỏ rơi do cơ quan có thẩm quyền lập',
];
let team, srv, clerk, officer, leader;

before(async () => {
  team = await staffTeam(STAFF, PW);
  ({ srv } = team);
  ({ 'hoa.clerk': clerk, 'binh.officer': officer, 'chu.leader': leader } = team.pages);
});

after(async () => {
  await team?.close();
});

// Receives a dossier through the API as the clerk; returns its code.
async function receive(body) {
  const s = await clerk.request.post(`${srv.url}/api/v1/session`, { data: { username: 'hoa.clerk', password: PW } });
  assert.equal(s.status(), 201, await s.text());
  const { token } = await s.json();
  const r = await clerk.request.post(`${srv.url}/api/v1/dossiers`, {
    data: body, headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(r.status(), 201, await r.text());
  return (await r.json()).code;
}

// Takes an action through its form on the dossier page.
function act(page, code, label, fill) {
  return actOn(page, srv.url, code, label, fill);
}

// The header's text boxes (the rendered extent of each line of text, not
// the block around it) under print media at the width of A4 between the
// margins; returns the pairs that overlap and the boxes by class.
async function headerBoxes(page) {
  return page.evaluate(() => {
    const els = [...document.querySelectorAll('.form-no, .state-head p, .sh-date')];
    const boxes = els.filter((el) => el.textContent.trim()).map((el) => {
      const r = document.createRange();
      r.selectNodeContents(el);
      const b = r.getBoundingClientRect();
      return { cls: el.className, text: el.textContent.trim(), left: b.left, right: b.right, top: b.top, bottom: b.bottom,
        italic: getComputedStyle(el).fontStyle, weight: getComputedStyle(el).fontWeight, align: getComputedStyle(el).textAlign };
    });
    const overlaps = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i], b = boxes[j];
        if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5)
          overlaps.push(`"${a.text}" × "${b.text}"`);
      }
    }
    return { boxes, overlaps };
  });
}

function pdfPages(file) {
  const pdf = readFileSync(file, 'latin1');
  return { pages: (pdf.match(/\/Type\s*\/Page[^s]/g) || []).length, boxes: pdf.match(/\/MediaBox\s*\[[^\]]*\]/g) || [] };
}

// Opens printed form `no`, checks what every form must hold and prints it
// to an A4 PDF; returns { text, pages }.
async function print(page, path, no, title, opts = {}) {
  const res = await page.goto(`${srv.url}${path}`);
  assert.equal(res.status(), 200, `form ${no}`);
  const text = await page.locator('main').innerText();
  assert.match(text, title);
  assert.match(text, new RegExp(`Mẫu số ${no}`));
  assert.doesNotMatch(text, USERNAMES, `form ${no} names a person by username`);
  assert.doesNotMatch(text, /\bngày\b[^\n.;]{0,20}\bngày \d\d tháng/i, `form ${no}: "ngày … ngày"`);
  assert.doesNotMatch(text, /(^|[^\d.])0 đồng|Không đồng/, `form ${no}: a zero fee in figures`);
  await checkA11y(page, `mẫu ${no}`);
  // the header under print media, at the width between A4's margins (165 mm) and at a phone's
  await page.emulateMedia({ media: 'print' });
  for (const width of [624, 360]) {
    await page.setViewportSize({ width, height: 1100 });
    const h = await headerBoxes(page);
    assert.deepEqual(h.overlaps, [], `form ${no} at ${width}px: header text boxes overlap`);
    const by = (c) => h.boxes.find((b) => b.cls.split(' ').includes(c));
    const agency = by('sh-agency'), unit = by('sh-unit'), nation = by('sh-nation'), motto = by('sh-motto');
    const date = by('sh-date'), num = by('form-no');
    assert.ok(agency && unit && nation && motto && date && num, `form ${no}: header parts ${JSON.stringify(h.boxes)}`);
    assert.match(nation.text, /^CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM$/);
    assert.match(motto.text, /^Độc lập - Tự do - Hạnh phúc$/);
    assert.ok(agency.right <= nation.left + 1 && unit.right <= motto.left + 1, `form ${no}: agency left of the motto`);
    assert.ok(agency.top < unit.top && nation.top < motto.top, `form ${no}: two lines each side`);
    assert.ok(Number(unit.weight) >= 700 && Number(nation.weight) >= 700 && Number(motto.weight) >= 700,
      `form ${no}: issuing agency and motto in bold`);
    assert.equal(date.italic, 'italic', `form ${no}: the place and date in italics`);
    assert.ok(date.top >= motto.bottom && date.align === 'right' && date.right >= motto.right,
      `form ${no}: the date line under the motto, on the right ${JSON.stringify(h.boxes)}`);
    assert.match(date.text, /^.+, ngày \d\d tháng \d\d năm \d{4}$/);
  }
  await page.emulateMedia({ media: null });
  await page.setViewportSize({ width: 1280, height: 900 });
  const file = join(SHOTS, `in-mau-${no}.pdf`);
  await page.pdf({ path: file, format: 'A4', printBackground: false, preferCSSPageSize: !!opts.cssPage });
  const { pages, boxes } = pdfPages(file);
  return { text, pages, boxes };
}

test('a dossier of eight papers walked through forms 01–06, each right on A4 paper', async () => {
  const code = await receive({
    procedure_code: '1.001193', channel: 'counter', fee: 0,
    applicant: {
      name: 'Nguyễn Thị Phương Thảo', id_number: '001185012345', date_of_birth: '1985-03-02', sex: 'female',
      phone: '0912 345 678', email: 'phuongthao.nguyen@example.vn',
      address: 'Số 12, ngõ 34, thôn Đông Hạ, xã Phong Hải, tỉnh Quảng Ninh',
    },
    representative: { name: 'Trần Văn Đức', id_number: '001080098765', phone: '0987 654 321', relation: 'chồng' },
    documents: PAPERS.map((name, i) => ({ name, received: true, form: i % 3 === 1 ? 'copy' : 'original', count: 1 + (i % 2) })),
    note: 'Người nộp xin nhận kết quả qua dịch vụ bưu chính công ích.',
  });

  // 01: the receipt, eight papers and both signatures on ONE A4 page
  const r = await print(clerk, `/mot-cua/ho-so/${code}/in/01`, '01', /GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ/);
  assert.equal(r.pages, 1, 'the receipt with eight papers is one A4 page');
  for (const p of PAPERS) assert.ok(r.text.includes(p), `receipt lists ${p}`);
  assert.match(r.text, /Thời gian nhận hồ sơ: \d\d giờ \d\d phút, ngày \d\d tháng \d\d năm \d{4}/);
  assert.match(r.text, /Thời gian trả kết quả giải quyết hồ sơ: \d\d giờ \d\d phút, ngày \d\d tháng \d\d năm \d{4}/);
  assert.match(r.text, /Phí, lệ phí: Không thu phí/);
  assert.match(r.text, /NGƯỜI TIẾP NHẬN HỒ SƠ[\s\S]*Nguyễn Thị Tiếp Nhận/);
  assert.match(r.text, /NGƯỜI NỘP HỒ SƠ[\s\S]*Nguyễn Thị Phương Thảo/);
  assert.match(r.text, /Phong Hải, ngày \d\d tháng \d\d năm \d{4}/);
  // the printed receipt as the applicant gets it, at desk and phone widths
  await clerk.emulateMedia({ media: 'print' });
  for (const width of [1280, 360]) {
    await clerk.setViewportSize({ width, height: 900 });
    await checkNoOverflow(clerk, `mẫu 01 in @${width}`);
    await clerk.screenshot({ path: join(SHOTS, `in-mau-01-${width}.png`), fullPage: true });
  }
  await clerk.emulateMedia({ media: null });
  await clerk.setViewportSize({ width: 1280, height: 900 });

  // 02: the officer asks for two more papers
  await act(clerk, code, 'Chuyển xử lý', (f) => f.getByLabel('Chuyển cho cán bộ').selectOption({ label: 'Phạm Văn Chuyên Viên' }));
  await act(officer, code, 'Yêu cầu bổ sung giấy tờ', async (f) => {
    await f.getByLabel('Giấy tờ cần bổ sung, hoàn thiện và lý do').fill('Giấy chứng sinh nộp là bản chụp không có chứng thực');
    await f.getByLabel(/Giấy tờ còn thiếu/).fill('Giấy chứng sinh (bản chính)\nGiấy chứng nhận kết hôn của cha mẹ (bản sao có chứng thực)');
  });
  const s = await print(officer, `/mot-cua/ho-so/${code}/in/02`, '02', /PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ/);
  assert.equal(s.pages, 1, 'the supplement request is one page');
  assert.match(s.text, /Giấy chứng nhận kết hôn của cha mẹ \(bản sao có chứng thực\)/);
  assert.match(s.text, /NGƯỜI HƯỚNG DẪN[\s\S]*Phạm Văn Chuyên Viên/);
  assert.match(s.text, /Lúc \d\d giờ \d\d phút, ngày \d\d tháng \d\d năm \d{4}/);
  await act(clerk, code, 'Đã nhận giấy tờ bổ sung');

  // 04: an apology with a new date
  await act(officer, code, 'Xin lỗi, hẹn lại ngày trả', async (f) => {
    await f.getByLabel('Ngày hẹn trả mới').fill('2031-12-31');
    await f.getByLabel('Lý do chậm trả kết quả').fill('Chờ kết quả xác minh nơi cư trú của cha, mẹ trẻ');
  });
  const a = await print(officer, `/mot-cua/ho-so/${code}/in/04`, '04', /PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ/);
  assert.equal(a.pages, 1, 'the apology is one page');
  assert.match(a.text, /17 giờ 00 phút, ngày 31 tháng 12 năm 2031/);
  assert.match(a.text, /Phạm Văn Chuyên Viên/);

  // 03: the leader refuses after processing
  await act(officer, code, 'Trình lãnh đạo phê duyệt', (f) => f.getByLabel('Lãnh đạo ký duyệt').selectOption({ label: 'Hoàng Văn Lãnh Đạo' }));
  await act(leader, code, 'Từ chối giải quyết', (f) =>
    f.getByLabel(/Lý do/).fill('Người yêu cầu không phải là cha, mẹ hoặc người thân thích của trẻ'));
  const f3 = await print(leader, `/mot-cua/ho-so/${code}/in/03`, '03', /PHIẾU TỪ CHỐI GIẢI QUYẾT HỒ SƠ/);
  assert.equal(f3.pages, 1, 'the refusal is one page');
  assert.match(f3.text, /Hoàng Văn Lãnh Đạo/);

  // 05: the control sheet, every hand-over by full name
  const c = await print(clerk, `/mot-cua/ho-so/${code}/in/05`, '05', /PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ/);
  assert.ok(c.pages >= 1 && c.pages <= 2, `the control sheet: ${c.pages} pages`);
  for (const n of ['Nguyễn Thị Tiếp Nhận', 'Phạm Văn Chuyên Viên', 'Hoàng Văn Lãnh Đạo']) assert.ok(c.text.includes(n), `05 names ${n}`);

  // 06: the register, landscape A4 as its own page rule asks
  const g = await print(clerk, '/mot-cua/so-theo-doi', '06', /SỔ THEO DÕI HỒ SƠ/, { cssPage: true });
  assert.equal(g.pages, 1, 'one dossier: the register is one page');
  assert.ok(g.boxes.every((b) => /\[\s*0\s+0\s+84[12](\.\d+)?\s+59[45](\.\d+)?\s*\]/.test(b)), `register on A4 landscape: ${g.boxes}`);
  assert.match(g.text, /Nguyễn Thị Phương Thảo/);
  assert.match(g.text, /NGƯỜI LẬP SỔ[\s\S]*Nguyễn Thị Tiếp Nhận/);

  // the dossier page: fee and history by full name
  await clerk.goto(`${srv.url}/mot-cua/ho-so/${code}`);
  const page = await clerk.locator('main').innerText();
  assert.doesNotMatch(page, USERNAMES, 'the dossier page names a person by username');
  assert.match(page, /người nhận: Nguyễn Thị Tiếp Nhận/);
  assert.match(page, /Phí, lệ phí\s+Không thu phí/);
  for (const n of ['Nguyễn Thị Tiếp Nhận', 'Phạm Văn Chuyên Viên', 'Hoàng Văn Lãnh Đạo']) assert.ok(page.includes(n), `history names ${n}`);
});

test('a fee the law waives prints its exemption; a fee paid prints in figures and words', async () => {
  const free = await receive({
    procedure_code: '1.000894', channel: 'counter',
    applicant: { name: 'Đỗ Văn Kết Hôn', phone: '0911 222 333', address: 'Thôn Tây, xã Phong Hải' },
  });
  const r = await print(clerk, `/mot-cua/ho-so/${free}/in/01`, '01', /GIẤY TIẾP NHẬN/);
  assert.equal(r.pages, 1);
  assert.match(r.text, /Phí, lệ phí: Miễn lệ phí đối với kết hôn của công dân Việt Nam cư trú ở trong nước/);
  const paid = await receive({
    procedure_code: '2.000635', channel: 'counter', fee: 16000,
    applicant: { name: 'Bùi Thị Trích Lục', phone: '0911 222 444' },
    documents: [{ name: 'Tờ khai cấp bản sao trích lục hộ tịch', received: true, form: 'original', count: 1 }],
  });
  const p = await print(clerk, `/mot-cua/ho-so/${paid}/in/01`, '01', /GIẤY TIẾP NHẬN/);
  assert.match(p.text, /Phí, lệ phí: 16\.000 đồng \(bằng chữ: Mười sáu nghìn đồng\)/);
});
