/**
 * `npm pack` gives a package that installs into a fresh project and works there: the
 * mini-program build from `miniprogram_dist/` (the `miniprogram` field) and the browser ESM.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { browserDist, miniProgramDist, openMiniProgram, repoRoot, requireBuilt } from './support/builds.mjs';
import { startDevServer } from './support/devserver.mjs';
import { createRecorder } from './support/recorder.mjs';

const EXPECTED_FILES = [
  'CHANGELOG.md',
  'dist/index.d.ts',
  'dist/index.js',
  'dist/miniprogram.d.ts',
  'dist/mobileimsdk.wasm',
  'miniprogram_dist/index.js',
  'miniprogram_dist/mobileimsdk.wasm.br',
  'miniprogram_dist/package.json',
  'package.json',
];

let server;
let workDir;
let installed;
const cleanups = [];

function npm(args, cwd) {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

before(async () => {
  requireBuilt(browserDist);
  requireBuilt(miniProgramDist);
  server = await startDevServer();
  workDir = mkdtempSync(join(tmpdir(), 'mobileimsdk-pack-'));
  const [packed] = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', workDir], repoRoot));
  const consumer = join(workDir, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  npm(
    ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', join(workDir, packed.filename)],
    consumer,
  );
  installed = {
    files: packed.files.map((file) => file.path).sort(),
    dir: join(consumer, 'node_modules', 'mobileimsdk-wasm'),
  };
});

after(async () => {
  for (const cleanup of cleanups) cleanup();
  await server?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

test('the package holds the two builds and nothing else', () => {
  const extras = installed.files.filter((file) => !EXPECTED_FILES.includes(file) && !/^(README|LICENSE)/i.test(file));
  assert.deepEqual(extras, []);
  for (const file of EXPECTED_FILES) assert.ok(installed.files.includes(file), file);
  const manifest = JSON.parse(readFileSync(join(installed.dir, 'package.json'), 'utf8'));
  assert.equal(manifest.miniprogram, 'miniprogram_dist');
  assert.equal(manifest.license, 'Apache-2.0');
});

test('the installed mini-program build logs in', async () => {
  const { env, IMSDK } = openMiniProgram(join(installed.dir, 'miniprogram_dist'));
  cleanups.push(() => {
    IMSDK.destroy();
    env.dispose();
  });
  const events = createRecorder();
  IMSDK.callback_onIMAfterLoginSucess = events.callback('login');
  IMSDK.loginImpl({ loginUserId: 'packaged-mp' }, server.url);
  await events.waitFor('login');
});

test('the installed browser build logs in', async () => {
  globalThis.WebSocket = WebSocket;
  const { IMSDK } = await import(pathToFileURL(join(installed.dir, 'dist', 'index.js')).href);
  cleanups.push(() => {
    IMSDK.destroy();
    delete globalThis.WebSocket;
  });
  IMSDK.setWasmPath(readFileSync(join(installed.dir, 'dist', 'mobileimsdk.wasm')));
  const events = createRecorder();
  IMSDK.callback_onIMAfterLoginSucess = events.callback('login');
  IMSDK.loginImpl({ loginUserId: 'packaged-web' }, server.url);
  await events.waitFor('login');
});
