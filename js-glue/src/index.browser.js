/** mobileimsdk-wasm for browsers (ESM): the `IMSDK` singleton, its companions and `createClient()`. */
import { createClients } from './clients.js';
import { createBrowserHost } from './host-browser.js';
import { createWebWasmLoader } from './loader-web.js';
import { createWebSocketTransport } from './transport-browser.js';

const loader = createWebWasmLoader(new URL('./mobileimsdk.wasm', import.meta.url));
const clients = createClients(loader, loader.load, createBrowserHost(), () => createWebSocketTransport());

export const { IMSDK, createClient } = clients;
export const { MBProtocalFactory, MBKeepAliveDaemon, MBUtils } = clients.companions;
export { MBErrorCode, MBKickoutCode, MBProtocalType, MBSenseMode } from './companions.js';
export { IMSendError } from './facade.js';
export default IMSDK;
