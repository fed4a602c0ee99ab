#!/usr/bin/env node
/**
 * `npm run size`: what the SDK costs a mini-program and a web page, against Tencent Cloud Chat's
 * mini-program SDKs measured in the same run from their published npm packages.
 *
 * A mini-program ships what WeChat's build makes of `miniprogram_dist/` (ES6 → ES5, enhanced
 * compile, minify: scripts/wechat-build.mjs): the SDK's compiled files plus every Babel helper the
 * compiler added for them. The budget applies to that compiled total, and no helper may be added
 * at all; `miniprogram_dist/` as packed is reported beside it. Fails (exit 1) when the compiled
 * total exceeds the budget, when a helper is added, or when the mini-program wasm is not pure MVP
 * (`wasm-tools validate --features=mvp`: iOS before 14.5 has no sign-extension opcodes) or
 * exports anything but functions and memory (iOS WXWebAssembly rejects Global exports).
 * Last line: `size: miniprogram=<bytes> compiled=<bytes> helpers=<count> budget=49152`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, brotliDecompressSync, gzipSync, constants as zlib } from 'node:zlib';
import { weChatBuild } from './wechat-build.mjs';

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

/** The wasm every WeChat accepts: pure MVP, exporting only functions and memory. */
function validateMiniProgramWasm(work) {
  const wasm = brotliDecompressSync(readFileSync(join(root, 'miniprogram_dist', 'mobileimsdk.wasm.br')));
  const file = join(work, 'miniprogram.wasm');
  writeFileSync(file, wasm);
  execFileSync('wasm-tools', ['validate', '--features=mvp', file], { stdio: 'inherit' });
  console.log('mvp: miniprogram_dist/mobileimsdk.wasm.br validates with --features=mvp');
  const exports = WebAssembly.Module.exports(new WebAssembly.Module(wasm));
  const kinds = [...new Set(exports.map((e) => e.kind))].sort().join(', ');
  const others = exports.filter((e) => e.kind !== 'function' && e.kind !== 'memory');
  if (others.length > 0) {
    console.error(`the mini-program wasm exports ${others.map((e) => `${e.kind} ${e.name}`).join(', ')}`);
    process.exitCode = 1;
  } else {
    console.log(`exports: ${exports.length} (${kinds}), no Global`);
  }
}

/** What WeChat's build ships of the SDK, helpers by name; its total is what the budget limits. */
function reportCompiled(raw) {
  const { files, helpers } = weChatBuild();
  console.log("after WeChat's build (miniprogram-ci: 构建 npm, ES6 → ES5, enhanced compile, minify):");
  let total = 0;
  for (const { name, bytes } of files) {
    total += bytes;
    console.log(`  ${name.padEnd(40)} ${String(bytes).padStart(8)}`);
  }
  for (const { name, bytes, direct } of helpers) {
    total += bytes;
    console.log(
      `  ${`helper ${name}`.padEnd(40)} ${String(bytes).padStart(8)}${direct ? '' : '  (required by a helper)'}`,
    );
  }
  const direct = helpers.filter((helper) => helper.direct).length;
  console.log(
    `  ${'total'.padEnd(40)} ${String(total).padStart(8)}  (budget ${BUDGET}; ${helpers.length} Babel helpers, ${direct} required by the SDK itself; miniprogram_dist/ ${raw})`,
  );
  return { total, helpers };
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
  console.log(`  ${'total'.padEnd(24)} ${String(miniprogram).padStart(8)}`);

  console.log('dist/ (browser ESM): raw / gzip -9 / brotli -11');
  for (const name of files('dist')) {
    const bytes = readFileSync(join(root, 'dist', name));
    console.log(
      `  ${name.padEnd(24)} ${[bytes.length, gzip(bytes), brotli(bytes)].map((n) => String(n).padStart(8)).join(' ')}`,
    );
  }

  validateMiniProgramWasm(work);
  const compiled = reportCompiled(miniprogram);

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

  console.log(
    `size: miniprogram=${miniprogram} compiled=${compiled.total} helpers=${compiled.helpers.length} budget=${BUDGET}`,
  );
  if (compiled.total > BUDGET) {
    console.error(`after WeChat's build the SDK is ${compiled.total - BUDGET} bytes over the budget`);
    process.exitCode = 1;
  }
  if (compiled.helpers.length > 0) {
    console.error(
      `WeChat's compiler adds ${compiled.helpers.length} Babel helpers for the SDK: ${compiled.helpers.map((h) => h.name).join(', ')}`,
    );
    process.exitCode = 1;
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
