/**
 * mobileimsdk-wasm for browsers (ESM): the `IMSDK` singleton and its companions, with the wasm
 * loaded from next to this file on the first `loginImpl`; `createClient()` makes more
 * independent clients that share that wasm (clients.js).
 */
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
