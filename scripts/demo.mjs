#!/usr/bin/env node
/**
 * `npm run demo`: builds what is missing (npm dev dependencies, the SDK, the dev server), places
 * the SDK in the demo mini-program, starts the dev server and a static file server for the
 * browser demo (both on 127.0.0.1), prints the URL and runs until Ctrl-C.
 *
 * `npm run demo -- --once`: the same on free ports, then a scripted conversation between alice
 * and bob in headless Chromium; writes demo-screenshot.png, prints the transcript with each
 * message's delivery state, stops everything it started and exits 0 when every message was
 * delivered (1 otherwise, or when the run takes more than 60 s after the builds).
 *
 * Options: --port N (static server, default 8080), --ws-port N (dev server, default 3000).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildDevServer, startDevServer } from './demo/devserver.mjs';
import { playConversation, SCRIPT } from './demo/headless.mjs';
import { buildIfStale, placeMiniProgramSdk, root } from './demo/sdk-build.mjs';
import { startStaticServer } from './demo/static-server.mjs';
import { ensureNodeModules, MissingToolsError, NEEDS, requireTools } from './preflight.mjs';

const ONCE_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5_000;
const SCREENSHOT = 'demo-screenshot.png';
const USAGE = 'usage: npm run demo [-- --once] [-- --port N] [-- --ws-port N]';

/** @param {string | undefined} value @param {number} fallback @param {string} flag */
function portOption(value, fallback, flag) {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`${flag} wants a port number, not "${value}"`);
  return port;
}

function options() {
  const { values } = parseArgs({
    options: {
      once: { type: 'boolean', default: false },
      port: { type: 'string' },
      'ws-port': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  return {
    once: values.once,
    port: portOption(values.port, values.once ? 0 : 8080, '--port'),
    wsPort: portOption(values['ws-port'], values.once ? 0 : 3000, '--ws-port'),
  };
}

/** Things started, stopped in reverse order. */
const running = [];
let stopping = null;

/** Stops everything started (each bounded in time) and exits with `code`. */
function shutdown(code) {
  stopping ??= (async () => {
    for (const { name, stop } of running.reverse()) {
      let timer;
      const late = new Promise((resolve) => {
        timer = setTimeout(() => resolve(console.error(`demo: ${name} did not stop in time`)), STOP_TIMEOUT_MS);
      });
      await Promise.race([stop().catch((error) => console.error(`demo: stopping ${name}: ${error.message}`)), late]);
      clearTimeout(timer);
    }
    process.exit(code);
  })();
  return stopping;
}

/**
 * Prints the transcript; true when every message was delivered and nothing went wrong.
 * @param {{panes: import('./demo/headless.mjs').PaneView[], pageErrors: string[], failure: string | null}} result
 * @param {string} wsUrl
 */
function report({ panes, pageErrors, failure }, wsUrl) {
  const byUser = Object.fromEntries(panes.map((pane) => [pane.user, pane]));
  const width = Math.max(...SCRIPT.map(({ text }) => text.length));
  let delivered = 0;
  console.log(`\nTranscript (alice ⇄ bob through ${wsUrl}):`);
  for (const { from, text } of SCRIPT) {
    const to = from === 'alice' ? 'bob' : 'alice';
    const sent = byUser[from]?.messages.find((m) => m.direction === 'out' && m.text === text);
    const received = byUser[to]?.messages.some((m) => m.direction === 'in' && m.text === text && m.from === from);
    if (sent?.state === 'delivered' && received) delivered += 1;
    const state = sent ? sent.state : 'not sent';
    console.log(
      `  ${sent?.time ?? '--:--:--'}  ${from.padEnd(5)} → ${to.padEnd(5)}  ${text.padEnd(width)}  ${state}` +
        `${received ? `, shown in ${to}'s pane` : `, NOT in ${to}'s pane`}`,
    );
  }
  for (const pane of panes) {
    console.log(`  ${pane.user}: ${pane.state}${pane.notices.length ? `; notices: ${pane.notices.join(' | ')}` : ''}`);
  }
  for (const error of pageErrors) console.log(`  page error: ${error}`);
  if (failure) console.log(`  stopped at: ${failure}`);
  console.log(`${delivered} of ${SCRIPT.length} messages delivered`);
  return delivered === SCRIPT.length && pageErrors.length === 0 && !failure;
}

async function main() {
  const { once, port, wsPort } = options();
  requireTools([...NEEDS.devserver, ...(once ? NEEDS.headless : [])], '`npm run demo`');
  ensureNodeModules();
  buildIfStale();
  console.log(`▸ SDK placed in ${placeMiniProgramSdk()}/ (for WeChat DevTools)`);
  const binary = buildDevServer();
  if (once) {
    setTimeout(() => {
      console.error(`demo: not done ${ONCE_TIMEOUT_MS / 1000} s after the builds, stopping`);
      shutdown(1);
    }, ONCE_TIMEOUT_MS).unref();
  }

  const devServer = await startDevServer(binary, {
    port: wsPort,
    onLog: once ? () => {} : (line) => console.log(`  devserver │ ${line}`),
  });
  running.push({ name: 'the dev server', stop: devServer.stop });
  const web = await startStaticServer(port);
  running.push({ name: 'the static server', stop: web.stop });
  const pageUrl = `${web.origin}/demo-browser/?ws=${devServer.url}`;

  if (!once) {
    console.log(
      [
        '',
        'mobileimsdk-wasm demo',
        `  browser demo (alice and bob):  ${pageUrl}`,
        `  dev server:                    ${devServer.url}`,
        '  mini-program:                  open demo-miniprogram/ in WeChat DevTools',
        '',
        'Ctrl-C stops it.',
        '',
      ].join('\n'),
    );
    for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => shutdown(0));
    return;
  }

  console.log(`▸ headless Chromium: ${pageUrl}`);
  const screenshotPath = join(root, SCREENSHOT);
  const result = await playConversation({
    pageUrl,
    screenshotPath,
    onLaunched: (context) => running.push({ name: 'Chromium', stop: () => context.close() }),
  });
  const ok = report(result, devServer.url);
  console.log(`screenshot: ${SCREENSHOT}`);
  await shutdown(ok ? 0 : 1);
}

main().catch((error) => {
  console.error(error instanceof MissingToolsError ? error.message : `demo: ${error.message ?? error}`);
  shutdown(1);
});
