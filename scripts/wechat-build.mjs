/**
 * WeChat's own build of `miniprogram_dist/` (tests/wechat-build/compile.mjs, `miniprogram-ci`),
 * for `npm run size`, `npm test` and `npm run bench`: installed in its own folder on first use
 * (`npm ci`, skipped while the lockfile is unchanged), compiled again only when the build
 * changed.
 *
 *   const build = weChatBuild();   // { dir, sdkDir, files, helpers }
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const folder = join(root, 'tests', 'wechat-build');
/** Where the compiled mini-program is written (not committed). */
export const WECHAT_BUILD_DIR = join(folder, 'out');
/** The SDK's package path in a mini-program after 构建 npm. */
export const SDK_PACKAGE_PATH = 'miniprogram_npm/mobileimsdk-wasm';

const mtime = (file) => (existsSync(file) ? statSync(file).mtimeMs : 0);

/** `npm ci` in tests/wechat-build when its node_modules is missing or older than its lockfile. */
export function installWeChatBuild() {
  const installed = join(folder, 'node_modules', '.package-lock.json');
  if (mtime(installed) >= mtime(join(folder, 'package-lock.json'))) return;
  console.log('installing miniprogram-ci in tests/wechat-build (npm ci, once)');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: folder, stdio: 'inherit' });
}

/**
 * The files `require`d from `file` (a package path in `dir`), `file` excluded.
 * @param {string} dir
 * @param {string} file
 * @param {Set<string>} [seen]
 * @param {boolean} [transitively] also what those files require
 */
function requiredFrom(dir, file, seen = new Set(), transitively = true) {
  const source = readFileSync(join(dir, file), 'utf8');
  for (const [, name] of source.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)) {
    if (!name.startsWith('.')) continue;
    const target = posix.join(posix.dirname(file), name.endsWith('.js') ? name : `${name}.js`);
    if (seen.has(target)) continue;
    seen.add(target);
    if (transitively) requiredFrom(dir, target, seen);
  }
  return seen;
}

/**
 * What WeChat's build made of the SDK: its files (in the SDK's package folder) and the helper
 * files the compiler added for them (everything they require outside it, `direct` when an SDK
 * file requires it itself, else a helper does), with sizes in bytes.
 * @param {string} dir a compiled mini-program
 */
export function compiledSdk(dir) {
  const sdkDir = join(dir, SDK_PACKAGE_PATH);
  const names = readdirSync(sdkDir).sort();
  const files = names.map((name) => ({ name, bytes: statSync(join(sdkDir, name)).size }));
  const required = new Set();
  const direct = new Set();
  for (const name of names.filter((n) => n.endsWith('.js'))) {
    const file = `${SDK_PACKAGE_PATH}/${name}`;
    for (const target of requiredFrom(dir, file)) required.add(target);
    for (const target of requiredFrom(dir, file, undefined, false)) direct.add(target);
  }
  const helpers = [...required]
    .filter((file) => !file.startsWith(`${SDK_PACKAGE_PATH}/`))
    .sort()
    .map((file) => ({
      name: posix.basename(file, '.js'),
      file,
      bytes: statSync(join(dir, file)).size,
      direct: direct.has(file),
    }));
  return { dir, sdkDir, files, helpers };
}

/**
 * Installs and runs WeChat's build when `miniprogram_dist/` is newer than its last output.
 * @returns {ReturnType<typeof compiledSdk>}
 */
export function weChatBuild() {
  const built = ['index.js', 'mobileimsdk.wasm.br'].map((name) => join(root, 'miniprogram_dist', name));
  for (const file of built) if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build first`);
  const compiled = join(WECHAT_BUILD_DIR, SDK_PACKAGE_PATH, 'index.js');
  if (mtime(compiled) < Math.max(...built.map(mtime))) {
    installWeChatBuild();
    try {
      execFileSync(process.execPath, [join(folder, 'compile.mjs'), WECHAT_BUILD_DIR], {
        cwd: folder,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      throw new Error(`WeChat's build (miniprogram-ci) failed:\n${error.stdout}\n${error.stderr}`);
    }
  }
  return compiledSdk(WECHAT_BUILD_DIR);
}
