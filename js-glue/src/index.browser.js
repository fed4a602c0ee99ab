/**
 * mobileimsdk-wasm for browsers (ESM): the `IMSDK` singleton and its companions, with the wasm
 * loaded from next to this file on the first `loginImpl`; `createClient()` makes more
 * independent clients that share that wasm.
 */
import { createCompanions } from './companions.js';
import { createIMSDK } from './facade.js';
import { createBrowserHost } from './host-browser.js';
import { createWebWasmLoader } from './loader-web.js';
import { createWebSocketTransport } from './transport-browser.js';

const loader = createWebWasmLoader(new URL('./mobileimsdk.wasm', import.meta.url));
const host = createBrowserHost();

/** An `IMSDK` object on this module's wasm loader, with `setWasmPath`. */
function newIMSDK() {
  const imsdk = createIMSDK({
    loadCore: loader.load,
    transport: createWebSocketTransport(),
    host,
  });
  /**
   * Where to load the wasm from (URL, `Response`, bytes or `WebAssembly.Module`) for every client
   * of this module; call before the first `loginImpl`.
   * @param {import('./loader-web.js').WasmSource} source
   * @returns {boolean} whether it was taken
   */
  imsdk.setWasmPath = (source) => {
    const taken = loader.setPath(source);
    if (!taken) host.log('warn', '[IMSDK] setWasmPath ignored: the wasm is already loading');
    return taken;
  };
  return imsdk;
}

/** The SDK object with the stock API (docs/client-behaviour.md §8). */
export const IMSDK = newIMSDK();

export const {
  MBProtocalFactory,
  MBKeepAliveDaemon,
  MBSenseMode,
  MBErrorCode,
  MBProtocalType,
  MBKickoutCode,
  MBUtils,
} = createCompanions(IMSDK, host);

/**
 * One more client in the same page (e.g. two users side by side): an `IMSDK` object with its own
 * socket, session, callbacks and settings, independent of the singleton, and companions bound to
 * it. All clients share the module's one wasm instance.
 */
export function createClient() {
  const imsdk = newIMSDK();
  return Object.assign({ IMSDK: imsdk }, createCompanions(imsdk, host));
}

export { IMSendError } from './facade.js';
export default IMSDK;
