import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, launch, linkFor, openPage } from './browser.mjs';

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
  await page.getByLabel('Password (8 characters or more').fill('correct horse battery');
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
  // No log-in yet: the page says to confirm the address, and the form is gone.
  await host.page.getByTestId('check-your-email').waitFor();
  assert.equal(await host.page.getByTestId('host-signup').count(), 0);
  await logIn(host.page, 'host', hostEmail, 'correct horse battery');
  await host.page.waitForURL(`${BASE_URL}/host`);
  await host.page.getByRole('heading', { name: 'Your visitors' }).waitFor();
  await host.page.getByTestId('confirm-email-banner').waitFor();
  await host.page.goto(`${BASE_URL}${await linkFor(admin.context, hostEmail, '/account/confirm')}`);
  await hydrated(host.page);
  await host.page.getByLabel('Your password').fill('correct horse battery');
  await host.page.getByRole('button', { name: 'Confirm' }).click();
  await host.page.getByTestId('email-confirmed').waitFor();
  await host.page.goto(`${BASE_URL}/host`);
  assert.equal(await host.page.getByTestId('confirm-email-banner').count(), 0);
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
  await visitor.page.getByTestId('check-your-email').waitFor();
  await logIn(visitor.page, 'visitor', visitorEmail, 'correct horse battery');
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
  await signup.page.getByTestId('check-your-email').waitFor();
  await signup.context.close();

  const { context, page } = await openPage(browser, { javaScriptEnabled: false });
  const response = await page.goto(`${BASE_URL}/visitor`);
  assert.equal(response.url(), `${BASE_URL}/login?next=%2Fvisitor`);
  await page.getByRole('link', { name: 'I am a visitor' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${BASE_URL}/visitor`);
  await page.getByRole('heading', { name: 'Your visits' }).waitFor();
  await context.close();
});

test('an admin invites a host, who sets a password from the e-mail, logs in, and the link is then spent', async () => {
  const admin = await openPage(browser, { viewport: { width: 1440, height: 900 } });
  await logIn(admin.page, 'host', ADMIN.email, ADMIN.password);
  await admin.page.waitForURL(`${BASE_URL}/admin`);
  const created = await admin.context.request.post(`${BASE_URL}/api/v1/locations`, {
    data: { name: `Annex ${run}`, address: '2 Side St', time_zone: 'UTC' },
  });
  assert.equal(created.status(), 201);
  await admin.page.goto(`${BASE_URL}/admin/hosts`);
  await hydrated(admin.page);
  const email = `ivy.${run}@elsewhere.example`;
  const form = admin.page.getByTestId('add-host');
  await form.getByLabel('Name').fill('Ivy Invited');
  await form.getByLabel('E-mail').fill(email);
  await form.getByLabel(/Mobile number/).fill('+44 20 7946 0958');
  await form.getByLabel('Location').selectOption({ label: `Annex ${run}` });
  await form.getByRole('button', { name: 'Add host' }).click();
  const row = admin.page.getByTestId('hosts').locator('tr', { hasText: email });
  await row.getByTestId('host-status').getByText('invited').waitFor();
  await row.getByRole('button', { name: 'Send invitation again' }).waitFor();
  const link = await linkFor(admin.context, email, '/account/password');

  const ivy = await openPage(browser, { viewport: { width: 390, height: 844 } });
  await ivy.page.goto(`${BASE_URL}${link}`);
  await hydrated(ivy.page);
  await ivy.page.getByRole('heading', { name: /Welcome, Ivy Invited/ }).waitFor();
  await ivy.page.getByLabel('New password').fill('password');
  await ivy.page.getByRole('button', { name: 'Save password' }).click();
  await ivy.page.getByTestId('password-error').getByText('too easy to guess').waitFor();
  await ivy.page.getByLabel('New password').fill('lantern walrus quietly');
  await ivy.page.getByRole('button', { name: 'Save password' }).click();
  await ivy.page.waitForURL(`${BASE_URL}/host/login?password_set=1`);
  await ivy.page.getByTestId('password-set').waitFor();
  await ivy.page.getByLabel('Email').fill(email);
  await ivy.page.getByLabel('Password').fill('lantern walrus quietly');
  await ivy.page.getByRole('button', { name: 'Log in' }).click();
  await ivy.page.waitForURL(`${BASE_URL}/host`);
  await ivy.page.goto(`${BASE_URL}${link}`);
  await ivy.page.getByTestId('link-stale').waitFor();
  await admin.page.reload();
  await admin.page.getByTestId('hosts').locator('tr', { hasText: email }).getByTestId('host-status').getByText('active').waitFor();
  await ivy.context.close();
  await admin.context.close();
});

test('a visitor who forgot their password resets it from the e-mail, with JavaScript and without', async () => {
  const email = `fay.${run}@example.com`;
  const signup = await openPage(browser);
  await signUp(signup.page, 'visitor', 'Fay Forgetful', email);
  await signup.page.getByTestId('check-your-email').waitFor();
  await signup.context.close();
  const admin = await openPage(browser);
  await logIn(admin.page, 'host', ADMIN.email, ADMIN.password);
  await admin.page.waitForURL(`${BASE_URL}/admin`);

  let previous;
  for (const javaScriptEnabled of [true, false]) {
    const password = javaScriptEnabled ? 'marble canyon drift' : 'copper meadow echo';
    const { context, page } = await openPage(browser, { javaScriptEnabled });
    await page.goto(`${BASE_URL}/visitor/login`);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.waitForURL(`${BASE_URL}/visitor/forgot`);
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'E-mail me a link' }).click();
    await page.getByTestId('reset-sent').waitFor();
    previous = await linkFor(admin.context, email, '/account/password', { not: previous });
    await page.goto(`${BASE_URL}${previous}`);
    await page.getByLabel('New password').fill(password);
    await page.getByRole('button', { name: 'Save password' }).click();
    await page.waitForURL(`${BASE_URL}/visitor/login?password_set=1`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${BASE_URL}/visitor`);
    await context.close();
  }
  await admin.context.close();
});
