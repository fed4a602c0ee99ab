/**
 * Loads the wasm core in a browser (or Node): fetch and instantiate with the import object of
 * the wasm-bindgen glue, whose `__wbg_get_imports` / `__wbg_finalize_init` scripts/build.mjs
 * exports (see loader-miniprogram.js).
 */
import { __wbg_finalize_init, __wbg_get_imports, ImClient } from '../generated/browser/mobileimsdk_wasm.js';
import { coreFactory } from './core-adapter.js';

/**
 * A wasm source: a URL (fetched), a `Response`, the bytes, or a compiled `WebAssembly.Module`.
 * @typedef {string | URL | Response | ArrayBuffer | ArrayBufferView | WebAssembly.Module} WasmSource
 */

/**
 * @param {WasmSource} source
 * @param {WebAssembly.Imports} imports
 * @returns {Promise<{instance: WebAssembly.Instance, module?: WebAssembly.Module}>}
 */
async function instantiateFrom(source, imports) {
  if (source instanceof WebAssembly.Module) {
    return { instance: await WebAssembly.instantiate(source, imports), module: source };
  }
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    return WebAssembly.instantiate(source, imports);
  }
  const response = typeof Response === 'function' && source instanceof Response ? source : await fetch(source);
  if (!response.ok) throw new Error(`cannot fetch the wasm: HTTP ${response.status} for ${response.url}`);
  const isWasm = (response.headers.get('Content-Type') ?? '').startsWith('application/wasm');
  if (isWasm && typeof WebAssembly.instantiateStreaming === 'function') {
    return WebAssembly.instantiateStreaming(response, imports);
  }
  return WebAssembly.instantiate(await response.arrayBuffer(), imports);
}

/**
 * @param {WasmSource} defaultSource
 */
export function createWebWasmLoader(defaultSource) {
  let source = defaultSource;
  /** @type {Promise<import('./facade.js').CoreFactory> | null} */
  let loading = null;

  async function instantiate() {
    const { instance, module } = await instantiateFrom(source, __wbg_get_imports());
    __wbg_finalize_init(instance, module);
    return coreFactory((host) => new ImClient(host));
  }

  return {
    /**
     * Sets where the wasm comes from; only before loading started.
     * @param {WasmSource} wasmSource
     * @returns {boolean} whether it was taken
     */
    setPath(wasmSource) {
      if (loading || !wasmSource) return false;
      source = wasmSource;
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
