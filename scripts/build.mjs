#!/usr/bin/env node
/**
 * `npm run build`: the Rust crate → wasm → the npm package's two builds.
 *
 *   1. cargo build --release --target wasm32-unknown-unknown -p mobileimsdk-wasm
 *   2. wasm-bindgen --target web → js-glue/generated/ (the CLI must match Cargo.lock's
 *      wasm-bindgen), then the "expose init internals" step: an export of the glue's private
 *      `__wbg_get_imports` / `__wbg_finalize_init` is appended, for our own loaders
 *      (js-glue/src/loader-*.js)
 *   3. wasm-opt -Oz (npm `binaryen`)
 *   4. esbuild: dist/index.js (browser ESM, wasm next to it) and miniprogram_dist/index.js
 *      (CommonJS, es2017, TextEncoder/TextDecoder injected from js-glue/src/text-codec.js)
 *   5. brotli (node:zlib) → miniprogram_dist/mobileimsdk.wasm.br
 *
 * Steps 2–3 are skipped when their outputs are newer than the cargo artifact.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlib } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const at = (...parts) => join(root, ...parts);
const CRATE = 'mobileimsdk-wasm';
const WASM_TARGET = 'wasm32-unknown-unknown';
const cargoArtifact = at('target', WASM_TARGET, 'release', 'mobileimsdk_wasm.wasm');
const generatedDir = at('js-glue', 'generated');
const generatedGlue = join(generatedDir, 'mobileimsdk_wasm.js');
const boundWasm = join(generatedDir, 'mobileimsdk_wasm_bg.wasm');
const optimizedWasm = join(generatedDir, 'mobileimsdk.wasm');
const EXPOSE_INIT_INTERNALS = '\nexport { __wbg_get_imports, __wbg_finalize_init };\n';

/** Features rustc enables by default for wasm32 and the module uses; wasm-opt must keep them. */
const WASM_FEATURES = [
  '--enable-bulk-memory',
  '--enable-mutable-globals',
  '--enable-nontrapping-float-to-int',
  '--enable-reference-types',
  '--enable-sign-ext',
  '--enable-multivalue',
];

function step(title) {
  console.log(`\n▸ ${title}`);
}

function run(command, args) {
  execFileSync(command, args, { cwd: root, stdio: 'inherit' });
}

function isNewer(output, input) {
  return existsSync(output) && statSync(output).mtimeMs >= statSync(input).mtimeMs;
}

function lockedWasmBindgenVersion() {
  const lock = readFileSync(at('Cargo.lock'), 'utf8');
  const match = /name = "wasm-bindgen"\nversion = "([^"]+)"/.exec(lock);
  if (!match) throw new Error('Cargo.lock has no wasm-bindgen entry');
  return match[1];
}

function wasmBindgenCli() {
  const version = lockedWasmBindgenVersion();
  const candidates = ['wasm-bindgen', join(homedir(), '.cargo', 'bin', 'wasm-bindgen')];
  for (const candidate of candidates) {
    try {
      const output = execFileSync(candidate, ['--version'], { encoding: 'utf8' });
      if (output.trim() === `wasm-bindgen ${version}`) return candidate;
      throw new Error(`${candidate} is "${output.trim()}", Cargo.lock needs ${version}`);
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    }
  }
  throw new Error(`wasm-bindgen CLI not found: cargo install wasm-bindgen-cli --version ${version} --locked`);
}

function cargoBuild() {
  step(`cargo build --release --target ${WASM_TARGET} -p ${CRATE}`);
  run('cargo', ['build', '--release', '--target', WASM_TARGET, '-p', CRATE]);
}

function bindgen() {
  if (isNewer(generatedGlue, cargoArtifact) && isNewer(boundWasm, cargoArtifact)) {
    step('wasm-bindgen: up to date');
    return;
  }
  step('wasm-bindgen --target web');
  rmSync(generatedDir, { recursive: true, force: true });
  run(wasmBindgenCli(), [
    '--target',
    'web',
    '--out-dir',
    generatedDir,
    '--out-name',
    'mobileimsdk_wasm',
    cargoArtifact,
  ]);
  step('expose init internals of the generated glue');
  const glue = readFileSync(generatedGlue, 'utf8');
  for (const name of ['__wbg_get_imports', '__wbg_finalize_init']) {
    if (!new RegExp(`^function ${name}\\(`, 'm').test(glue)) {
      throw new Error(`the generated glue has no function ${name}: update the loaders for this wasm-bindgen`);
    }
  }
  writeFileSync(generatedGlue, glue + EXPOSE_INIT_INTERNALS);
}

function optimize() {
  if (isNewer(optimizedWasm, boundWasm)) {
    step('wasm-opt: up to date');
    return;
  }
  step('wasm-opt -Oz');
  const wasmOpt = at('node_modules', 'binaryen', 'bin', 'wasm-opt');
  run(process.execPath, [
    wasmOpt,
    '-Oz',
    ...WASM_FEATURES,
    '--strip-debug',
    '--strip-producers',
    boundWasm,
    '-o',
    optimizedWasm,
  ]);
  // A later issue adds the MVP wasm (nightly, -Zbuild-std, no reference types / bulk memory)
  // for old iOS mini-program runtimes: it is built and optimized here, next to this one, and
  // compressed into miniprogram_dist/ by compressForMiniProgram().
}

/** Fails the build if the mini-program bundle uses what mini-programs lack. */
function checkMiniProgramBundle(file) {
  const code = readFileSync(file, 'utf8');
  const forbidden = [
    [/import\.meta/, 'import.meta'],
    [/\beval\s*\(/, 'eval('],
    [/new\s+Function\s*\(/, 'new Function('],
    [/\brequire\s*\(/, 'require('],
  ];
  for (const [pattern, name] of forbidden) {
    if (pattern.test(code)) throw new Error(`${relative(root, file)} contains ${name}`);
  }
}

async function bundle() {
  step('esbuild → dist/ (browser ESM) and miniprogram_dist/ (CommonJS)');
  for (const dir of ['dist', 'miniprogram_dist']) {
    rmSync(at(dir), { recursive: true, force: true });
    mkdirSync(at(dir));
  }
  const common = { bundle: true, platform: 'neutral', legalComments: 'none', logLevel: 'warning' };
  await build({
    ...common,
    entryPoints: [at('js-glue', 'src', 'index.browser.js')],
    outfile: at('dist', 'index.js'),
    format: 'esm',
    target: 'es2020',
  });
  copyFileSync(optimizedWasm, at('dist', 'mobileimsdk.wasm'));
  copyFileSync(at('js-glue', 'types', 'index.d.ts'), at('dist', 'index.d.ts'));

  await build({
    ...common,
    entryPoints: [at('js-glue', 'src', 'index.miniprogram.js')],
    outfile: at('miniprogram_dist', 'index.js'),
    format: 'cjs',
    target: 'es2017',
    minify: true,
    inject: [at('js-glue', 'src', 'text-codec.js')],
    // The glue's own fetch-based init (the only import.meta user) is tree-shaken away;
    // checkMiniProgramBundle() verifies that nothing of it is left.
    logOverride: { 'empty-import-meta': 'silent' },
  });
  checkMiniProgramBundle(at('miniprogram_dist', 'index.js'));
  copyFileSync(at('js-glue', 'types', 'index.d.ts'), at('miniprogram_dist', 'api.d.ts'));
  const miniProgramTypes = readFileSync(at('js-glue', 'types', 'miniprogram.d.ts'), 'utf8');
  writeFileSync(at('miniprogram_dist', 'index.d.ts'), miniProgramTypes.replaceAll("from './index'", "from './api'"));
}

function compressForMiniProgram() {
  step('brotli → miniprogram_dist/mobileimsdk.wasm.br');
  const wasm = readFileSync(optimizedWasm);
  const compressed = brotliCompressSync(wasm, {
    params: {
      [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY,
      [zlib.BROTLI_PARAM_SIZE_HINT]: wasm.length,
    },
  });
  writeFileSync(at('miniprogram_dist', 'mobileimsdk.wasm.br'), compressed);
}

function reportSizes() {
  step('sizes (bytes)');
  for (const dir of ['dist', 'miniprogram_dist']) {
    for (const name of ['index.js', 'index.d.ts', 'api.d.ts', 'mobileimsdk.wasm', 'mobileimsdk.wasm.br']) {
      const file = at(dir, name);
      if (existsSync(file)) console.log(`  ${`${dir}/${name}`.padEnd(34)} ${statSync(file).size}`);
    }
  }
}

cargoBuild();
bindgen();
optimize();
await bundle();
compressForMiniProgram();
reportSizes();
