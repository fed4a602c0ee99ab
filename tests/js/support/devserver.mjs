/**
 * Starts and stops `imsdk-devserver` for a test file: its own process on a free loopback port.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const STARTUP_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;
/** Only the end of the server's stderr is kept (for error messages), so long runs stay flat. */
const STDERR_KEEP_CHARS = 64 * 1024;

/** The devserver binary: `$IMSDK_DEVSERVER`, else target/debug (built if missing). */
export function devServerBinary() {
  if (process.env.IMSDK_DEVSERVER) return process.env.IMSDK_DEVSERVER;
  const binary = join(root, 'target', 'debug', 'imsdk-devserver');
  if (!existsSync(binary)) {
    execFileSync('cargo', ['build', '-p', 'imsdk-devserver'], { cwd: root, stdio: 'inherit' });
  }
  return binary;
}

/**
 * Starts a devserver on 127.0.0.1 and resolves once it listens.
 * @param {string[]} [args] extra options, e.g. `['--idle-timeout', '1s']`
 * @param {{port?: number}} [options] `port`: listen there (e.g. to restart on the same port);
 *   default 0, a free port
 * @returns {Promise<{url: string, port: number, stderr: () => string,
 *   stop: (signal?: NodeJS.Signals) => Promise<void>}>} `stop` sends SIGTERM (a clean shutdown)
 *   unless told another signal, e.g. SIGKILL for a crash
 */
export function startDevServer(args = [], { port = 0 } = {}) {
  const child = spawn(devServerBinary(), ['--listen', `127.0.0.1:${port}`, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise((resolve) => child.once('exit', resolve));

  return new Promise((resolve, reject) => {
    let started = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`devserver did not start in ${STARTUP_TIMEOUT_MS} ms:\n${stderr}`));
    }, STARTUP_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`devserver exited with ${code}:\n${stderr}`));
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-STDERR_KEEP_CHARS);
      const match = /listening on (ws:\/\/127\.0\.0\.1:(\d+)\/websocket)/.exec(stderr);
      if (!match || started) return;
      started = true;
      clearTimeout(timer);
      resolve({
        url: match[1],
        port: Number(match[2]),
        stderr: () => stderr,
        async stop(signal = 'SIGTERM') {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill(signal);
          const killer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
          await exited;
          clearTimeout(killer);
        },
      });
    });
  });
}
