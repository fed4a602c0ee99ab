/**
 * Loads the wasm core once for every client of an entry, with the wasm-bindgen glue's import
 * object (`__wbg_get_imports`, exported by scripts/build.mjs); loader-*.js say where from.
 */
import { __wbg_finalize_init, __wbg_get_imports, ImClient } from '../generated/browser/mobileimsdk_wasm.js';
import { coreFactory } from './core-adapter.js';

/**
 * @template Source
 * @param {Source} source where the wasm comes from unless `setPath` changes it
 * @param {(source: unknown) => boolean} accepts whether `setPath` may take a source
 * @param {(source: Source, imports: Record<string, any>) => Promise<any>} instantiate `{instance, module}`
 *   or the `Instance` alone (some base libraries' `WXWebAssembly.instantiate`)
 * @param {boolean} [compareBuffers] see `coreFactory`
 */
export function createWasmLoader(source, accepts, instantiate, compareBuffers) {
  /** @type {Promise<import('./facade.js').CoreFactory> | null} */
  let loading = null;
  return {
    /**
     * Sets where the wasm comes from; only before loading started.
     * @param {Source} next
     * @returns {boolean} whether it was taken
     */
    setPath(next) {
      if (loading || !accepts(next)) return false;
      source = next;
      return true;
    },

    /** Loads once; a failed load may be retried. A promise chain, not an async function: see send-outcomes.js `IMSendError`. */
    load() {
      if (!loading) {
        loading = instantiate(source, __wbg_get_imports()).then((result) => {
          const instance = result.instance ?? result;
          __wbg_finalize_init(instance, result.module);
          return coreFactory((host) => new ImClient(host), instance.exports.memory, compareBuffers);
        });
        loading.catch(() => {
          loading = null;
        });
      }
      return loading;
    },
  };
}
