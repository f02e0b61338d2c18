// open311.test.mjs — the Open311 API keys as the admin handles them.  From
// the menu the admin opens "Khóa Open311", names the client application
// and gets its key once (copied from a read-only field); the key files a
// request at once; the list shows the client by the key's first
// characters only, when it was last used and how often; "Thu hồi" ends
// the key and the next request with it is refused (403).  Axe on each state.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { startServer, launch, checkA11y, shoot, loginAs, SHOTS } from './lib.mjs';

let srv, browser;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  srv = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  assert.equal(await srv?.stop(), 0);
});

// One GeoReport POST with key, as a client program sends it.
async function file(key) {
  const body = new URLSearchParams({
    api_key: key, service_code: 'chieu-sang', lat: '16.06', long: '108.21',
    address_string: 'Đường liên thôn, thôn Tây', description: 'Đèn đường không sáng.',
  });
  const res = await fetch(`${srv.url}/open311/v2/requests.json`, { method: 'POST', body });
  return { status: res.status, json: await res.json() };
}

test('the admin issues a key shown once, the client files with it, the admin revokes it', async () => {
  const page = await browser.newPage();
  await loginAs(page, srv.url, 'admin', srv.adminPassword);
  await page.getByRole('link', { name: 'Khóa Open311', exact: true }).click();
  assert.equal(new URL(page.url()).pathname, '/quan-tri/open311');
  assert.match(await page.locator('main').innerText(), /Chưa cấp khóa nào/);
  await checkA11y(page, 'khóa Open311 (trống)');

  await page.getByLabel('Tên ứng dụng hoặc đơn vị sử dụng').fill('Ứng dụng Phản ánh hiện trường tỉnh');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Cấp khóa' }).click()]);
  const shown = await page.getByRole('status').first().innerText();
  assert.match(shown, /khóa chỉ hiện một lần/);
  const key = await page.getByRole('textbox', { name: 'Khóa API' }).inputValue();
  assert.match(key, /^o311_[A-Za-z0-9_-]{43}$/);
  await checkA11y(page, 'khóa Open311 (vừa cấp)');
  await shoot(page, 'quan-tri-open311');

  const ok = await file(key);
  assert.equal(ok.status, 200);
  assert.match(ok.json[0].service_request_id, /^PA-/);

  // the list: the client, the key's first characters, used once; never the key
  await page.goto(`${srv.url}/quan-tri/open311`);
  const row = page.locator('table.list tbody tr', { hasText: 'Ứng dụng Phản ánh hiện trường tỉnh' });
  const text = await row.innerText();
  assert.match(text, new RegExp(key.slice(0, 9)));
  assert.match(text, /Đang dùng/);
  assert.match(text, /\b1\b/);
  assert.ok(!(await page.content()).includes(key), 'the key is never shown again');

  await Promise.all([page.waitForNavigation(),
    row.getByRole('button', { name: 'Thu hồi khóa của Ứng dụng Phản ánh hiện trường tỉnh' }).click()]);
  assert.match(await page.getByRole('status').first().innerText(), /Đã thu hồi khóa/);
  assert.match(await row.innerText(), /Đã thu hồi/);
  await checkA11y(page, 'khóa Open311 (đã thu hồi)');

  const refused = await file(key);
  assert.equal(refused.status, 403);
  assert.equal(refused.json[0].code, '403');
  assert.match(refused.json[0].description, /\[invalid_api_key\]$/);
  await page.close();
});

test('a nameless key is refused with the reason, nothing issued', async () => {
  const page = await browser.newPage();
  await loginAs(page, srv.url, 'admin', srv.adminPassword);
  await page.goto(`${srv.url}/quan-tri/open311`);
  const before = await page.locator('table.list tbody tr').count();
  await page.getByLabel('Tên ứng dụng hoặc đơn vị sử dụng').evaluate((el) => { el.removeAttribute('required'); el.value = '   '; });
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Cấp khóa' }).click()]);
  assert.match(await page.getByRole('alert').innerText(), /Hãy ghi tên ứng dụng/);
  assert.equal(await page.locator('table.list tbody tr').count(), before);
  await checkA11y(page, 'khóa Open311 (lỗi)');
  await page.close();
});

test('the keys page is for the admin only', async () => {
  const page = await browser.newPage();
  await page.goto(`${srv.url}/quan-tri/open311`);
  assert.equal(new URL(page.url()).pathname, '/dang-nhap');
  await page.close();
});
