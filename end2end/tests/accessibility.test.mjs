// axe-core on the pages anyone can open. The pages behind a log-in or a kiosk are
// checked in frontdesk.test.mjs on the way. (axe runs as a script in the page, so it
// cannot check a page with JavaScript disabled; that markup is the server's render,
// which the hydrated page starts from.)
import { test, before, after } from 'node:test';
import { BASE_URL, launch, openPage } from './browser.mjs';
import { assertAccessible } from './axe.mjs';

const PUBLIC = ['/', '/status', '/login', '/visitor/login', '/visitor/signup', '/host/login',
  '/host/signup', '/visitor/forgot', '/host/forgot', '/account/password?token=not-a-real-token', '/account/confirm?token=not-a-real-token', '/kiosk', '/kiosk/pair', '/checkout/not-a-real-token', '/no-such-page'];

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('public pages have no axe-core violations', async () => {
  const { context, page } = await openPage(browser, { viewport: { width: 1024, height: 768 } });
  for (const path of PUBLIC) {
    await page.goto(`${BASE_URL}${path}`);
    await page.waitForSelector('body[data-hydrated="true"]', { timeout: 15000 });
    await assertAccessible(page, path);
  }
  await context.close();
});
