/** What both entries export: the `IMSDK` singleton with its companions, and `createClient()` for more. */
import { createCompanions } from './companions.js';
import { createIMSDK } from './facade.js';

/**
 * @param {{setPath(source: any): boolean}} loader @param {() => Promise<import('./facade.js').CoreFactory>} loadCore
 * @param {import('./facade.js').Host} host
 * @param {() => import('./facade.js').Transport} newTransport
 */
export function createClients(loader, loadCore, host, newTransport) {
  function newIMSDK() {
    const imsdk = createIMSDK({ loadCore, transport: newTransport(), host });
    /** Where every client loads the wasm from, before the first `loginImpl` (docs/client-behaviour.md §9). */
    imsdk.setWasmPath = (/** @type {unknown} */ source) => {
      const taken = loader.setPath(source);
      if (!taken) host.log('warn', '[IMSDK] setWasmPath ignored: the wasm is already loading');
      return taken;
    };
    return imsdk;
  }
  const IMSDK = newIMSDK();
  return {
    IMSDK,
    companions: createCompanions(IMSDK, host),
    /** One more client (own socket, session, callbacks, settings) and its companions. */
    createClient() {
      const imsdk = newIMSDK();
      return Object.assign({ IMSDK: imsdk }, createCompanions(imsdk, host));
    },
  };
}
