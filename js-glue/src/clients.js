/**
 * What both entries export on their runtime's loader, host and transport: the `IMSDK` singleton
 * with its companions, and `createClient()` for more clients sharing the one wasm instance.
 */
import { createCompanions } from './companions.js';
import { createIMSDK } from './facade.js';

/**
 * @param {{setPath(source: any): boolean}} loader the entry's one wasm loader
 * @param {() => Promise<import('./facade.js').CoreFactory>} loadCore
 * @param {import('./runtime-interfaces.js').Host} host
 * @param {() => import('./runtime-interfaces.js').Transport} newTransport
 */
export function createClients(loader, loadCore, host, newTransport) {
  function newIMSDK() {
    const imsdk = createIMSDK({ loadCore, transport: newTransport(), host });
    /**
     * Where every client of the entry loads the wasm from, before the first `loginImpl` (docs/client-behaviour.md §9).
     * @param {unknown} source
     * @returns {boolean} whether it was taken
     */
    imsdk.setWasmPath = (source) => {
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
    /** One more client, with its own socket, session, callbacks and settings, and its companions. */
    createClient() {
      const imsdk = newIMSDK();
      return Object.assign({ IMSDK: imsdk }, createCompanions(imsdk, host));
    },
  };
}
