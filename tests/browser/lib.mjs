// lib.mjs — what every browser test needs: the real motcua binary on a
// fresh data folder and a free port, Debian's chromium through
// playwright-core, an axe-core check and a layout check at phone width.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
export const BIN = process.env.MOTCUA_BIN || join(root, 'build', 'rel', 'motcua');
export const SHOTS = join(root, 'build', 'screenshots');
const AXE = readFileSync(join(here, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

// Starts `motcua serve` on a new data folder (or opts.dir, reused); resolves
// with { url, adminPassword, dir, stop({ keep }) }.  opts.env adds
// environment variables (e.g. libfaketime's, to run at a chosen instant);
// opts.args more serve arguments (no nightly backup unless they ask).
export async function startServer(opts = {}) {
  const dir = opts.dir || mkdtempSync(join(tmpdir(), 'motcua-browser-'));
  const extra = opts.args || [];
  if (!extra.includes('--backup-at')) extra.push('--backup-at', 'off');
  const proc = spawn(BIN, ['serve', '--data', dir, '--listen', '127.0.0.1:0', ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...(opts.env || {}) },
  });
  let errTail = '';
  proc.stderr.on('data', (d) => { errTail = (errTail + d.toString()).slice(-4000); });
  const lines = createInterface({ input: proc.stdout });
  let url = null;
  let adminPassword = null;
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start')), 20000);
    proc.on('exit', (code) => reject(new Error(`server exited ${code}`)));
    lines.on('line', (line) => {
      if (!url) {
        url = line.trim().replace(/\/$/, '');
        if (opts.dir) { clearTimeout(timer); resolve(); }   // a reused folder prints no password
      }
      const m = line.match(/Mật khẩu[^:]*\): (\S+)/);
      if (m) {
        adminPassword = m[1];
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return {
    url,
    adminPassword,
    dir,
    async stop({ keep = false } = {}) {
      const done = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
      proc.kill('SIGTERM');
      const code = await done;
      if (code !== 0) console.error(`motcua exited ${code}; its last words:\n${errTail}`);
      if (!keep) rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

// Runs axe-core on the page; fails with the list of violations.  axe is
// evaluated through the DevTools protocol, so the page's CSP (no inline
// script) stays in force.
export async function checkA11y(page, label) {
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  assert.deepEqual(result, [], `axe-core violations on ${label}:\n${result.join('\n')}`);
}

// Nothing may overflow the viewport horizontally (phone widths).
export async function checkNoOverflow(page, label) {
  const over = await page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    const bad = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > w + 1 && getComputedStyle(el).position !== 'fixed') {
        // content inside a horizontal scroller is fine
        let p = el.parentElement, scrolls = false;
        while (p && p !== document.body) {
          const ox = getComputedStyle(p).overflowX;
          if (ox === 'auto' || ox === 'scroll') { scrolls = true; break; }
          p = p.parentElement;
        }
        if (!scrolls) bad.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${el.className} right=${Math.round(r.right)}`);
      }
    }
    return { doc: document.documentElement.scrollWidth, w, bad: bad.slice(0, 5) };
  });
  assert.ok(over.doc <= over.w + 1 && over.bad.length === 0,
    `${label} overflows at ${over.w}px: scrollWidth=${over.doc} ${over.bad.join('; ')}`);
}

// Screenshots at phone and desktop widths, each checked for overflow.
export async function shoot(page, name) {
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    await checkNoOverflow(page, `${name}@${width}`);
    await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true });
  }
}

// Adds staff accounts to a data folder with `motcua user add`; each user
// is [username, role, full name, unit (optional)].
export function addUsers(dir, users, password) {
  for (const [u, role, name, unit = ''] of users) {
    execFileSync(BIN, ['user', 'add', '--data', dir, '--username', u, '--role', role,
      '--full-name', name, '--unit', unit, '--password-stdin'], { input: password + '\n' });
  }
}

export async function loginAs(page, base, username, password) {
  await page.goto(`${base}/dang-nhap`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Đăng nhập' }).click()]);
}

// Adds staff accounts, each [username, role, full name], to a server's
// data folder through the CLI, all with one password.
export function addStaff(dir, staff, password) {
  for (const [u, role, name] of staff) {
    execFileSync(BIN, ['user', 'add', '--data', dir, '--username', u, '--role', role,
      '--full-name', name, '--password-stdin'], { input: password + '\n' });
  }
}

// Takes an action through its form (named by its aria-label) on the
// dossier page at base, as the page's user; fails when the page then
// shows an error.
export async function actOn(page, base, code, label, fill) {
  await page.goto(`${base}/mot-cua/ho-so/${code}`);
  const form = page.locator(`form[aria-label="${label}"]`);
  assert.equal(await form.count(), 1, `no form "${label}" on ${code} for this user`);
  if (fill) await fill(form);
  await Promise.all([page.waitForNavigation(), form.locator('button[type=submit]').click()]);
  const err = await page.locator('.alert-error').count();
  assert.equal(err, 0, `${label} on ${code}: ${err ? await page.locator('.alert-error').innerText() : ''}`);
}

// A fresh server with staff accounts (addStaff), each signed in in a
// browser context of its own at 1280 px: { srv, browser, pages (by
// username), close() } — close() also checks the server stopped cleanly.
export async function staffTeam(staff, password) {
  mkdirSync(SHOTS, { recursive: true });
  const srv = await startServer();
  addStaff(srv.dir, staff, password);
  const browser = await launch();
  const pages = {};
  for (const [u] of staff) {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    pages[u] = await ctx.newPage();
    await loginAs(pages[u], srv.url, u, password);
  }
  return {
    srv, browser, pages,
    async close() {
      await browser.close();
      assert.equal(await srv.stop(), 0);
    },
  };
}

// The admin marks procedure `code` online (full) through the catalogue
// importer, on a server's data folder.
export function markOnline(dir, code) {
  const all = join(dir, 'all.json'), one = join(dir, 'one.json');
  execFileSync(BIN, ['export', 'procedures', '--data', dir, '--out', all]);
  const doc = JSON.parse(readFileSync(all, 'utf8'));
  const p = doc.procedures.find((x) => x.code === code);
  p.online_level = 'full';
  doc.procedures = [p];
  writeFileSync(one, JSON.stringify(doc));
  execFileSync(BIN, ['import', 'procedures', '--data', dir, one]);
}

// The one-time code of the newest message to `to` in DATA/messages of a
// server's data folder (the delivery worker writes it shortly after the
// request that queued it, so this polls).
export async function codeFor(dataDir, to) {
  const dir = join(dataDir, 'messages');
  for (let i = 0; i < 200; i++) {
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.txt'))
      .sort((a, b) => Number(b.split('-')[0]) - Number(a.split('-')[0])) : [];
    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8');
      const body = text.split('\n\n').slice(1).join('\n\n');
      const m = body.match(/(?<!\d)(\d{6})(?!\d)/);
      if (text.startsWith(`To: ${to}\n`) && m) return m[1];
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no message to ${to}`);
}
