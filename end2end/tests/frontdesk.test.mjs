// The front desk end to end, on a 1024x768 tablet: pair a kiosk, check a guest in,
// the host sees and checks them out, the guest's own link, the CSV export; with and
// without JavaScript. axe-core checks every page on the way; screenshots are saved.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { BASE_URL, launch, linkFor, openPage } from './browser.mjs';
import { assertAccessible, ARTIFACTS } from './axe.mjs';

const ADMIN = { email: 'admin@example.com', password: 'e2e admin passphrase' };
const TABLET = { viewport: { width: 1024, height: 768 }, hasTouch: true };
const run = Date.now();
/** A distinct US number per guest and run (the server's default region is US). */
const phone = (k) => `+1 415 555 ${String((run + k) % 10000).padStart(4, '0')}`;
const LOCATION = `Lobby ${run}`;
const HOST = { name: `Kim Host ${run}`, email: `kim.${run}@example.com`, password: 'correct horse battery' };

let browser;
before(async () => {
  browser = await launch();
  mkdirSync(ARTIFACTS, { recursive: true });
});
after(async () => { await browser?.close(); });

async function hydrated(page) {
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 15000 });
}

/** Waits for the page to be interactive: hydrated with JS, loaded without. */
async function ready(page, js) {
  if (js) await hydrated(page);
  else await page.waitForLoadState('load');
}

async function logIn(page, email, password, js = true) {
  await page.goto(`${BASE_URL}/host/login`);
  await ready(page, js);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

async function screenshot(page, name) {
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: false });
}

/** The admin's pairing code for a new kiosk at our location. */
async function newPairingCode(admin, name) {
  await admin.goto(`${BASE_URL}/admin/kiosks`);
  await hydrated(admin);
  await admin.getByLabel('Name (where the tablet stands)').fill(name);
  await admin.getByLabel('Location').selectOption({ label: LOCATION });
  await admin.getByRole('button', { name: 'Create pairing code' }).click();
  const code = await admin.getByTestId('code').textContent();
  assert.match(code, /^[A-Z2-9]{10}$/);
  return code;
}

async function pairTablet(page, code, js) {
  await page.goto(`${BASE_URL}/kiosk/pair`);
  await ready(page, js);
  await page.getByLabel('Pairing code').fill(code);
  await page.getByRole('button', { name: 'Pair' }).click();
  await page.waitForURL(`${BASE_URL}/kiosk`);
  await page.getByRole('heading', { name: 'Welcome' }).waitFor();
}

/** Walks a guest through the kiosk; returns the self-check-out link. */
async function kioskCheckIn(page, guest, js, { axe = false } = {}) {
  await page.getByRole('link', { name: 'Check in' }).click();
  await page.waitForURL(`${BASE_URL}/kiosk/check-in`);
  await ready(page, js);
  if (axe) await assertAccessible(page, 'kiosk: phone');
  await page.getByLabel('Your mobile number').fill(guest.phone);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.waitForURL(/\/kiosk\/check-in\/details/);
  await ready(page, js);
  if (guest.confirm) {
    // A returning guest proves who they are before their details appear.
    if (axe) await assertAccessible(page, 'kiosk: confirm');
    await page.getByLabel(/surname or e-mail/).fill(guest.confirm);
    await page.getByRole('button', { name: 'Fill in my details' }).click();
    await page.getByTestId('welcome-back').waitFor();
  }
  if (guest.name) {
    await page.getByLabel('Full name').fill(guest.name);
    await page.getByLabel('E-mail').fill(guest.email);
  }
  if (js) await page.getByLabel('Search hosts').fill(HOST.name.slice(0, 6));
  if (axe) await assertAccessible(page, 'kiosk: details');
  await page.getByLabel(HOST.name).check();
  await page.getByRole('button', { name: 'Check in' }).click();
  await page.waitForURL(/\/kiosk\/done\//);
  await page.getByTestId('done').waitFor();
  return page.getByTestId('checkout-link').getAttribute('href');
}

/** The host's dashboard lists `guest` under running (or past) entries. */
async function hostSees(page, guestName, table, js) {
  await page.goto(`${BASE_URL}/host`);
  await ready(page, js);
  await page.getByTestId(table).getByRole('link', { name: guestName }).first().waitFor();
}

async function checkOutFromDetails(page, guestName, js) {
  await page.goto(`${BASE_URL}/host`);
  await ready(page, js);
  await page.getByTestId('running-entries').getByRole('link', { name: guestName }).click();
  await page.waitForURL(/\/visits\/\d+$/);
  await ready(page, js);
  await page.getByRole('button', { name: 'Check out' }).click();
  await page.getByTestId('visit').getByText('Checked out by').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Check out' }).count(), 0);
}

let admin;
let host;

test('an admin sets up a location, a host signs up there', async () => {
  admin = await openPage(browser, TABLET);
  await logIn(admin.page, ADMIN.email, ADMIN.password);
  await admin.page.waitForURL(`${BASE_URL}/admin`);
  await hydrated(admin.page);
  await admin.page.getByRole('link', { name: 'Locations' }).click();
  await admin.page.waitForURL(`${BASE_URL}/admin/locations`);
  await assertAccessible(admin.page, 'admin: locations');
  const add = admin.page.getByTestId('add-location');
  await add.getByLabel('Name', { exact: true }).fill(LOCATION);
  await add.getByLabel(/Address/).fill('1 Harbour St, Sydney');
  await add.getByLabel(/Country/).selectOption('AU');
  // A bad time zone is refused next to the field, and nothing is created.
  await add.getByLabel(/Time zone/).fill('Mars/Olympus');
  await add.getByRole('button', { name: 'Add location' }).click();
  await admin.page.getByTestId('time_zone-error').getByText('not an IANA time zone').waitFor();
  // ... in place: what was typed is still there.
  assert.equal(await add.getByLabel('Name', { exact: true }).inputValue(), LOCATION);
  await add.getByLabel(/Time zone/).fill('Australia/Sydney');
  await add.getByRole('button', { name: 'Add location' }).click();
  await admin.page.getByTestId('locations').locator(`input[value="${LOCATION}"]`).waitFor();

  host = await openPage(browser, TABLET);
  await host.page.goto(`${BASE_URL}/host/signup`);
  await hydrated(host.page);
  await host.page.getByLabel('Name').fill(HOST.name);
  await host.page.getByLabel('Email').fill(HOST.email);
  await host.page.getByLabel('Mobile phone').fill('+1 415 555 0142');
  await host.page.getByLabel('Password (8 characters or more').fill(HOST.password);
  await host.page.getByLabel('Location').selectOption({ label: LOCATION });
  await host.page.getByRole('button', { name: 'Sign up' }).click();
  await host.page.getByTestId('check-your-email').waitFor();
  // Guests can pick the host once the address is confirmed.
  await host.page.goto(`${BASE_URL}${await linkFor(admin.context, HOST.email, '/account/confirm')}`);
  await hydrated(host.page);
  await host.page.getByLabel('Your password').fill(HOST.password);
  await host.page.getByRole('button', { name: 'Confirm' }).click();
  await host.page.getByTestId('email-confirmed').waitFor();
  await host.page.goto(`${BASE_URL}/host/login`);
  await hydrated(host.page);
  await host.page.getByLabel('Email').fill(HOST.email);
  await host.page.getByLabel('Password').fill(HOST.password);
  await host.page.getByRole('button', { name: 'Log in' }).click();
  await host.page.waitForURL(`${BASE_URL}/host`);
});

test('tablet: pair, check a new guest in, the host checks them out from the entry details', async () => {
  const code = await newPairingCode(admin.page, 'Front door');
  await assertAccessible(admin.page, 'admin: kiosks');
  await screenshot(admin.page, 'admin-kiosks');

  const tablet = await openPage(browser, TABLET);
  await pairTablet(tablet.page, code, true);
  await hydrated(tablet.page);
  await assertAccessible(tablet.page, 'kiosk: welcome');
  await screenshot(tablet.page, 'kiosk-welcome');
  const guest = { name: 'Ada Lovelace', email: `ada.${run}@example.org`, phone: phone(1) };
  // The host's dashboard is open before the guest arrives: the guest shows up live.
  await host.page.goto(`${BASE_URL}/host`);
  await hydrated(host.page);
  await host.page.getByTestId('live-state').getByText('Live', { exact: true }).waitFor();
  await host.page.evaluate(() => { window.__sameDocument = true; });
  const link = await kioskCheckIn(tablet.page, guest, true, { axe: true });
  const doneAt = Date.now();
  await host.page.getByTestId('running-entries').getByRole('link', { name: guest.name })
    .waitFor({ timeout: 2000 });
  console.log(`live: guest on the host dashboard ${Date.now() - doneAt} ms after the done screen`);
  assert.equal(await host.page.evaluate(() => window.__sameDocument), true, 'no reload');
  assert.match(link, /\/checkout\/[A-Za-z0-9_-]{43}$/);
  await assertAccessible(tablet.page, 'kiosk: done');
  await screenshot(tablet.page, 'kiosk-done');

  await hostSees(host.page, guest.name, 'running-entries', true);
  await assertAccessible(host.page, 'host: dashboard');
  await screenshot(host.page, 'host-dashboard');
  await checkOutFromDetails(host.page, guest.name, true);
  await assertAccessible(host.page, 'host: entry details');
  await hostSees(host.page, guest.name, 'past-entries', true);

  // The same guest again: their details come back from the phone number,
  // typed differently this time.
  await tablet.page.getByRole('link', { name: 'Done' }).click();
  await tablet.page.waitForURL(`${BASE_URL}/kiosk`);
  // (In international form: the location is in Australia, where a bare
  // "(415) 555-0142" is an Australian number.)
  const retyped = guest.phone.replace(/^\+1 (\d{3}) (\d{3}) (\d{4})$/, '+1 ($1) $2-$3');
  assert.notEqual(retyped, guest.phone);
  const again = await kioskCheckIn(tablet.page, { phone: retyped, confirm: 'lovelace' }, true);
  await hostSees(host.page, guest.name, 'running-entries', true);

  // The guest's own link checks the visit out once; then it says it is closed.
  const mobile = await openPage(browser, { viewport: { width: 390, height: 844 } });
  await mobile.page.goto(again);
  await hydrated(mobile.page);
  await assertAccessible(mobile.page, 'guest: self check-out');
  await mobile.page.getByRole('button', { name: 'Check me out' }).click();
  await mobile.page.getByTestId('visit-closed').waitFor();
  await mobile.page.reload();
  await mobile.page.getByTestId('visit-closed').waitFor();
  assert.equal(await mobile.page.getByRole('button', { name: 'Check me out' }).count(), 0);
  const token = again.split('/').pop();
  const second = await mobile.context.request.post(`${BASE_URL}/api/guest_check_out`, { form: { token } });
  assert.equal(second.status(), 409);
  assert.match((await second.json()).Refused, /already closed/);
  await hostSees(host.page, guest.name, 'past-entries', true);

  assert.deepEqual(tablet.problems, [], 'tablet: console problems');
  await tablet.context.close();
  await mobile.context.close();
});

test('a returning guest sees their details filled in from the phone number', async () => {
  const code = await newPairingCode(admin.page, 'Side door');
  const tablet = await openPage(browser, TABLET);
  await pairTablet(tablet.page, code, true);
  const guest = { name: 'Grace Brewster', email: `grace.${run}@example.org`, phone: phone(2) };
  await kioskCheckIn(tablet.page, guest, true);
  await tablet.page.goto(`${BASE_URL}/kiosk/check-in`);
  await hydrated(tablet.page);
  await tablet.page.getByLabel('Your mobile number').fill(guest.phone);
  await tablet.page.getByRole('button', { name: 'Next' }).click();
  // The number alone shows the first name and a masked address, nothing more.
  await tablet.page.getByRole('heading', { name: 'Welcome back, Grace!' }).waitFor();
  const shown = await tablet.page.locator('body').innerText();
  for (const secret of ['Brewster', guest.email, guest.phone]) {
    assert.ok(!shown.includes(secret), `${secret} shown before confirming`);
  }
  await screenshot(tablet.page, 'kiosk-confirm');
  await tablet.page.getByLabel(/surname or e-mail/).fill('Hopper');
  await tablet.page.getByRole('button', { name: 'Fill in my details' }).click();
  await tablet.page.getByTestId('answer-error').filter({ hasText: /not what we have/ }).waitFor();
  await tablet.page.getByLabel(/surname or e-mail/).fill(guest.email);
  await tablet.page.getByRole('button', { name: 'Fill in my details' }).click();
  // Still checked in from before: offered check-out instead of a second check-in.
  await tablet.page.getByTestId('already-here').waitFor();
  await assertAccessible(tablet.page, 'kiosk: already here');
  await screenshot(tablet.page, 'kiosk-already-here');
  // Checking out at the kiosk by e-mail (any case) and surname instead.
  await tablet.page.goto(`${BASE_URL}/kiosk/check-out`);
  await hydrated(tablet.page);
  await assertAccessible(tablet.page, 'kiosk: check-out');
  await tablet.page.getByLabel(/mobile number or e-mail/).fill(guest.email.toUpperCase());
  await tablet.page.getByLabel('Your surname').fill('brewster');
  await tablet.page.getByRole('button', { name: 'Check out' }).click();
  await tablet.page.getByTestId('checked-out').waitFor();
  await hostSees(host.page, guest.name, 'past-entries', true);
  // Next visit: confirmed by surname, the details are filled in.
  await tablet.page.getByRole('link', { name: 'Check in' }).click();
  await tablet.page.waitForURL(`${BASE_URL}/kiosk/check-in`);
  await hydrated(tablet.page);
  await tablet.page.getByLabel('Your mobile number').fill(guest.phone);
  await tablet.page.getByRole('button', { name: 'Next' }).click();
  await tablet.page.getByLabel(/surname or e-mail/).fill('BREWSTER');
  await tablet.page.getByRole('button', { name: 'Fill in my details' }).click();
  await tablet.page.getByTestId('welcome-back').waitFor();
  assert.equal(await tablet.page.getByLabel('Full name').inputValue(), guest.name);
  assert.equal(await tablet.page.getByLabel('E-mail').inputValue(), guest.email);
  await tablet.context.close();
});

for (const js of [true, false]) {
  test(`between guests: Back after the welcome screen shows nothing of the last guest (JavaScript ${js ? 'on' : 'off'})`, async () => {
    const code = await newPairingCode(admin.page, `Privacy door ${js}`);
    const tablet = await openPage(browser, { ...TABLET, javaScriptEnabled: js });
    await pairTablet(tablet.page, code, js);
    const guest = { name: 'Mary Jackson', email: `mary.${js}.${run}@example.org`, phone: phone(js ? 4 : 5) };
    await kioskCheckIn(tablet.page, guest, js);
    await tablet.page.getByRole('link', { name: 'Done' }).click();
    await tablet.page.waitForURL(`${BASE_URL}/kiosk`);
    await tablet.page.getByRole('heading', { name: 'Welcome' }).waitFor();
    let steps = 0;
    while (await tablet.page.goBack()) {
      steps += 1;
      await tablet.page.waitForLoadState('load');
      const text = await tablet.page.locator('body').innerText();
      for (const secret of ['Mary', 'Jackson', guest.email, '/checkout/', guest.phone]) {
        assert.ok(!text.includes(secret), `Back ${steps} (${tablet.page.url()}) shows ${secret}`);
      }
    }
    assert.ok(steps >= 1, 'there was a history to go back through');
    await tablet.context.close();
  });
}

test('a kiosk screen left alone counts down and starts over; "I need more time" keeps it', async () => {
  const code = await newPairingCode(admin.page, 'Idle door');
  const tablet = await openPage(browser, TABLET);
  await tablet.context.clock.install();
  await pairTablet(tablet.page, code, true);
  await tablet.page.getByRole('link', { name: 'Check in' }).click();
  await tablet.page.waitForURL(`${BASE_URL}/kiosk/check-in`);
  await hydrated(tablet.page);
  await tablet.page.getByLabel('Your mobile number').fill('+1 415 555');
  await tablet.page.clock.runFor(50_000);
  const notice = tablet.page.getByTestId('idle-notice');
  await notice.getByText(/starts over in \d+ s/).waitFor();
  await screenshot(tablet.page, 'kiosk-idle-notice');
  await notice.getByRole('button', { name: 'I need more time' }).click();
  await notice.waitFor({ state: 'detached' });
  await tablet.page.clock.runFor(50_000);
  assert.equal(tablet.page.url(), `${BASE_URL}/kiosk/check-in`, 'still there after more time');
  await tablet.page.clock.runFor(15_000);
  await tablet.page.waitForURL(`${BASE_URL}/kiosk`);
  await tablet.page.getByRole('heading', { name: 'Welcome' }).waitFor();
  await tablet.context.close();
});

test('with JavaScript disabled: pair, check in, and the host checks out from entry details', async () => {
  const code = await newPairingCode(admin.page, 'No-JS door');
  const tablet = await openPage(browser, { ...TABLET, javaScriptEnabled: false });
  await pairTablet(tablet.page, code, false);
  const guest = { name: 'Nils NoScript', email: `nils.${run}@example.org`, phone: phone(3) };
  // A field error comes back without JS too, and the page says which field.
  await tablet.page.getByRole('link', { name: 'Check in' }).click();
  await tablet.page.getByLabel('Your mobile number').fill(guest.phone);
  await tablet.page.getByRole('button', { name: 'Next' }).click();
  await tablet.page.getByLabel('Full name').fill(guest.name);
  await tablet.page.getByLabel('E-mail').fill(guest.email);
  await tablet.page.getByLabel('Mobile number').fill('12');
  await tablet.page.getByLabel(HOST.name).check();
  await tablet.page.getByRole('button', { name: 'Check in' }).click();
  await tablet.page.getByTestId('phone-error').filter({ hasText: /\w/ }).waitFor();
  await tablet.page.goto(`${BASE_URL}/kiosk`);
  await kioskCheckIn(tablet.page, guest, false);
  await tablet.context.close();

  const nojsHost = await openPage(browser, { ...TABLET, javaScriptEnabled: false });
  await logIn(nojsHost.page, HOST.email, HOST.password, false);
  await nojsHost.page.waitForURL(`${BASE_URL}/host`);
  await hostSees(nojsHost.page, guest.name, 'running-entries', false);
  await checkOutFromDetails(nojsHost.page, guest.name, false);
  await hostSees(nojsHost.page, guest.name, 'past-entries', false);
  await nojsHost.context.close();
});

test('the admin console: entries with filters, CSV export, on site now, hosts', async () => {
  const page = admin.page;
  await page.goto(`${BASE_URL}/admin/entries`);
  await hydrated(page);
  await page.getByLabel('Location').selectOption({ label: LOCATION });
  await page.getByLabel('Status').selectOption('past');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.waitForURL(/status=past/);
  await page.getByTestId('entries').getByRole('link', { name: 'Ada Lovelace' }).first().waitFor();
  await assertAccessible(page, 'admin: entries');
  await screenshot(page, 'admin-entries');

  const href = await page.getByTestId('csv-export').getAttribute('href');
  assert.match(href, /status=past/);
  const csv = await admin.context.request.get(`${BASE_URL}${href}`);
  assert.equal(csv.status(), 200);
  const text = (await csv.body()).toString('utf8');
  assert.ok(text.startsWith('\uFEFFvisit_id,guest_name,'), text.slice(0, 80));
  const lines = text.trim().split('\r\n');
  const visits = (await page.getByTestId('entries').locator('tbody tr').count());
  assert.equal(lines.length, visits + 1, 'one line per listed visit, plus the header');
  assert.ok(lines.slice(1).every((l) => l.endsWith(',past')), text);

  await page.goto(`${BASE_URL}/admin/on-site`);
  await hydrated(page);
  await assertAccessible(page, 'admin: on site now');
  await page.goto(`${BASE_URL}/admin/hosts`);
  await hydrated(page);
  await page.getByRole('row', { name: new RegExp(HOST.name) }).waitFor();
  await assertAccessible(page, 'admin: hosts');
  await page.goto(`${BASE_URL}/admin`);
  await hydrated(page);
  await assertAccessible(page, 'admin: overview');
  await screenshot(page, 'admin-console');
  for (const [path, name] of [['/dev/mailbox', 'dev mailbox'], ['/settings', 'settings']]) {
    await page.goto(`${BASE_URL}${path}`);
    await hydrated(page);
    await assertAccessible(page, name);
  }
  await host.page.goto(`${BASE_URL}/visits/1`);
  await hydrated(host.page);
  await assertAccessible(host.page, 'host: entry page');

  // A visitor's dashboard: hosts, the week's chart (server-drawn SVG), visits.
  const visitor = await openPage(browser, TABLET);
  await visitor.page.goto(`${BASE_URL}/visitor/signup`);
  await hydrated(visitor.page);
  await visitor.page.getByLabel('Name').fill('Vera Visitor');
  await visitor.page.getByLabel('Email').fill(`vera.${run}@example.org`);
  await visitor.page.getByLabel('Mobile phone').fill(phone(4));
  await visitor.page.getByLabel('Password (8 characters or more').fill('correct horse battery');
  await visitor.page.getByRole('button', { name: 'Sign up' }).click();
  await visitor.page.getByTestId('check-your-email').waitFor();
  await visitor.page.goto(`${BASE_URL}/visitor/login`);
  await hydrated(visitor.page);
  await visitor.page.getByLabel('Email').fill(`vera.${run}@example.org`);
  await visitor.page.getByLabel('Password').fill('correct horse battery');
  await visitor.page.getByRole('button', { name: 'Log in' }).click();
  await visitor.page.waitForURL(`${BASE_URL}/visitor`);
  await hydrated(visitor.page);
  await visitor.page.getByTestId('week-chart').waitFor();
  await assertAccessible(visitor.page, 'visitor: dashboard');
  await visitor.context.close();
  assert.deepEqual(admin.problems.filter((p) => !p.includes('422') && !p.includes('409')), [], 'admin: console problems');
  await admin.context.close();
  await host.context.close();
});
