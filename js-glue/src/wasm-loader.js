/** Loads the wasm core once for an entry's clients with the generated glue's imports (docs/client-behaviour.md §9). */
import { __wbg_finalize_init, __wbg_get_imports, ImClient } from '../generated/browser/mobileimsdk_wasm.js';
import { coreFactory } from './core-adapter.js';

/**
 * `instantiate` resolves `{instance, module}` or the `Instance` alone (some `WXWebAssembly`s). @template Source
 * @param {Source} source @param {(source: unknown) => boolean} accepts @param {boolean} [compareBuffers]
 * @param {(source: Source, imports: Record<string, any>) => Promise<any>} instantiate
 */
export function createWasmLoader(source, accepts, instantiate, compareBuffers) {
  /** @type {Promise<import('./facade.js').CoreFactory> | null} */
  let loading = null;
  return {
    /** Sets where the wasm comes from, before loading started; whether taken. @param {Source} next */
    setPath(next) {
      if (loading || !accepts(next)) return false;
      source = next;
      return true;
    },
    /** Loads once; a failed load may be retried. No async function: a Babel helper in ES5. */
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

/** Where `npm` puts the wasm in a mini-program built with "构建 npm". */
export const DEFAULT_WASM_PATH = 'miniprogram_npm/mobileimsdk-wasm/mobileimsdk.wasm.br';

/**
 * A mini-program's loader: `WXWebAssembly.instantiate(packagePath, imports)`, the path with one leading
 * `/`, as some base libraries require (docs/client-behaviour.md §9). @param {() => any} getWXWebAssembly
 */
export function createWxWasmLoader(getWXWebAssembly) {
  return createWasmLoader(
    DEFAULT_WASM_PATH,
    (path) => typeof path === 'string' && path !== '',
    (path, imports) =>
      new Promise((resolve) => resolve(getWXWebAssembly().instantiate('/' + path.replace(/^\/+/, ''), imports))),
    true,
  );
}
