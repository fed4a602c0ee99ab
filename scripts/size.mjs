#!/usr/bin/env node
/**
 * `npm run size`: what the SDK costs a mini-program and a web page, against Tencent Cloud Chat's
 * mini-program SDKs measured in the same run from their published npm packages.
 *
 * Fails (exit 1) when the mini-program files exceed the budget or the mini-program wasm does
 * not validate as MVP + sign-extension + mutable-global (older iOS WeChat runtimes).
 * Last line: `size: miniprogram=<bytes> budget=49152`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, brotliDecompressSync, gzipSync, constants as zlib } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUDGET = 48 * 1024;
/** The published packages compared, pinned, with the file a mini-program ships from each. */
const COMPETITORS = [
  { spec: 'tim-wx-sdk@2.27.6', file: 'tim-wx.js' },
  { spec: '@tencentcloud/lite-chat@4.2.1', file: 'basic.js' },
];

const brotli = (bytes) =>
  brotliCompressSync(bytes, { params: { [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY } }).length;
const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;
const files = (dir) => readdirSync(join(root, dir)).sort();

function requireBuild() {
  for (const dir of ['dist', 'miniprogram_dist']) {
    try {
      statSync(join(root, dir, 'index.js'));
    } catch {
      throw new Error(`${dir}/ is missing: run npm run build first`);
    }
  }
}

function validateMvp(work) {
  const wasm = brotliDecompressSync(readFileSync(join(root, 'miniprogram_dist', 'mobileimsdk.wasm.br')));
  const file = join(work, 'miniprogram.wasm');
  writeFileSync(file, wasm);
  const features = 'mvp,sign-extension,mutable-global';
  execFileSync('wasm-tools', ['validate', `--features=${features}`, file], { stdio: 'inherit' });
  console.log(`mvp: miniprogram_dist/mobileimsdk.wasm.br validates with --features=${features}`);
}

function competitorBytes(work, { spec, file }) {
  const dir = mkdtempSync(join(work, 'pack-'));
  const tarball = execFileSync('npm', ['pack', spec, '--silent', '--pack-destination', dir], {
    cwd: dir,
    encoding: 'utf8',
  }).trim();
  execFileSync('tar', ['xzf', join(dir, tarball.split('\n').at(-1)), '-C', dir]);
  return statSync(join(dir, 'package', file)).size;
}

requireBuild();
const work = mkdtempSync(join(tmpdir(), 'imsdk-size-'));
try {
  console.log('miniprogram_dist/ (bytes as stored in the mini-program package):');
  let miniprogram = 0;
  for (const name of files('miniprogram_dist')) {
    const size = statSync(join(root, 'miniprogram_dist', name)).size;
    miniprogram += size;
    console.log(`  ${name.padEnd(24)} ${String(size).padStart(8)}`);
  }
  console.log(`  ${'total'.padEnd(24)} ${String(miniprogram).padStart(8)}  (budget ${BUDGET})`);

  console.log('dist/ (browser ESM): raw / gzip -9 / brotli -11');
  for (const name of files('dist')) {
    const bytes = readFileSync(join(root, 'dist', name));
    console.log(
      `  ${name.padEnd(24)} ${[bytes.length, gzip(bytes), brotli(bytes)].map((n) => String(n).padStart(8)).join(' ')}`,
    );
  }

  validateMvp(work);

  console.log('against the published packages (the JavaScript a mini-program ships from each):');
  for (const competitor of COMPETITORS) {
    try {
      const bytes = competitorBytes(work, competitor);
      console.log(
        `  ${competitor.spec.padEnd(30)} ${competitor.file.padEnd(10)} ${String(bytes).padStart(8)}  ratio=${(bytes / miniprogram).toFixed(1)}x ours`,
      );
    } catch (error) {
      console.log(`  ${competitor.spec.padEnd(30)} not measured: ${error.message.split('\n')[0]}`);
    }
  }

  console.log(`size: miniprogram=${miniprogram} budget=${BUDGET}`);
  if (miniprogram > BUDGET) {
    console.error(`miniprogram_dist/ is ${miniprogram - BUDGET} bytes over the budget`);
    process.exitCode = 1;
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
