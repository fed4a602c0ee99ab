/**
 * Headless Chromium for the scripts (the demo's conversation, the examples' H5 builds):
 * playwright-core driving Debian's /usr/bin/chromium with a fresh profile, removed afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM } from './preflight.mjs';

/** Debian Chromium's flags for a headless run on this closed network, as root. */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Runs `use(page, pageErrors)` on the first page of a fresh headless Chromium, then closes the
 * browser and removes its profile, whatever `use` did.
 * @template T
 * @param {object} options
 * @param {string} options.name names the profile folder
 * @param {number} options.timeoutMs the page's default timeout for each step
 * @param {{width: number, height: number}} [options.viewport] Playwright's default otherwise
 * @param {(context: {close: () => Promise<void>}) => void} [options.onLaunched] sees the browser
 *   as soon as it runs (e.g. to close it on the caller's overall timeout)
 * @param {(page: import('playwright-core').Page, pageErrors: string[]) => Promise<T>} use
 *   `pageErrors` collects the page's uncaught errors as they happen
 * @returns {Promise<T>}
 */
export async function withChromiumPage({ name, timeoutMs, viewport, onLaunched }, use) {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), `mobileimsdk-${name}-chromium-`));
  let context = null;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      ...(viewport ? { viewport } : {}),
    });
    onLaunched?.(context);
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(timeoutMs);
    /** @type {string[]} */
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return await use(page, pageErrors);
  } finally {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
