#!/usr/bin/env node
/**
 * WeChat's own build of the SDK, offline, with `miniprogram-ci` (Tencent's package of WeChat
 * DevTools' build): the packed package (`npm pack` of the repository) is installed into a
 * minimal mini-program, `packNpmManually` does what DevTools' 工具 → 构建 npm does (copies the
 * package's `miniprogram_dist/` to `miniprogram_npm/mobileimsdk-wasm/`), and `getCompiledResult`
 * compiles the project as an upload would: ES6 → ES5, enhanced compile, minify.
 *
 *   node tests/wechat-build/compile.mjs <outDir>
 *
 * Writes every compiled file of the project under `<outDir>` (the SDK in
 * `miniprogram_npm/mobileimsdk-wasm/`, the Babel helpers the compiler adds in
 * `@babel/runtime/helpers/`). Offline: the project's `attr()` is WeChat's default instead of a
 * request for the AppID's settings, and every request goes to a dead proxy, so it fails at
 * once. The compiler keeps handles open, hence the `process.exit`.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');
const ci = createRequire(import.meta.url)('miniprogram-ci');

/** A port nothing listens on: each request the compiler tries fails at once. */
const DEAD_PROXY = 'http://127.0.0.1:9';
/** The settings of an upload with DevTools' defaults: ES6 → ES5, enhanced compile, minify. */
const COMPILE_SETTINGS = { es6: true, es7: true, enhance: true, minify: true, minifyJS: true };

/** The smallest mini-program that requires the SDK, written in ES5 so it adds no helper itself. */
const PROJECT_FILES = {
  'package.json': JSON.stringify({ name: 'wechat-build', private: true }),
  'project.config.json': JSON.stringify({
    appid: 'touristappid',
    compileType: 'miniprogram',
    setting: { es6: true, enhance: true, minified: true },
  }),
  'app.json': JSON.stringify({ pages: ['pages/index/index'] }),
  'app.js': 'App({});\n',
  'pages/index/index.js': "var sdk = require('mobileimsdk-wasm');\nPage({ data: { ready: !!sdk.IMSDK } });\n",
  'pages/index/index.json': '{}\n',
  'pages/index/index.wxml': '<view>{{ready}}</view>\n',
};

function npm(args, cwd) {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

/** A mini-program project in `dir` with the packed SDK installed as an app would install it. */
function createProject(dir) {
  for (const [name, text] of Object.entries(PROJECT_FILES)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const tarball = npm(['pack', repoRoot, '--silent', '--pack-destination', dir], dir).split('\n').at(-1);
  npm(['install', '--offline', '--no-audit', '--no-fund', '--no-package-lock', join(dir, tarball)], dir);
}

/** A throwaway key: the project object requires one, nothing is signed or sent. */
function throwawayKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return privateKey.export({ type: 'pkcs1', format: 'pem' });
}

async function compile(outDir) {
  const work = mkdtempSync(join(tmpdir(), 'imsdk-wechat-build-'));
  try {
    createProject(work);
    ci.proxy(DEAD_PROXY);
    const packed = await ci.packNpmManually({
      packageJsonPath: join(work, 'package.json'),
      miniprogramNpmDistDir: work,
    });
    if (packed.miniProgramPackNum !== 1) throw new Error(`构建 npm packed ${packed.miniProgramPackNum} packages`);
    const project = new ci.Project({
      appid: 'touristappid',
      type: 'miniProgram',
      projectPath: work,
      privateKey: throwawayKey(),
      ignores: ['node_modules/**/*'],
    });
    project.attr = async () => ci.DefaultProjectAttr;
    const files = await ci.getCompiledResult({ project, setting: COMPILE_SETTINGS });
    rmSync(outDir, { recursive: true, force: true });
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(dirname(join(outDir, name)), { recursive: true });
      writeFileSync(join(outDir, name), content);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const outDir = process.argv[2];
if (!outDir) {
  console.error('usage: node tests/wechat-build/compile.mjs <outDir>');
  process.exit(2);
}
compile(outDir).then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
