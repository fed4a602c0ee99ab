/**
 * Loads the wasm core in a WeChat mini-program: `WXWebAssembly.instantiate(packagePath,
 * imports)` fed with the import object of the wasm-bindgen glue.
 *
 * The glue generated with `wasm-bindgen --target web` keeps `__wbg_get_imports` and
 * `__wbg_finalize_init` private; scripts/build.mjs appends an export of both to the generated
 * file (the "expose init internals" step), and this loader calls them instead of the glue's
 * fetch-based default init.
 */
import { __wbg_finalize_init, __wbg_get_imports, ImClient } from '../generated/browser/mobileimsdk_wasm.js';
import { coreFactory } from './core-adapter.js';

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
  let path = DEFAULT_WASM_PATH;
  /** @type {Promise<import('./facade.js').CoreFactory> | null} */
  let loading = null;

  /** Instantiates the wasm (a promise chain, not an async function: see send-outcomes.js `IMSendError`). */
  function instantiate() {
    return new Promise((resolve) =>
      resolve(getWXWebAssembly().instantiate(fromPackageRoot(path), __wbg_get_imports())),
    ).then((/** @type {any} */ result) => {
      __wbg_finalize_init(result.instance ?? result, result.module);
      return coreFactory((host) => new ImClient(host), true);
    });
  }

  return {
    /**
     * Sets the package path of the `.wasm` / `.wasm.br`; only before loading started.
     * @param {string} packagePath
     * @returns {boolean} whether it was taken
     */
    setPath(packagePath) {
      if (loading || typeof packagePath !== 'string' || !packagePath) return false;
      path = packagePath;
      return true;
    },

    /** Loads once; a failed load may be retried. */
    load() {
      if (!loading) {
        loading = instantiate();
        loading.catch(() => {
          loading = null;
        });
      }
      return loading;
    },
  };
}
