/**
 * mobileimsdk-wasm for WeChat mini-programs (bundled to CommonJS): the `IMSDK` singleton and its
 * companions, also hung on `wx` (`wx.IMSDK`, `wx.MBProtocalFactory`, …) as the stock SDK does,
 * when `wx` exists; `createClient()` makes more clients (clients.js), not hung on `wx`.
 * The wasm is loaded with `WXWebAssembly` from `DEFAULT_WASM_PATH` (or `IMSDK.setWasmPath`) on
 * the first `loginImpl`.
 */
import { createClients } from './clients.js';
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
const clients = createClients(
  loader,
  () => Promise.all([loader.load(), host.ready()]).then((loaded) => loaded[0]),
  host,
  () => createWxSocketTransport(wxApi),
);

export const { IMSDK, createClient } = clients;
export const { MBProtocalFactory, MBKeepAliveDaemon, MBUtils } = clients.companions;
export { MBErrorCode, MBKickoutCode, MBProtocalType, MBSenseMode } from './companions.js';
export { IMSendError } from './facade.js';
export { DEFAULT_WASM_PATH } from './loader-miniprogram.js';

if (wxApi) Object.assign(wxApi, { IMSDK }, clients.companions);
