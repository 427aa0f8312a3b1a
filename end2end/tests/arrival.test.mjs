// Checking in on one's own phone (390x844) from the lobby poster's link: a visitor
// with a confirmed address taps once, the host's open dashboard shows it live, the
// visitor checks out from their dashboard; the same without JavaScript.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { BASE_URL, launch, linkFor, openPage } from './browser.mjs';
import { assertAccessible, ARTIFACTS } from './axe.mjs';

const ADMIN = { email: 'admin@example.com', password: 'e2e admin passphrase' };
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1440, height: 900 } };
const PASSWORD = 'correct horse battery';
const run = Date.now();
const LOCATION = `Atrium ${run}`;
const HOST = { name: `Hiro Arrival ${run}`, email: `hiro.${run}@example.com` };

let browser;
let admin;
let host;
let locationId;
before(async () => {
  browser = await launch();
  mkdirSync(ARTIFACTS, { recursive: true });
  admin = await openPage(browser, DESKTOP);
  await logIn(admin.page, 'host', ADMIN.email, ADMIN.password, true);
  await admin.page.waitForURL(`${BASE_URL}/admin`);
  const created = await admin.context.request.post(`${BASE_URL}/api/v1/locations`, {
    data: { name: LOCATION, address: '5 Harbour Rd', time_zone: 'Europe/London', country: 'GB' },
  });
  assert.equal(created.status(), 201);
  locationId = (await created.json()).id;
  // The host signs up there (example.com needs no approval), confirms, and opens the dashboard.
  host = await openPage(browser, DESKTOP);
  await signUp(host.page, 'host', HOST.name, HOST.email, true, '+44 7911 123100', async () => {
    await host.page.getByLabel('Location').selectOption({ label: LOCATION });
  });
  await confirm(host.page, HOST.email, true);
  await logIn(host.page, 'host', HOST.email, PASSWORD, true);
  await host.page.waitForURL(`${BASE_URL}/host`);
  await hydrated(host.page);
});
after(async () => { await browser?.close(); });

async function hydrated(page) {
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 15000 });
}

async function ready(page, js) {
  if (js) await hydrated(page);
  else await page.waitForLoadState('load');
}

async function logIn(page, door, email, password, js) {
  await page.goto(`${BASE_URL}/${door}/login`);
  await ready(page, js);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

async function signUp(page, door, name, email, js, phone, extra = async () => {}) {
  await page.goto(`${BASE_URL}/${door}/signup`);
  await ready(page, js);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Mobile phone').fill(phone);
  await page.getByLabel('Password (8 characters or more').fill(PASSWORD);
  await extra();
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByTestId('check-your-email').waitFor();
}

/** Follows the confirmation link e-mailed to `email` (read from the dev mailbox). */
async function confirm(page, email, js) {
  const link = await linkFor(admin.context, email, '/account/confirm');
  await page.goto(`${BASE_URL}${link}`);
  await ready(page, js);
  await page.getByLabel('Your password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.getByTestId('email-confirmed').waitFor();
}

/** Today's poster link, as the admin prints it. */
async function posterLink() {
  await admin.page.goto(`${BASE_URL}/admin/locations/${locationId}/poster`);
  await hydrated(admin.page);
  await admin.page.getByTestId('poster').waitFor();
  const code = (await admin.page.getByTestId('poster-code').textContent()).trim();
  assert.match(code, /^[a-z2-7]{8}$/);
  return `/arrive/${locationId}/${code}`;
}

/** A visitor signs up on their phone, confirms the address and logs in. */
async function visitorOnPhone(name, js, number) {
  const phone = await openPage(browser, { ...PHONE, javaScriptEnabled: js });
  const email = `${name.split(' ')[0].toLowerCase()}.${run}@example.org`;
  await signUp(phone.page, 'visitor', name, email, js, number);
  await confirm(phone.page, email, js);
  await logIn(phone.page, 'visitor', email, PASSWORD, js);
  await phone.page.waitForURL(`${BASE_URL}/visitor`, { timeout: 5000 }).catch(async (e) => {
    await phone.page.screenshot({ path: `${ARTIFACTS}/debug-login.png`, fullPage: true });
    console.log('at', phone.page.url(), await phone.page.textContent('main'));
    throw e;
  });
  return { ...phone, email };
}

async function checkInOnPhone(page, link, js) {
  await page.goto(`${BASE_URL}${link}`);
  await ready(page, js);
  await page.getByRole('heading', { name: `Check in at ${LOCATION}` }).waitFor();
  await page.getByTestId('arriving-as').waitFor();
  await page.getByLabel('Who are you visiting?').fill(HOST.name.slice(0, 4));
  if (!js) {
    await page.getByRole('button', { name: 'Find' }).click();
    await page.waitForURL(/search=/);
  }
  await page.getByLabel(HOST.name).check();
  return page;
}

test('a confirmed visitor checks in from the poster link on their phone, the host sees it live, and the visitor checks out', async () => {
  const link = await posterLink();
  await assertAccessible(admin.page, 'admin: lobby poster');
  await admin.page.screenshot({ path: `${ARTIFACTS}/arrival-poster.png` });
  const pdf = await admin.page.pdf({ format: 'A4' });
  assert.ok(pdf.length > 1000, 'the poster prints');

  const visitor = await visitorOnPhone('Vida Phone', true, '+44 7911 123101');
  await checkInOnPhone(visitor.page, link, true);
  await assertAccessible(visitor.page, 'arrival page');
  await visitor.page.screenshot({ path: `${ARTIFACTS}/arrival-phone.png`, fullPage: true });
  await visitor.page.getByRole('button', { name: 'Check in' }).click();
  await visitor.page.waitForURL(/\/checkout\/[^?]+\?arrived=1$/);
  await visitor.page.getByTestId('arrived').waitFor();
  await visitor.page.screenshot({ path: `${ARTIFACTS}/arrival-done.png`, fullPage: true });

  // The host's open dashboard shows the arrival without a reload.
  await host.page.getByTestId('running-entries').getByRole('link', { name: 'Vida Phone' }).waitFor({ timeout: 5000 });

  await visitor.page.goto(`${BASE_URL}/visitor`);
  await hydrated(visitor.page);
  const running = visitor.page.getByTestId('running-visits');
  await running.getByText(LOCATION).waitFor();
  await assertAccessible(visitor.page, 'visitor dashboard with a running visit');
  await visitor.page.screenshot({ path: `${ARTIFACTS}/arrival-visitor-dashboard.png`, fullPage: true });
  await running.getByRole('button', { name: 'Check out' }).click();
  await visitor.page.getByTestId('running-visits-empty').waitFor();
  await visitor.page.getByTestId('visits').getByText(LOCATION).waitFor();
  const caption = await visitor.page.getByTestId('week-chart').textContent();
  assert.match(caption, /1 visit in the past 7 days/);
  await visitor.page.getByTestId('available-hosts').getByRole('link', { name: 'Check in again' }).waitFor();
  await visitor.context.close();
});

test('without JavaScript a visitor finds the host with Find, checks in, and checks out from the dashboard', async () => {
  const link = await posterLink();
  const visitor = await visitorOnPhone('Nora Noscript', false, '+44 7911 123102');
  await checkInOnPhone(visitor.page, link, false);
  await visitor.page.getByRole('button', { name: 'Check in' }).click();
  await visitor.page.waitForURL(/\/checkout\/[^?]+\?arrived=1$/);
  await visitor.page.getByTestId('arrived').waitFor();
  await host.page.getByTestId('running-entries').getByRole('link', { name: 'Nora Noscript' }).waitFor({ timeout: 5000 });

  await visitor.page.goto(`${BASE_URL}/visitor`);
  await visitor.page.getByTestId('running-visits').getByRole('button', { name: 'Check out' }).click();
  await visitor.page.getByTestId('running-visits-empty').waitFor();
  assert.match(visitor.page.url(), /\/visitor/);
  await visitor.context.close();
});

test('a guest without an account checks in from the link with a foreign number; a wrong code is refused', async () => {
  const link = await posterLink();
  const guest = await openPage(browser, PHONE);
  await guest.page.goto(`${BASE_URL}/arrive/${locationId}/abcdefgh`);
  await hydrated(guest.page);
  await guest.page.getByText('This check-in link is not valid').waitFor();
  await guest.page.goto(`${BASE_URL}${link}`);
  await hydrated(guest.page);
  await guest.page.getByLabel('Who are you visiting?').fill(HOST.name.slice(0, 4));
  await guest.page.getByLabel(HOST.name).check();
  await guest.page.getByLabel('Your full name').fill('Guido Gast');
  await guest.page.getByLabel('E-mail').fill(`guido.${run}@example.de`);
  await guest.page.getByLabel('Mobile number').fill('12');
  await guest.page.getByRole('button', { name: 'Check in' }).click();
  await guest.page.getByTestId('phone-error').filter({ hasText: /\w/ }).waitFor();
  assert.equal(await guest.page.getByLabel('Your full name').inputValue(), 'Guido Gast', 'nothing typed is lost');
  await guest.page.getByLabel('Mobile number').fill('+49 30 901820');
  await guest.page.getByRole('button', { name: 'Check in' }).click();
  await guest.page.waitForURL(/\?arrived=1$/);
  await guest.page.getByTestId('arrived').waitFor();
  await host.page.getByTestId('running-entries').getByRole('link', { name: 'Guido Gast' }).waitFor({ timeout: 5000 });
  await guest.context.close();
});
