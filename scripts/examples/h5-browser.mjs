/**
 * A framework's H5 output served on 127.0.0.1 and opened in headless Chromium (playwright-core
 * driving Debian's /usr/bin/chromium, fresh profile), with the page as a `ChatView` for
 * scenario.mjs: the same classes as the WeChat page, read from the DOM.
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { withChromiumPage } from '../chromium.mjs';
import { CONTENT_TYPES } from '../demo/static-server.mjs';

/**
 * Serves `dir` on a free loopback port.
 * @param {string} dir
 * @returns {Promise<{origin: string, stop: () => Promise<void>}>}
 */
function serveFolder(dir) {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    let file = normalize(join(dir, path));
    if (file !== dir && !file.startsWith(dir + sep)) file = '';
    try {
      if (file && statSync(file).isDirectory()) file = join(file, 'index.html');
      statSync(file);
    } catch {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      resolve({
        origin: `http://127.0.0.1:${port}`,
        stop: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/** @param {import('playwright-core').Page} page @returns {import('./scenario.mjs').ChatView} */
function domView(page) {
  const textOf = (selector) =>
    page.$$eval(selector, (nodes) => nodes.map((node) => node.textContent?.trim() ?? '').join(''));
  return {
    tap: (className) => page.click(`.${className}`),
    input: (className, value) => page.fill(`.${className} input, input.${className}`, value),
    state: async () => /\((\w+)\)$/.exec(await textOf('.session__title'))?.[1] ?? 'idle',
    notice: () => textOf('.notice'),
    messages: () =>
      page.$$eval('.message', (rows) =>
        rows.map((row) => ({
          text: row.querySelector('.message__text')?.textContent?.trim() ?? '',
          status: row.querySelector('.message__status')?.textContent?.trim() ?? '',
        })),
      ),
  };
}

/**
 * Opens `route` of the H5 build in `outDir` with `query` (a hash-router URL) and runs `play` on
 * the page; page errors fail the run.
 * @param {string} outDir @param {string} hashPath e.g. `/pages/chat/chat?user=…`
 * @param {(view: import('./scenario.mjs').ChatView) => Promise<void>} play
 */
export async function runInChromium(outDir, hashPath, play) {
  const web = await serveFolder(outDir);
  try {
    await withChromiumPage({ name: 'examples', timeoutMs: 15_000 }, async (page, pageErrors) => {
      await page.goto(`${web.origin}/#${hashPath}`);
      await page.waitForSelector('.login__submit');
      await play(domView(page));
      if (pageErrors.length > 0) throw new Error(`page errors: ${pageErrors.join(' | ')}`);
    });
  } finally {
    await web.stop();
  }
}
