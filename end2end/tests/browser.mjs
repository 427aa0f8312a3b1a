// Shared set-up: Debian's Chromium (playwright's own download does not work here),
// started fresh per test file, and a page that records console errors.
import { chromium } from 'playwright-core';

export const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:3000';

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A new page whose console errors and failed requests are collected in `problems`. */
export async function openPage(browser, contextOptions = {}) {
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => {
    // A navigation cancels what the old page still had in flight: not a failure.
    const reason = req.failure()?.errorText ?? '';
    if (!reason.includes('ERR_ABORTED')) problems.push(`request failed: ${req.url()} ${reason}`);
  });
  return { context, page, problems };
}

/** The secret of the newest link to `path` e-mailed to `email`, read by the admin
 * from the dev mailbox (scripts/e2e runs without SMTP); never `not` (an earlier
 * link: a new one may still be on its way). */
export async function linkFor(adminContext, email, path, { not } = {}) {
  // The outbox worker files messages in the dev mailbox a moment after they are queued.
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const response = await adminContext.request.post(`${BASE_URL}/api/dev_mailbox`, { form: {}, headers: { origin: BASE_URL } });
    if (response.status() !== 200) throw new Error(`dev mailbox: ${response.status()}`);
    const mail = (await response.json()).find((m) => m.recipient === email && m.body.includes(`${path}?token=`));
    const link = mail?.body.match(new RegExp(`(${path.replace(/\//g, '\\/')}\\?token=[A-Za-z0-9_-]+)`))[1];
    if (link && link !== not) return link;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no ${path} link e-mailed to ${email}`);
}

