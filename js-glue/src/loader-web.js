/** The wasm core in a browser (or Node): fetched, streaming when served as `application/wasm`. */
import { createWasmLoader } from './wasm-loader.js';

/** @typedef {string | URL | Response | ArrayBuffer | ArrayBufferView | WebAssembly.Module} WasmSource */

/**
 * @param {WasmSource} source @param {WebAssembly.Imports} imports
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

/** @param {WasmSource} defaultSource */
export function createWebWasmLoader(defaultSource) {
  return createWasmLoader(defaultSource, Boolean, instantiateFrom);
}
