/**
 * The SDK's two builds for the demos: `npm run build` when an output is missing or older than a
 * source, and the mini-program build placed where WeChat DevTools' "构建 npm" would put it.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NEEDS, requireTools } from '../preflight.mjs';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const OUTPUTS = [
  'dist/index.js',
  'dist/mobileimsdk.wasm',
  'miniprogram_dist/index.js',
  'miniprogram_dist/mobileimsdk.wasm.br',
];
const SOURCES = ['src', 'js-glue/src', 'js-glue/types', 'Cargo.toml', 'Cargo.lock', 'scripts/build.mjs'];

/** Where the demo mini-program finds the SDK: `miniprogram_npm/<package name>/`. */
export const MINIPROGRAM_SDK_DIR = join(root, 'demo-miniprogram', 'miniprogram_npm', 'mobileimsdk-wasm');

/** The newest modification time under `path` (a file or a directory). */
function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stat.mtimeMs);
}

/** Why the builds must be made again, or `null` when they are up to date. */
function staleReason() {
  const missing = OUTPUTS.find((output) => !existsSync(join(root, output)));
  if (missing) return `${missing} is missing`;
  const oldestOutput = Math.min(...OUTPUTS.map((output) => statSync(join(root, output)).mtimeMs));
  const newer = SOURCES.find((source) => newestMtime(join(root, source)) > oldestOutput);
  return newer ? `${newer} changed since the last build` : null;
}

/** Runs `npm run build` when dist/ or miniprogram_dist/ is missing or older than its sources. */
export function buildIfStale() {
  const reason = staleReason();
  if (!reason) {
    console.log('▸ SDK builds are up to date (dist/, miniprogram_dist/)');
    return;
  }
  requireTools(NEEDS.build, '`npm run build`');
  console.log(`▸ npm run build (${reason})`);
  const started = performance.now();
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  console.log(`▸ SDK built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * Copies miniprogram_dist/ to demo-miniprogram/miniprogram_npm/mobileimsdk-wasm/, as "构建 npm"
 * does with a package's `miniprogram` directory.
 * @returns {string} the directory, relative to the repository
 */
export function placeMiniProgramSdk() {
  rmSync(MINIPROGRAM_SDK_DIR, { recursive: true, force: true });
  cpSync(join(root, 'miniprogram_dist'), MINIPROGRAM_SDK_DIR, { recursive: true });
  return relative(root, MINIPROGRAM_SDK_DIR);
}
