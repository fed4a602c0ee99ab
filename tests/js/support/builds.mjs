/**
 * Where `npm run build` puts the two builds, what WeChat's build makes of the mini-program one,
 * and a mini-program runtime with the SDK loaded.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { weChatBuild } from '../../../scripts/wechat-build.mjs';
import { createMiniProgramEnv } from './miniprogram-env.mjs';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const miniProgramDist = join(repoRoot, 'miniprogram_dist');
export const browserDist = join(repoRoot, 'dist');

/** The package path the SDK's files have in a mini-program built with "构建 npm". */
export const SDK_PACKAGE_PATH = 'miniprogram_npm/mobileimsdk-wasm';

/** @param {string} dir */
export function requireBuilt(dir) {
  if (!existsSync(join(dir, 'index.js'))) throw new Error(`${dir}/index.js is missing: run \`npm run build\` first`);
}

/**
 * The mini-program SDK builds a phone may run, each as the package directories of a mini-program
 * runtime: `miniprogram_dist/` as DevTools' 构建 npm copies it, and what WeChat's build
 * (miniprogram-ci: ES6 → ES5, enhanced compile, minify) makes of it, with the Babel helpers it
 * added, if any (compiled on first use).
 * @type {Record<'miniprogram_dist' | 'wechat-compiled', () => Record<string, string>>}
 */
export const MINI_PROGRAM_BUILDS = {
  miniprogram_dist: () => {
    requireBuilt(miniProgramDist);
    return { [SDK_PACKAGE_PATH]: miniProgramDist };
  },
  'wechat-compiled': () => {
    const { dir, sdkDir } = weChatBuild();
    const helpers = join(dir, '@babel');
    // No helpers folder when WeChat's compile added none (the glue is written to need none).
    return existsSync(helpers) ? { [SDK_PACKAGE_PATH]: sdkDir, '@babel': helpers } : { [SDK_PACKAGE_PATH]: sdkDir };
  },
};

/**
 * A mini-program runtime whose `miniprogram_npm/mobileimsdk-wasm` is `sdkDir`, with the SDK
 * required as a page would (`require('mobileimsdk-wasm')`).
 * @param {string} [sdkDir]
 * @param {{echoConsole?: boolean, recordFrames?: boolean, onInbound?: (data: string | ArrayBuffer) => void, profile?: 'ios' | 'android' | 'devtools'}} [envOptions]
 *   see `createMiniProgramEnv`
 * @param {(env: ReturnType<typeof createMiniProgramEnv>) => void} [prepare] changes the runtime
 *   before the SDK is required (a host app's globals, a `wx` API missing or replaced)
 */
export function openMiniProgram(sdkDir = miniProgramDist, envOptions = {}, prepare = () => {}) {
  requireBuilt(sdkDir);
  return openPackage({ [SDK_PACKAGE_PATH]: sdkDir }, envOptions, prepare);
}

/**
 * Like `openMiniProgram`, for one of `MINI_PROGRAM_BUILDS`.
 * @param {keyof typeof MINI_PROGRAM_BUILDS} build
 * @param {Parameters<typeof openMiniProgram>[1]} [envOptions]
 */
export function openMiniProgramBuild(build, envOptions = {}) {
  return openPackage(MINI_PROGRAM_BUILDS[build](), envOptions);
}

/**
 * @param {Record<string, string>} packageDirs
 * @param {Parameters<typeof openMiniProgram>[1]} envOptions
 * @param {Parameters<typeof openMiniProgram>[2]} [prepare]
 */
function openPackage(packageDirs, envOptions, prepare = () => {}) {
  const env = createMiniProgramEnv({ ...envOptions, packageDirs });
  prepare(env);
  const sdk = env.require(`${SDK_PACKAGE_PATH}/index.js`);
  return { env, sdk, IMSDK: sdk.IMSDK };
}
