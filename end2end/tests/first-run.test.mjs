// First run as a newcomer sees it: the binary alone in an empty folder, an empty
// database, the setup link it prints; then `frontdesk demo` on another database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, openPage } from './browser.mjs';
import { assertAccessible } from './axe.mjs';

const BIN = process.env.FRONTDESK_BIN;
const ARTIFACTS = process.env.ARTIFACTS_DIR;

let browser;
const cleanup = [];
before(async () => { browser = await launch(); });
after(async () => {
  await browser?.close();
  for (const step of cleanup.reverse()) step();
});

/** `frontdesk serve` from an empty folder on a fresh SQLite file; resolves with its
 * address and what it printed before listening. */
function serve(dir) {
  const env = { PATH: process.env.PATH, DATABASE_URL: `sqlite://${join(dir, 'frontdesk.db')}`,
    FRONTDESK_ADDR: '127.0.0.1:0', FRONTDESK_LOG_FORMAT: 'json' };
  const child = spawn(BIN, ['serve'], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
  cleanup.push(() => child.kill());
  return new Promise((resolve, reject) => {
    const lines = [];
    let buffer = '';
    child.on('exit', (code) => reject(new Error(`frontdesk exited ${code}: ${lines.join('\n')}`)));
    child.stderr.on('data', (chunk) => {
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 1);
        lines.push(line);
        if (line.includes('Frontdesk is listening')) {
          resolve({ address: `http://${JSON.parse(line).addr}`, lines });
        }
      }
    });
  });
}

async function fillSetup(page, f) {
  await page.getByLabel('Your name').fill(f.name);
  await page.getByLabel('E-mail (you log in with it)').fill(f.email);
  await page.getByLabel('Password (8 characters or more)').fill(f.password);
  await page.getByLabel(/^Name \(guests see it/).fill(f.location);
  await page.getByLabel(/^Address/).fill(f.address);
  await page.getByLabel(/^Time zone/).fill(f.timeZone);
  await page.getByLabel('Country').selectOption(f.country);
}

function emptyDir() {
  const dir = mkdtempSync(join(tmpdir(), 'frontdesk-first-run-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('a newcomer opens the printed setup link, creates the admin and location, and is shown the next steps', async () => {
  assert.ok(BIN, 'scripts/e2e sets FRONTDESK_BIN');
  const { address, lines } = await serve(emptyDir());
  const link = lines.map((l) => l.split('set up Frontdesk at ')[1]).find(Boolean);
  assert.ok(link?.startsWith(`${address}/setup?token=`), lines.join('\n'));

  const { context, page, problems } = await openPage(browser, { viewport: { width: 1440, height: 900 } });
  const wrong = await page.goto(`${address}/setup?token=wrong`);
  assert.equal(wrong.status(), 403);
  await page.getByText('This setup link is not valid').waitFor();

  await page.goto(link);
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 15000 });
  await assertAccessible(page, 'setup');
  await fillSetup(page, { name: 'Meena Iyer', email: 'meena@example.com', password: 'short',
    location: 'Bengaluru HQ', address: '1 MG Road, Bengaluru', timeZone: 'Asia/Kolkata', country: 'IN' });
  if (ARTIFACTS) await page.screenshot({ path: join(ARTIFACTS, 'setup-1440.png'), fullPage: true });
  // The browser's own check stops "short"; the server's rule is what counts, so lift it.
  await page.evaluate(() => document.getElementById('password').removeAttribute('minlength'));
  await page.getByRole('button', { name: 'Create admin and location' }).click();
  await page.getByTestId('password-error').getByText('at least 8').waitFor();
  assert.equal(await page.getByLabel('Your name').inputValue(), 'Meena Iyer', 'a refused form keeps what was typed');

  await page.getByLabel('Password (8 characters or more)').fill('a long first passphrase');
  await page.getByRole('button', { name: 'Create admin and location' }).click();
  await page.waitForURL(`${address}/admin?welcome=1`);
  await page.getByTestId('next-steps').waitFor();
  if (ARTIFACTS) await page.screenshot({ path: join(ARTIFACTS, 'setup-done-1440.png'), fullPage: true });
  // The refused link (403) and the refused password (422) are the console's only news.
  assert.deepEqual(problems.filter((p) => !/status of (403|422)/.test(p)), []);

  const gone = await page.goto(link);
  assert.equal(gone.status(), 404);
  await context.close();
});

test('the setup page works without JavaScript on a phone', async () => {
  const { address, lines } = await serve(emptyDir());
  const link = lines.map((l) => l.split('set up Frontdesk at ')[1]).find(Boolean);
  const { context, page } = await openPage(browser, { javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  await page.goto(link);
  await fillSetup(page, { name: 'Ravi Kumar', email: 'ravi@example.com', password: 'another long passphrase',
    location: 'London Office', address: '1 Strand, London', timeZone: 'Europe/London', country: 'GB' });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no horizontal scrolling at 390 px (${width})`);
  if (ARTIFACTS) await page.screenshot({ path: join(ARTIFACTS, 'setup-390-nojs.png'), fullPage: true });
  await page.getByRole('button', { name: 'Create admin and location' }).click();
  await page.waitForURL(`${address}/admin?welcome=1`);
  await page.getByTestId('next-steps').waitFor();
  await context.close();
});

test('the demo fills another database: the host dashboard and the visitor chart have something to show', async () => {
  const dir = emptyDir();
  const out = execFileSync(BIN, ['demo'], {
    cwd: dir, env: { PATH: process.env.PATH, DATABASE_URL: `sqlite://${join(dir, 'frontdesk.db')}` },
  }).toString();
  const password = out.match(/^Every demo account's password: (.+)$/m)?.[1];
  assert.ok(password, out);
  const { address } = await serve(dir);

  const { context, page, problems } = await openPage(browser, { viewport: { width: 1440, height: 900 } });
  await page.goto(`${address}/host/login`);
  await page.getByLabel('Email').fill('meena.iyer@example.com');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${address}/host`);
  await page.getByText('Ravi Kumar').first().waitFor();
  if (ARTIFACTS) await page.screenshot({ path: join(ARTIFACTS, 'demo-host-1440.png'), fullPage: true });
  await context.close();

  const phone = await openPage(browser, { viewport: { width: 390, height: 844 } });
  await phone.page.goto(`${address}/visitor/login`);
  await phone.page.getByLabel('Email').fill('ravi.kumar@example.net');
  await phone.page.getByLabel('Password').fill(password);
  await phone.page.getByRole('button', { name: 'Log in' }).click();
  await phone.page.waitForURL(`${address}/visitor`);
  const counts = await phone.page.locator('[data-testid="week-chart"] .chart-count').allTextContents();
  assert.equal(counts.length, 7);
  assert.ok(counts.map(Number).reduce((a, b) => a + b, 0) >= 3, `visits in the chart: ${counts}`);
  if (ARTIFACTS) await phone.page.screenshot({ path: join(ARTIFACTS, 'demo-visitor-390.png'), fullPage: true });
  assert.deepEqual([...problems, ...phone.problems], []);
  await phone.context.close();
});
