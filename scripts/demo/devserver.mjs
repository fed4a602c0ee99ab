/**
 * Builds and starts the repository's dev server for the demo, on 127.0.0.1 only.
 *
 * The debug build is used: it is the binary the test suites already build (tests/js/support,
 * scripts/test-browser.sh), so a fresh clone compiles the server once, not twice, and a demo
 * with two users needs none of the release build's speed.
 */
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { root } from './sdk-build.mjs';

const STARTUP_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 3_000;
const LISTENING = /listening on (ws:\/\/127\.0\.0\.1:(\d+)\/websocket)/;

/** `cargo build -p imsdk-devserver` (a no-op when it is up to date). */
export function buildDevServer() {
  console.log('▸ cargo build -p imsdk-devserver');
  const started = performance.now();
  execFileSync('cargo', ['build', '-p', 'imsdk-devserver'], { cwd: root, stdio: 'inherit' });
  console.log(`▸ dev server built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return join(root, 'target', 'debug', 'imsdk-devserver');
}

/**
 * Starts the server and resolves once it listens.
 * @param {string} binary
 * @param {object} options
 * @param {number} options.port 0 for a free one
 * @param {(line: string) => void} [options.onLog] its log lines (stderr) after startup
 * @returns {Promise<{url: string, stop: () => Promise<void>}>}
 */
export function startDevServer(binary, { port, onLog = () => {} }) {
  const child = spawn(binary, ['--listen', `127.0.0.1:${port}`], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, RUST_BACKTRACE: '0', RUST_LIB_BACKTRACE: '0' },
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // However this process ends (an overall timeout, an error before the server was registered
  // for a clean stop), the server ends with it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  exited.then(() => process.off('exit', killOnExit));

  async function stop() {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(killer);
  }

  return new Promise((resolve, reject) => {
    let stderr = '';
    let url = null;
    const fail = (message) => {
      clearTimeout(timer);
      stop().then(() => reject(new Error(message)));
    };
    const timer = setTimeout(
      () => fail(`the dev server did not start in ${STARTUP_TIMEOUT_MS} ms:\n${stderr}`),
      STARTUP_TIMEOUT_MS,
    );
    child.once('error', (error) => fail(`cannot run ${binary}: ${error.message}`));
    child.once('exit', (code) => {
      if (url) return;
      clearTimeout(timer);
      reject(
        new Error(
          /Address already in use/.test(stderr)
            ? `port ${port} is taken: stop what uses it or pick another with --ws-port N`
            : `the dev server exited with ${code}:\n${stderr}`,
        ),
      );
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      if (url) {
        for (const line of chunk.split('\n')) if (line.trim()) onLog(line);
        return;
      }
      stderr += chunk;
      const match = LISTENING.exec(stderr);
      if (!match) return;
      url = match[1];
      clearTimeout(timer);
      resolve({ url, stop });
    });
  });
}
