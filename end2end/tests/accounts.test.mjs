import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, launch, openPage } from './browser.mjs';

// scripts/e2e starts the server with this admin and example.com as an allowed host domain.
const ADMIN = { email: 'admin@example.com', password: 'e2e admin passphrase' };
const run = Date.now();

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Records CSP violations as the page sees them (console messages can be summarised). */
async function watchCsp(context) {
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective}: ${e.blockedURI}`);
    });
  });
}

async function hydrated(page) {
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 15000 });
}

async function logIn(page, door, email, password) {
  await page.goto(`${BASE_URL}/${door}/login`);
  await hydrated(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

async function signUp(page, door, name, email, extra = async () => {}) {
  await page.goto(`${BASE_URL}/${door}/signup`);
  await hydrated(page);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Mobile phone').fill('+1 415 555 0100');
  await page.getByLabel('Password (8 characters or more)').fill('correct horse battery');
  await extra();
  await page.getByRole('button', { name: 'Sign up' }).click();
}

test('a host and a visitor each sign up and log in through their own door, under the CSP', async () => {
  // The admin logs in at the staff door and adds a location for hosts to pick.
  const admin = await openPage(browser);
  await watchCsp(admin.context);
  const csp = admin.page.waitForResponse((r) => r.url() === `${BASE_URL}/host/login`);
  await logIn(admin.page, 'host', ADMIN.email, ADMIN.password);
  assert.match((await csp).headers()['content-security-policy'], /'nonce-[^']+'.*'wasm-unsafe-eval'/);
  await admin.page.waitForURL(`${BASE_URL}/admin`);
  const created = await admin.context.request.post(`${BASE_URL}/api/v1/locations`, {
    data: { name: `HQ ${run}`, address: '1 Main St', time_zone: 'UTC' },
  });
  assert.equal(created.status(), 201);

  // A host signs up (allowed domain: active at once) and lands on the host dashboard.
  const host = await openPage(browser);
  await watchCsp(host.context);
  const hostEmail = `host.${run}@example.com`;
  await signUp(host.page, 'host', 'Hana Host', hostEmail, async () => {
    await host.page.getByLabel('Location').selectOption({ label: `HQ ${run}` });
  });
  await host.page.waitForURL(`${BASE_URL}/host`);
  await host.page.getByRole('heading', { name: 'Your visitors' }).waitFor();
  await host.page.getByTestId('log-out').click();
  await host.page.waitForURL(`${BASE_URL}/`);
  await host.page.getByRole('link', { name: 'Log in' }).first().waitFor();
  await logIn(host.page, 'host', hostEmail, 'correct horse battery');
  await host.page.waitForURL(`${BASE_URL}/host`);

  // A visitor signs up, logs out, and logs back in at the visitor door.
  const visitor = await openPage(browser);
  await watchCsp(visitor.context);
  const visitorEmail = `visitor.${run}@example.com`;
  await signUp(visitor.page, 'visitor', 'Vic Visitor', visitorEmail);
  await visitor.page.waitForURL(`${BASE_URL}/visitor`);
  await visitor.page.getByRole('heading', { name: 'Your visits' }).waitFor();
  await visitor.page.getByTestId('log-out').click();
  await visitor.page.waitForURL(`${BASE_URL}/`);
  // The host door does not open for a visitor account.
  await logIn(visitor.page, 'host', visitorEmail, 'correct horse battery');
  await visitor.page.getByRole('alert').getByText('do not match a host or admin account').waitFor();
  assert.equal(visitor.page.url(), `${BASE_URL}/host/login`);
  await logIn(visitor.page, 'visitor', visitorEmail, 'correct horse battery');
  await visitor.page.waitForURL(`${BASE_URL}/visitor`);

  for (const [who, { page, problems, context }] of Object.entries({ admin, host, visitor })) {
    assert.deepEqual(await page.evaluate(() => window.__cspViolations), [], `${who}: CSP violations`);
    // A failed log-in answers 409 on purpose; nothing else may fail.
    const unexpected = problems.filter((p) => !p.includes('409'));
    assert.deepEqual(unexpected, [], `${who}: console problems`);
    await context.close();
  }
});

test('without JavaScript the visitor door still logs in and private pages redirect to log-in', async () => {
  const signup = await openPage(browser);
  const email = `nojs.${run}@example.com`;
  await signUp(signup.page, 'visitor', 'Nora NoJS', email);
  await signup.page.waitForURL(`${BASE_URL}/visitor`);
  await signup.context.close();

  const { context, page } = await openPage(browser, { javaScriptEnabled: false });
  const response = await page.goto(`${BASE_URL}/visitor`);
  assert.equal(response.url(), `${BASE_URL}/login`);
  await page.getByRole('link', { name: 'I am a visitor' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${BASE_URL}/visitor`);
  await page.getByRole('heading', { name: 'Your visits' }).waitFor();
  await context.close();
});
