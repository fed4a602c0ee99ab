/**
 * A small static file server (node:http) for the browser demo, on 127.0.0.1 only. It serves
 * exactly two folders of the repository — `/demo-browser/` and `/dist/` (the ESM build the page
 * imports as `../dist/index.js`) — and redirects `/` to the demo page.
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { root } from './sdk-build.mjs';

const SERVED = { 'demo-browser': join(root, 'demo-browser'), dist: join(root, 'dist') };
/** The `Content-Type` of each file extension served. */
export const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.ts': 'text/plain; charset=utf-8',
};

/** The file for a URL path, or `null` when it is missing or outside the served folders. */
function fileFor(pathname) {
  const [, top, ...rest] = pathname.split('/');
  const base = SERVED[top];
  if (!base) return null;
  try {
    const file = normalize(join(base, ...rest.map(decodeURIComponent)));
    if (file !== base && !file.startsWith(base + sep)) return null;
    return statSync(file).isDirectory() ? join(file, 'index.html') : file;
  } catch {
    return null;
  }
}

/** @param {import('node:http').IncomingMessage} request @param {import('node:http').ServerResponse} response */
function serve(request, response) {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  if (url.pathname === '/' || url.pathname === '/demo-browser') {
    response.writeHead(302, { Location: `/demo-browser/${url.search}` }).end();
    return;
  }
  const file = fileFor(url.pathname);
  if (request.method !== 'GET' || !file) {
    response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
    return;
  }
  response.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'Cache-Control': 'no-store',
  });
  createReadStream(file)
    .on('error', () => response.destroy())
    .pipe(response);
}

/**
 * Starts the server.
 * @param {number} port 0 for a free one
 * @returns {Promise<{origin: string, stop: () => Promise<void>}>}
 */
export function startStaticServer(port) {
  const server = createServer(serve);
  return new Promise((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`port ${port} is taken: stop what uses it or pick another with --port N`)
          : error,
      ),
    );
    server.listen(port, '127.0.0.1', () => {
      const address = /** @type {import('node:net').AddressInfo} */ (server.address());
      resolve({
        origin: `http://127.0.0.1:${address.port}`,
        stop: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
