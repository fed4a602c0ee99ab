/**
 * mobileimsdk-wasm for WeChat mini-programs (bundled to CommonJS): the `IMSDK` singleton and its
 * companions, also hung on `wx` (`wx.IMSDK`, `wx.MBProtocalFactory`, …) as the stock SDK does,
 * when `wx` exists.
 * The wasm is loaded with `WXWebAssembly` from `DEFAULT_WASM_PATH` (or `IMSDK.setWasmPath`) on
 * the first `loginImpl`.
 */
import { createCompanions } from './companions.js';
import { createIMSDK } from './facade.js';
import { createWxHost } from './host-miniprogram.js';
import { createWxWasmLoader } from './loader-miniprogram.js';
import { createWxSocketTransport } from './transport-miniprogram.js';

// Not `typeof wx === 'object'`: WeChat's ES6→ES5 compile turns that into a Babel helper call.
const wxApi = typeof wx !== 'undefined' && wx !== null && Object(wx) === wx ? wx : null;

const loader = createWxWasmLoader(() => {
  if (typeof WXWebAssembly === 'undefined') throw new Error('no WXWebAssembly here (base library >= 2.15 needed)');
  return WXWebAssembly;
});
const host = createWxHost(wxApi);

/** An `IMSDK` object on this module's wasm loader, with `setWasmPath`. */
function newIMSDK() {
  const imsdk = createIMSDK({
    loadCore: () => Promise.all([loader.load(), host.ready()]).then((loaded) => loaded[0]),
    transport: createWxSocketTransport(wxApi),
    host,
  });
  /**
   * The package path of the `.wasm` / `.wasm.br` for every client of this module; call before
   * the first `loginImpl`.
   * @param {string} path
   * @returns {boolean} whether it was taken
   */
  imsdk.setWasmPath = (path) => {
    const taken = loader.setPath(path);
    if (!taken) host.log('warn', '[IMSDK] setWasmPath ignored: the wasm is already loading');
    return taken;
  };
  return imsdk;
}

/** The SDK object with the stock API (docs/client-behaviour.md §8). */
export const IMSDK = newIMSDK();

const companions = createCompanions(IMSDK, host);

export const {
  MBProtocalFactory,
  MBKeepAliveDaemon,
  MBSenseMode,
  MBErrorCode,
  MBProtocalType,
  MBKickoutCode,
  MBUtils,
} = companions;

/**
 * One more client (not hung on `wx`): an `IMSDK` object with its own socket, session, callbacks
 * and settings, independent of the singleton, and companions bound to it. All clients share the
 * module's one wasm instance.
 */
export function createClient() {
  const imsdk = newIMSDK();
  return Object.assign({ IMSDK: imsdk }, createCompanions(imsdk, host));
}

export { IMSendError } from './facade.js';
export { DEFAULT_WASM_PATH } from './loader-miniprogram.js';

if (wxApi) Object.assign(wxApi, { IMSDK }, companions);
