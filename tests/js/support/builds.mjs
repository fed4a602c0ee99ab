/**
 * Where `npm run build` puts the two builds, and a mini-program runtime with the SDK loaded.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
 * A mini-program runtime whose `miniprogram_npm/mobileimsdk-wasm` is `sdkDir`, with the SDK
 * required as a page would (`require('mobileimsdk-wasm')`).
 * @param {string} [sdkDir]
 * @param {{echoConsole?: boolean, recordFrames?: boolean, onInbound?: (data: string | ArrayBuffer) => void}} [envOptions]
 *   see `createMiniProgramEnv`
 */
export function openMiniProgram(sdkDir = miniProgramDist, envOptions = {}) {
  requireBuilt(sdkDir);
  const env = createMiniProgramEnv({ ...envOptions, packageDirs: { [SDK_PACKAGE_PATH]: sdkDir } });
  const sdk = env.require(`${SDK_PACKAGE_PATH}/index.js`);
  return { env, sdk, IMSDK: sdk.IMSDK };
}
