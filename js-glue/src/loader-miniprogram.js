/** The wasm core in a WeChat mini-program: `WXWebAssembly.instantiate(packagePath, imports)`. */
import { createWasmLoader } from './wasm-loader.js';

/** Where `npm` puts the wasm in a mini-program built with "构建 npm". */
export const DEFAULT_WASM_PATH = 'miniprogram_npm/mobileimsdk-wasm/mobileimsdk.wasm.br';

/**
 * A package path as `WXWebAssembly.instantiate` is given it: absolute from the mini-program root
 * (one leading `/`), which some base library versions require; both spellings are accepted.
 * @param {string} packagePath
 */
function fromPackageRoot(packagePath) {
  return '/' + packagePath.replace(/^\/+/, '');
}

/**
 * @param {() => any} getWXWebAssembly returns the runtime's `WXWebAssembly`
 */
export function createWxWasmLoader(getWXWebAssembly) {
  return createWasmLoader(
    DEFAULT_WASM_PATH,
    (path) => typeof path === 'string' && path !== '',
    (path, imports) =>
      new Promise((resolve) => resolve(getWXWebAssembly().instantiate(fromPackageRoot(path), imports))),
    true,
  );
}
