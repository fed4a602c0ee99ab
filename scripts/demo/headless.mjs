/**
 * `npm run demo -- --once`: plays a scripted conversation on the browser demo in headless
 * Chromium (playwright-core driving Debian's /usr/bin/chromium, fresh profile), takes a
 * screenshot and reads back what each pane shows.
 */
import { withChromiumPage } from '../chromium.mjs';

const STEP_TIMEOUT_MS = 10_000;
const PANE_USERS = ['alice', 'bob'];

/**
 * The conversation: who writes what, in order.
 * @type {{from: 'alice' | 'bob', text: string}[]}
 */
export const SCRIPT = [
  { from: 'alice', text: 'Hi bob! This chat runs on the MobileIMSDK protocol.' },
  { from: 'bob', text: 'Hi alice. Your message came through the Rust core, compiled to wasm.' },
  { from: 'alice', text: 'Each message says sending…, then delivered ✓ once the server acks it.' },
  { from: 'bob', text: 'Got it. See you!' },
];

/**
 * What one pane shows (read from its DOM).
 * @typedef {{user: string, state: string, notices: string[],
 *   messages: {direction: string, from: string, to: string, text: string, state: string, time: string}[]}} PaneView
 */

/** @param {import('playwright-core').Page} page @returns {Promise<PaneView[]>} */
function readPanes(page) {
  return page.$$eval('.pane', (panes) =>
    panes.map((pane) => ({
      user: pane.querySelector('.pane__user')?.textContent ?? '',
      state: pane.getAttribute('data-state') ?? '',
      notices: [...pane.querySelectorAll('.notice')].map((n) => n.textContent ?? ''),
      messages: [...pane.querySelectorAll('.message')].map((row) => ({
        direction: row.classList.contains('message--out') ? 'out' : 'in',
        from: row.getAttribute('data-from') ?? '',
        to: row.getAttribute('data-to') ?? '',
        text: row.querySelector('.message__text')?.textContent ?? '',
        state: row.getAttribute('data-state') ?? '',
        time: row.getAttribute('data-time') ?? '',
      })),
    })),
  );
}

/**
 * Opens the demo, waits until both panes are online, then plays `SCRIPT` through the panes'
 * composers, each message until it shows delivered to its sender and received by the peer.
 * @param {import('playwright-core').Page} page
 * @param {string} pageUrl
 */
async function converse(page, pageUrl) {
  await page.goto(pageUrl);
  await page.waitForFunction((count) => {
    const panes = [...document.querySelectorAll('.pane')];
    return panes.length === count && panes.every((pane) => pane.getAttribute('data-state') === 'online');
  }, PANE_USERS.length);

  for (const { from, text } of SCRIPT) {
    const sender = page.locator('.pane').nth(PANE_USERS.indexOf(from));
    await sender.locator('.composer input[name="text"]').fill(text);
    await sender.locator('.composer button[type="submit"]').click();
    await page.waitForFunction(
      (sent) =>
        [...document.querySelectorAll('.pane')].every((pane) =>
          [...pane.querySelectorAll('.message')].some(
            (row) =>
              row.querySelector('.message__text')?.textContent === sent &&
              row.getAttribute('data-state') === (row.classList.contains('message--out') ? 'delivered' : 'received'),
          ),
        ),
      text,
    );
  }
}

/**
 * @param {object} options
 * @param {string} options.pageUrl the browser demo, pointed at the dev server
 * @param {string} options.screenshotPath
 * @param {(context: {close: () => Promise<void>}) => void} options.onLaunched registers the browser
 *   for cleanup by the caller (e.g. on its overall timeout)
 * @returns {Promise<{panes: PaneView[], pageErrors: string[], failure: string | null}>} `failure`:
 *   the step that did not complete
 */
export function playConversation({ pageUrl, screenshotPath, onLaunched }) {
  const options = { name: 'demo', timeoutMs: STEP_TIMEOUT_MS, viewport: { width: 1100, height: 680 }, onLaunched };
  return withChromiumPage(options, async (page, pageErrors) => {
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    let failure = null;
    try {
      await converse(page, pageUrl);
    } catch (error) {
      failure = error.message.split('\n')[0];
    }
    await page.screenshot({ path: screenshotPath, fullPage: true });
    return { panes: await readPanes(page), pageErrors, failure };
  });
}
