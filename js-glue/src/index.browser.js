/**
 * mobileimsdk-wasm for browsers (ESM): the `IMSDK` singleton and its companions, with the wasm
 * loaded from next to this file on the first `loginImpl`.
 */
import { createCompanions } from './companions.js';
import { createIMSDK } from './facade.js';
import { createBrowserHost } from './host-browser.js';
import { createWebWasmLoader } from './loader-web.js';
import { createWebSocketTransport } from './transport-browser.js';

const loader = createWebWasmLoader(new URL('./mobileimsdk.wasm', import.meta.url));
const host = createBrowserHost();

/** The SDK object with the stock API (client-behaviour.md §8). */
export const IMSDK = createIMSDK({
  loadCore: loader.load,
  transport: createWebSocketTransport(),
  host,
});

/**
 * Where to load the wasm from (URL, `Response`, bytes or `WebAssembly.Module`); call before the
 * first `loginImpl`.
 * @param {import('./loader-web.js').WasmSource} source
 * @returns {boolean} whether it was taken
 */
IMSDK.setWasmPath = (source) => {
  const taken = loader.setPath(source);
  if (!taken) host.log('warn', '[IMSDK] setWasmPath ignored: the wasm is already loading');
  return taken;
};

export const {
  MBProtocalFactory,
  MBKeepAliveDaemon,
  MBSenseMode,
  MBErrorCode,
  MBProtocalType,
  MBKickoutCode,
  MBUtils,
} = createCompanions(IMSDK, host);

export { IMSendError } from './facade.js';
export default IMSDK;
