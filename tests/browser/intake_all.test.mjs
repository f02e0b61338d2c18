// intake_all.test.mjs — every shipped procedure can be received (issue #12
// item 1).  The 14 procedures of data/procedures.json that had no time
// limit are received through the real intake page: 2.001406 with the 2
// working days NĐ 23/2015 Đ37 gives it, the 13 the law texts at hand do not
// time with the appointment the clerk sets at intake.  The receipt (mẫu 01)
// and the dossier page say that appointment was set by hand; a day off is
// refused with the reason and nothing is saved; the intake page with the
// new fields passes axe-core and fits a phone.  A held dossier of such a
// procedure takes its appointment when it is received from its page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { startServer, launch, checkA11y, shoot, loginAs, BIN, SHOTS } from './lib.mjs';

const PW = 'mat-khau-thu-123';
const HAND = 'hẹn do cán bộ tiếp nhận ấn định';
const VERIFIED = ['2.001406'];
const BY_HAND = ['1.001731', '1.001776', '2.000913', '2.000927', '1.003677', '1.012812', '1.011607',
  '1.002211', '2.000930', '2.000950', '1.004859', '2.000748', '2.001263'];
let srv, browser, clerk;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  srv = await startServer();
  execFileSync(BIN, ['user', 'add', '--data', srv.dir, '--username', 'lan.clerk', '--role', 'clerk',
    '--full-name', 'Nguyễn Thị Lan', '--password-stdin'], { input: PW + '\n' });
  browser = await launch();
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  clerk = await ctx.newPage();
  await loginAs(clerk, srv.url, 'lan.clerk', PW);
});

after(async () => {
  await browser?.close();
  assert.equal(await srv?.stop(), 0);
});

// Local (UTC+7) date `days` from today, "YYYY-MM-DD", moved off Saturday
// and Sunday; `sunday` gives the first Sunday on or after it instead.
function localDay(days, sunday = false) {
  const d = new Date(Date.now() + 7 * 3600 * 1000 + days * 86400 * 1000);
  const bad = (x) => (sunday ? x.getUTCDay() !== 0 : x.getUTCDay() === 0 || x.getUTCDay() === 6);
  while (bad(d)) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

// Opens the intake form of procedure `code` through the picker.
async function openForm(code) {
  const p = clerk;
  await p.goto(`${srv.url}/mot-cua/tiep-nhan`);
  await p.getByLabel('Thủ tục hành chính').selectOption(code);
  await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Chọn thủ tục' }).click()]);
  assert.match(await p.locator('main').innerText(), new RegExp(`Mã ${code.replace('.', '\\.')}`));
}

async function fillApplicant(name, phone) {
  await clerk.getByLabel('Họ và tên').first().fill(name);
  await clerk.getByLabel('Số điện thoại').first().fill(phone);
}

// Presses the button; returns the dossier code, or null and the error shown.
async function submit(button = 'Tiếp nhận và hẹn ngày trả') {
  await Promise.all([clerk.waitForNavigation(), clerk.getByRole('button', { name: button }).click()]);
  const h1 = await clerk.locator('h1').innerText();
  const m = h1.match(/Hồ sơ (\S+)/);
  if (m) return { code: m[1] };
  return { error: await clerk.locator('.alert-error').innerText() };
}

// Receives `code` with an appointment 3 working days on at 16:00 (or its
// verified limit); the next day when the one chosen is a holiday.
async function receive(code, i) {
  for (let tries = 0; tries < 10; tries++) {
    await openForm(code);
    await fillApplicant(`Người Nộp Số ${i + 1}`, `09120000${String(i + 10).padStart(2, '0')}`);
    const hand = await clerk.getByLabel('Ngày hẹn trả kết quả').count();
    assert.equal(hand, VERIFIED.includes(code) ? 0 : 1, `${code}: appointment field`);
    if (hand) {
      await clerk.getByLabel('Ngày hẹn trả kết quả').fill(localDay(3 + tries));
      await clerk.getByLabel('Giờ hẹn trả kết quả').fill('16:00');
    }
    const r = await submit();
    if (r.code) return r.code;
    assert.match(r.error, /không phải ngày làm việc/, `${code}: ${r.error}`);
  }
  assert.fail(`${code}: no working day found`);
}

test('the picker offers every procedure; the form asks for the appointment, with the reason; axe; 360 px', async () => {
  await clerk.goto(`${srv.url}/mot-cua/tiep-nhan`);
  const options = await clerk.locator('#thu-tuc option').allInnerTexts();
  for (const code of [...VERIFIED, ...BY_HAND]) {
    const o = options.find((t) => t.includes(`(${code})`));
    assert.ok(o, `${code} is missing from the picker`);
    assert.equal(o.includes('hẹn trả do cán bộ ấn định'), BY_HAND.includes(code), o);
  }
  await openForm('2.001263');
  const hint = await clerk.locator('#hen-tay-goi-y').innerText();
  assert.match(hint, /chưa có thời hạn giải quyết được xác minh/);
  assert.match(hint, /30 ngày kể từ ngày UBND cấp xã nhận đủ hồ sơ hợp lệ/);   // the law's words, as a guide
  assert.equal(await clerk.getByLabel('Ngày hẹn trả kết quả').getAttribute('required'), '');
  assert.equal(await clerk.getByLabel('Giờ hẹn trả kết quả').getAttribute('required'), '');
  await checkA11y(clerk, 'tiếp nhận, hẹn do cán bộ ấn định');
  await shoot(clerk, 'tiep-nhan-hen-tay');
  await clerk.setViewportSize({ width: 1280, height: 900 });
});

test('a day off is refused with the reason and nothing is saved', async () => {
  await openForm('1.011607');
  await fillApplicant('Ngày Nghỉ Thử', '0912999888');
  await clerk.getByLabel('Ngày hẹn trả kết quả').fill(localDay(2, true));
  await clerk.getByLabel('Giờ hẹn trả kết quả').fill('10:00');
  const r = await submit();
  assert.ok(r.error, 'a Sunday appointment was accepted');
  assert.match(r.error, /không phải ngày làm việc/);
  assert.match(r.error, /Hồ sơ chưa được tiếp nhận/);
  assert.doesNotMatch(r.error, /due_at|new_date/);   // Vietnamese words only
  // what was typed comes back
  assert.equal(await clerk.getByLabel('Họ và tên').first().inputValue(), 'Ngày Nghỉ Thử');
  assert.equal(await clerk.getByLabel('Ngày hẹn trả kết quả').inputValue(), localDay(2, true));
  const found = await clerk.request.get(`${srv.url}/mot-cua?hang=tim-kiem&q=0912999888`);
  assert.equal(found.status(), 200);
  assert.doesNotMatch(await found.text(), /Ngày Nghỉ Thử/);
});

test('all 14 procedures are received; the receipt says the appointment was set by hand', async () => {
  const all = [...VERIFIED, ...BY_HAND];
  for (const [i, code] of all.entries()) {
    const dossier = await receive(code, i);
    const page = await clerk.locator('main').innerText();
    const hand = BY_HAND.includes(code);
    assert.equal(page.includes(HAND), hand, `${code}: dossier page`);
    const res = await clerk.goto(`${srv.url}/mot-cua/ho-so/${dossier}/in/01`);
    assert.equal(res.status(), 200, `${code}: receipt`);
    const receipt = await clerk.locator('main').innerText();
    assert.match(receipt, /GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ/);
    assert.match(receipt, /4\. Thời gian trả kết quả giải quyết hồ sơ: .*(giờ|ngày)/);
    assert.equal(receipt.includes(`(${HAND})`), hand, `${code}: receipt wording\n${receipt}`);
    if (hand) assert.match(receipt, /16 giờ 00 phút/);
    if (i === 1) await checkA11y(clerk, 'mẫu 01 hẹn do cán bộ ấn định');
  }
});

test('a held dossier of such a procedure takes its appointment when received', async () => {
  await openForm('2.000950');
  await fillApplicant('Tổ Trưởng Chờ', '0912777666');
  const r = await submit('Lưu, chưa tiếp nhận');
  assert.ok(r.code, r.error);
  const form = clerk.locator('form[aria-label="Tiếp nhận hồ sơ"]');
  assert.equal(await form.count(), 1);
  await checkA11y(clerk, 'hồ sơ chờ tiếp nhận, hẹn do cán bộ ấn định');
  for (let tries = 0; tries < 10; tries++) {
    await form.getByLabel('Ngày hẹn trả kết quả').fill(localDay(4 + tries));
    await form.getByLabel('Giờ hẹn trả kết quả').fill('09:30');
    await Promise.all([clerk.waitForNavigation(), form.locator('button[type=submit]').click()]);
    const err = await clerk.locator('.alert-error').count();
    if (!err) break;
    assert.match(await clerk.locator('.alert-error').innerText(), /không phải ngày làm việc/);
  }
  const page = await clerk.locator('main').innerText();
  assert.match(page, new RegExp(HAND));
  assert.match(page, /09:30/);
});
