/** mobileimsdk-wasm for mini-programs (CommonJS): as index.browser.js, also on `wx` (docs/client-behaviour.md §9). */
import { createClients } from './clients.js';
import { createWxHost } from './host-miniprogram.js';
import { createWxSocketTransport } from './transport-miniprogram.js';
import { createWxWasmLoader } from './wasm-loader.js';

// Not `typeof wx === 'object'`: a Babel helper in ES5.
const wxApi = typeof wx !== 'undefined' && wx !== null && Object(wx) === wx ? wx : null;

const loader = createWxWasmLoader(() => {
  if (typeof WXWebAssembly === 'undefined') throw new Error('no WXWebAssembly here (base library >= 2.15 needed)');
  return WXWebAssembly;
});
const host = createWxHost(wxApi);
const loadCore = () => Promise.all([loader.load(), host.ready()]).then((loaded) => loaded[0]);
const clients = createClients(loader, loadCore, host, () => createWxSocketTransport(wxApi));

export const { IMSDK, createClient } = clients;
export const { MBProtocalFactory, MBKeepAliveDaemon, MBUtils } = clients.companions;
export { MBErrorCode, MBKickoutCode, MBProtocalType, MBSenseMode } from './companions.js';
export { IMSendError } from './facade.js';
export { DEFAULT_WASM_PATH } from './wasm-loader.js';

if (wxApi) Object.assign(wxApi, { IMSDK }, clients.companions);
