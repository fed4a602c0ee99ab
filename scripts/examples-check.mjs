#!/usr/bin/env node
/**
 * `npm run examples:check`: the example apps in examples/ built by their frameworks' own CLIs,
 * each for WeChat and for H5, on the package as `npm pack` ships it, then run:
 *
 *   1. the SDK is built if stale, packed (`npm pack`) and unpacked into each example's
 *      node_modules/mobileimsdk-wasm, after the example's locked dependencies are installed there
 *      (`npm ci`; skipped while node_modules matches the example's package-lock.json);
 *   2. each example's `npm run build:<target>`;
 *   3. the WeChat output (it must hold `app.json` and the wasm) in the Node mini-program runtime
 *      (scripts/examples/wechat-runtime.mjs), the H5 output in headless Chromium
 *      (scripts/examples/h5-browser.mjs), both playing scripts/examples/scenario.mjs against a
 *      devserver: log in, a QoS message each way, kick-out.
 *
 * One line per build:
 *   example: <name> target=<target> ok out=<output folder> bytes=<SDK bytes> build=<s> check=<s>
 * where `bytes` is the SDK's wasm file found in the output plus the SDK module the bundler took
 * in (`miniprogram_dist/index.js` or `dist/index.js`, before the bundler's own minification).
 * Exits 1 at the first failure, with the build's log or the step that did not happen.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startDevServer } from '../tests/js/support/devserver.mjs';
import { buildIfStale, root } from './demo/sdk-build.mjs';
import { runInChromium } from './examples/h5-browser.mjs';
import { playChat } from './examples/scenario.mjs';
import { launchWeChatOutput, taroView, uniAppView } from './examples/wechat-runtime.mjs';
import { ensureNodeModules, MissingToolsError, NEEDS, requireTools } from './preflight.mjs';

/** Where `npm ci` in an example records the lockfile it installed. */
const LOCK_STAMP = '.mobileimsdk-examples-lock';

/**
 * @typedef {object} Build
 * @property {string} example folder under examples/
 * @property {string} target the framework's name for it
 * @property {string} out the output folder, relative to the example
 * @property {'wechat' | 'h5'} runtime
 * @property {string} route the page the scenario opens
 */

/** @type {Build[]} */
const BUILDS = [
  { example: 'uniapp', target: 'mp-weixin', out: 'dist/build/mp-weixin', runtime: 'wechat', route: 'pages/chat/chat' },
  { example: 'uniapp', target: 'h5', out: 'dist/build/h5', runtime: 'h5', route: 'pages/chat/chat' },
  { example: 'taro', target: 'weapp', out: 'dist/weapp', runtime: 'wechat', route: 'pages/chat/index' },
  { example: 'taro', target: 'h5', out: 'dist/h5', runtime: 'h5', route: 'pages/chat/index' },
];

const seconds = (since) => `${((performance.now() - since) / 1000).toFixed(1)}s`;

/**
 * How each example's dependencies are installed from its lockfile. Taro's `@tarojs/binding` 4.2.1
 * names optional per-platform packages that were never published (darwin, win32, linux-arm64), so
 * its lockfile cannot list them and `npm ci` refuses it as out of sync; `npm install --no-save`
 * installs the same locked tree without that check (into an emptied node_modules, as `npm ci`).
 */
const INSTALL = { uniapp: ['ci'], taro: ['install', '--no-save'] };

/** Installs the example's locked dependencies unless node_modules was installed from the same lockfile. */
function installDependencies(example) {
  const dir = join(root, 'examples', example);
  const lock = createHash('sha256')
    .update(readFileSync(join(dir, 'package-lock.json')))
    .digest('hex');
  const stamp = join(dir, 'node_modules', LOCK_STAMP);
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === lock) {
    console.log(`▸ examples/${example}: dependencies up to date (node_modules matches package-lock.json)`);
    return;
  }
  const args = [...INSTALL[example], '--no-audit', '--no-fund'];
  const started = performance.now();
  process.stdout.write(`▸ examples/${example}: npm ${args.join(' ')} … `);
  rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
  const run = spawnSync('npm', args, { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0)
    throw new Error(`npm ${args.join(' ')} in examples/${example} failed:\n${run.stdout}${run.stderr}`);
  writeFileSync(stamp, lock);
  console.log(`done in ${seconds(started)}`);
}

/** `npm pack` of the repository (its outputs already built), into a temporary folder. */
function packRepository(workDir) {
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', workDir], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  return join(workDir, packed.filename);
}

/** Unpacks the tarball into the example's node_modules/mobileimsdk-wasm, as npm would install it. */
function placePackage(dir, tarball) {
  const target = join(dir, 'node_modules', 'mobileimsdk-wasm');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
}

/** Every file under `dir`, as paths relative to it. */
function filesUnder(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

/**
 * The SDK bytes in a build's output: its wasm (found by content) plus the package module the
 * bundler took in; throws when the output lacks what it must hold.
 * @param {Build} build @param {string} outDir @param {string} sdkDir the unpacked package
 */
function sdkBytes(build, outDir, sdkDir) {
  const [wasmName, jsName] =
    build.runtime === 'wechat'
      ? ['miniprogram_dist/mobileimsdk.wasm.br', 'miniprogram_dist/index.js']
      : ['dist/mobileimsdk.wasm', 'dist/index.js'];
  const wasm = readFileSync(join(sdkDir, wasmName));
  const files = filesUnder(outDir);
  const shipped = files.find(
    (file) => statSync(join(outDir, file)).size === wasm.length && readFileSync(join(outDir, file)).equals(wasm),
  );
  if (!shipped) throw new Error(`the output holds no copy of ${wasmName}`);
  if (build.runtime === 'wechat') {
    if (!files.includes('app.json')) throw new Error('the output holds no app.json');
    const scripts = files
      .filter((file) => file.endsWith('.js'))
      .map((file) => readFileSync(join(outDir, file), 'utf8'));
    if (!scripts.some((code) => code.includes('WXWebAssembly')))
      throw new Error('the output has not the mini-program build');
    if (scripts.some((code) => code.includes('import.meta'))) throw new Error('the output has the browser build');
  }
  return wasm.length + statSync(join(sdkDir, jsName)).size;
}

/**
 * Runs the scenario on a build's output.
 * @param {Build} build @param {string} outDir @param {string} serverUrl
 */
async function checkOutput(build, outDir, serverUrl) {
  const user = `alice-${build.example}-${build.target}`;
  const peer = `bob-${build.example}-${build.target}`;
  const session = { serverUrl, user, peer };
  if (build.runtime === 'h5') {
    const search = new URLSearchParams({ user, peer, server: serverUrl });
    await runInChromium(outDir, `/${build.route}?${search}`, (view) => playChat(view, session));
    return;
  }
  const app = launchWeChatOutput(outDir);
  try {
    // WeChat hands a page its launch query as it was written in the path: still URL-encoded.
    const page = app.openFirstPage({ user, peer, server: encodeURIComponent(serverUrl) });
    const view =
      build.example === 'uniapp'
        ? uniAppView(page, readFileSync(join(outDir, `${build.route}.wxml`), 'utf8'))
        : taroView(page);
    await playChat(view, session);
    const uncaught = app.env.uncaughtErrors;
    if (uncaught.length > 0) throw new Error(`uncaught in the runtime: ${uncaught.map(String).join(' | ')}`);
  } finally {
    app.dispose();
  }
}

/** @param {Build} build @param {string} sdkDir */
function runBuild(build, dir) {
  const started = performance.now();
  const run = spawnSync('npm', ['run', `build:${build.target}`], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'production' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) {
    const log = `${run.stdout}${run.stderr}`.split('\n').slice(-40).join('\n');
    throw new Error(`npm run build:${build.target} in examples/${build.example} failed:\n${log}`);
  }
  return seconds(started);
}

async function main() {
  requireTools([...NEEDS.build, ...NEEDS.devserver, ...NEEDS.headless], '`npm run examples:check`');
  ensureNodeModules();
  buildIfStale();
  const workDir = mkdtempSync(join(tmpdir(), 'mobileimsdk-examples-'));
  const server = await startDevServer();
  try {
    const tarball = packRepository(workDir);
    for (const example of new Set(BUILDS.map((build) => build.example))) {
      installDependencies(example);
      placePackage(join(root, 'examples', example), tarball);
    }
    for (const build of BUILDS) {
      const dir = join(root, 'examples', build.example);
      const outDir = join(dir, build.out);
      rmSync(outDir, { recursive: true, force: true });
      const buildTime = runBuild(build, dir);
      const bytes = sdkBytes(build, outDir, join(dir, 'node_modules', 'mobileimsdk-wasm'));
      const started = performance.now();
      try {
        await checkOutput(build, outDir, server.url);
      } catch (error) {
        throw new Error(`example: ${build.example} target=${build.target} failed: ${error.message}`);
      }
      console.log(
        `example: ${build.example} target=${build.target} ok out=${relative(root, outDir)} bytes=${bytes} build=${buildTime} check=${seconds(started)}`,
      );
    }
  } finally {
    await server.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof MissingToolsError ? error.message : (error?.stack ?? error));
  process.exit(1);
});
