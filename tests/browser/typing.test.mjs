// typing.test.mjs — what a person types, in a real browser (issue #12
// items 2 and 3): the clerk's quick search opens a procedure only on an
// exact code or name and otherwise lists the matches, the phrase in the
// name first; the public catalogue ranks the same way.  Each page is
// checked with axe-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, launch, checkA11y, loginAs, BIN } from './lib.mjs';

const PW = 'mat-khau-thu-123';
let srv, browser, clerk;

before(async () => {
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

async function quick(p, q) {
  await p.goto(`${srv.url}/mot-cua/tiep-nhan`);
  await p.getByLabel('Tìm nhanh thủ tục').fill(q);
  await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Tìm', exact: true }).click()]);
  return p.locator('.quick-hits a').allInnerTexts();
}

test('the clerk picks the procedure he meant from a ranked list', async () => {
  const p = clerk;
  // a phrase typed in full: the names holding it first, the general one on top
  let hits = await quick(p, 'đăng ký khai sinh');
  assert.equal(hits[0], 'Thủ tục đăng ký khai sinh', hits.join(' | '));
  assert.ok(hits.indexOf('Thủ tục đăng ký lại khai sinh') > hits.indexOf('Thủ tục đăng ký khai sinh có yếu tố nước ngoài'));
  assert.equal(await p.locator('input[name=procedure_code]').count(), 0, 'a list, nothing opened');
  await checkA11y(p, 'tìm nhanh: danh sách xếp hạng');
  // one name matching is still a list: the clerk confirms what he meant
  hits = await quick(p, 'di chuc');
  assert.equal(hits[0], 'Chứng thực di chúc', hits.join(' | '));
  assert.equal(await p.locator('input[name=procedure_code]').count(), 0);
  hits = await quick(p, 'chứng thực');
  assert.ok(hits.length > 5, hits.join(' | '));
  hits = await quick(p, 'chung thuc ban sao');
  assert.match(hits[0], /^Chứng thực bản sao từ bản chính/);
  // an exact code or name (any case, tones, spaces) opens it straight away
  for (const q of ['1.001193', '  thủ tục ĐĂNG KÝ   khai sinh ']) {
    await quick(p, q);
    assert.equal(await p.locator('h2').first().innerText(), 'Thủ tục đăng ký khai sinh', q);
    assert.equal(await p.locator('input[name=procedure_code]').inputValue(), '1.001193');
  }
  await checkA11y(p, 'tìm nhanh: mở đúng thủ tục');
});

test('the public catalogue ranks the phrase in the name first', async () => {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const p = await ctx.newPage();
  await p.goto(`${srv.url}/thu-tuc?q=${encodeURIComponent('đăng ký khai sinh')}`);
  const names = await p.locator('.proc-name a').allInnerTexts();
  assert.equal(names[0], 'Thủ tục đăng ký khai sinh');
  assert.ok(names.indexOf('Thủ tục đăng ký lại khai sinh có yếu tố nước ngoài') <
    names.indexOf('Đăng ký việc nuôi con nuôi trong nước'), names.join(' | '));
  await checkA11y(p, 'danh mục: xếp hạng');
  await ctx.close();
});

// The intake form filled as a hurried clerk would; returns the page after sending.
async function intake(p, name) {
  await p.goto(`${srv.url}/mot-cua/tiep-nhan?thu_tuc=1.001193`);
  await p.getByLabel('Họ và tên').first().fill(name);
  await p.getByLabel('Số điện thoại').first().fill('0912345678');
  await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Tiếp nhận và hẹn ngày trả' }).click()]);
}

test('input a person would mistype: a blank name, a code in any form', async () => {
  const p = clerk;
  // a name of only spaces is refused in Vietnamese words, nothing saved
  await intake(p, '    ');
  const alert = await p.getByRole('alert').innerText();
  assert.match(alert, /ghi họ và tên người nộp hồ sơ/);
  assert.doesNotMatch(alert, /applicant|\w+\.\w+:/);
  await checkA11y(p, 'tiếp nhận: tên để trống');
  await p.getByLabel('Số định danh cá nhân (12 số)').fill('12345');
  await p.getByLabel('Họ và tên').first().fill('Võ Thị Gõ Nhầm');
  await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Tiếp nhận và hẹn ngày trả' }).click()]);
  assert.doesNotMatch(await p.getByRole('alert').innerText(), /applicant|id_number/);
  // received properly, then found by the code as people type it
  await p.getByLabel('Số định danh cá nhân (12 số)').fill('');
  await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Tiếp nhận và hẹn ngày trả' }).click()]);
  const code = (await p.locator('h1').innerText()).match(/Hồ sơ (\S+)/)[1];
  for (const typed of [`  ${code.toLowerCase()} `, ` ${code.slice(code.indexOf('-') + 1)}  `]) {
    await p.goto(`${srv.url}/mot-cua`);
    await p.getByLabel('Mã hồ sơ, tên, số định danh hoặc số điện thoại').fill(typed);
    await Promise.all([p.waitForNavigation(), p.getByRole('search', { name: 'Tìm hồ sơ' }).getByRole('button').first().click()]);
    assert.match(await p.locator('main').innerText(), new RegExp(code.replace(/\./g, '\\.')), typed);
    assert.match(await p.locator('main').innerText(), /Võ Thị Gõ Nhầm/);
  }
  await checkA11y(p, 'tìm hồ sơ theo mã rút gọn');
  // the citizen types the code in lower case with spaces, or as printed
  // short on the receipt, at /tra-cuu
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const c = await ctx.newPage();
  for (const typed of [` ${code.toLowerCase()}  `, ` ${code.slice(code.indexOf('-') + 1)} `]) {
    await c.goto(`${srv.url}/tra-cuu`);
    await c.getByLabel('Mã hồ sơ').fill(typed);
    await c.getByLabel('Số điện thoại hoặc số định danh cá nhân (12 số)').fill('0912345678');
    await Promise.all([c.waitForNavigation(), c.getByRole('button', { name: 'Tra cứu' }).click()]);
    assert.match(await c.locator('main').innerText(), /Đã tiếp nhận/, typed);
  }
  await checkA11y(c, 'tra cứu theo mã rút gọn');
  await ctx.close();
});
