import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, launch, openPage } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the page hydrates: the wasm loads and a server function runs from the browser', async () => {
  const { context, page, problems } = await openPage(browser);
  const wasm = page.waitForResponse((r) => /\/pkg\/frontdesk\.[0-9a-f]{12}\.wasm$/.test(r.url()));
  await page.goto(`${BASE_URL}/status`);
  assert.equal((await wasm).status(), 200);
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 15000 });

  const checkedAt = page.getByTestId('checked-at');
  const before = await checkedAt.textContent();
  await page.evaluate(() => { window.__sameDocument = true; });
  const serverFn = page.waitForResponse((r) => r.url().includes('/api/get_status_report'));
  await page.getByRole('button', { name: 'Check again' }).click();
  assert.equal((await serverFn).status(), 200);
  await page.waitForFunction(
    (old) => document.querySelector('[data-testid="checked-at"]')?.textContent !== old,
    before,
  );
  // The check ran in place: no navigation, the same document.
  assert.equal(await page.evaluate(() => window.__sameDocument), true);
  assert.deepEqual(problems, []);
  await context.close();
});

test('with JavaScript disabled the pages are still served and usable', async () => {
  const { context, page } = await openPage(browser, { javaScriptEnabled: false });
  const response = await page.goto(`${BASE_URL}/`);
  assert.equal(response.status(), 200);
  assert.equal(await page.locator('h1').textContent(), 'Welcome to Frontdesk');
  assert.equal(await page.locator('body').getAttribute('data-hydrated'), null);

  await page.getByRole('link', { name: 'System status' }).first().click();
  await page.waitForURL(`${BASE_URL}/status`);
  assert.match(await page.getByTestId('database').textContent(), /^(SQLite|PostgreSQL)$/);
  // "Check again" is a plain GET form without JS: a reload with a fresh report.
  const reload = page.waitForNavigation();
  await page.getByRole('button', { name: 'Check again' }).click();
  assert.equal((await reload).status(), 200);
  await page.getByTestId('status-report').waitFor();
  await context.close();
});

test('an unknown address shows the not-found page with a way back', async () => {
  const { context, page } = await openPage(browser);
  const response = await page.goto(`${BASE_URL}/no/such/page`);
  assert.equal(response.status(), 404);
  await page.getByRole('heading', { name: 'We could not find that page' }).waitFor();
  await page.getByRole('link', { name: 'Back to the start' }).click();
  await page.waitForURL(`${BASE_URL}/`);
  await context.close();
});
