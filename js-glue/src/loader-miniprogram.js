/** The wasm core in a WeChat mini-program: `WXWebAssembly.instantiate(packagePath, imports)`. */
import { createWasmLoader } from './wasm-loader.js';

/** Where `npm` puts the wasm in a mini-program built with "构建 npm". */
export const DEFAULT_WASM_PATH = 'miniprogram_npm/mobileimsdk-wasm/mobileimsdk.wasm.br';

/** `packagePath` with one leading `/`, as some base libraries require (docs/client-behaviour.md §9). */
function fromPackageRoot(/** @type {string} */ packagePath) {
  return '/' + packagePath.replace(/^\/+/, '');
}

/** @param {() => any} getWXWebAssembly the runtime's `WXWebAssembly` */
export function createWxWasmLoader(getWXWebAssembly) {
  return createWasmLoader(
    DEFAULT_WASM_PATH,
    (path) => typeof path === 'string' && path !== '',
    (path, imports) =>
      new Promise((resolve) => resolve(getWXWebAssembly().instantiate(fromPackageRoot(path), imports))),
    true,
  );
}
