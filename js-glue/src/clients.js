/**
 * What both entries export, on their runtime's wasm loader, host and transport: the `IMSDK`
 * singleton with its companions, and `createClient()` for more independent clients sharing the
 * one wasm instance.
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
  /** An `IMSDK` object on the entry's wasm loader, with `setWasmPath`. */
  function newIMSDK() {
    const imsdk = createIMSDK({ loadCore, transport: newTransport(), host });
    /**
     * Where to load the wasm from, for every client of the entry (see loader-web.js and
     * loader-miniprogram.js for what each takes); call before the first `loginImpl`.
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

  /** The SDK object with the stock API (docs/client-behaviour.md §8). */
  const IMSDK = newIMSDK();
  return {
    IMSDK,
    companions: createCompanions(IMSDK, host),

    /**
     * One more client (e.g. two users side by side): an `IMSDK` object with its own socket,
     * session, callbacks and settings, independent of the singleton, and companions bound to it.
     */
    createClient() {
      const imsdk = newIMSDK();
      return Object.assign({ IMSDK: imsdk }, createCompanions(imsdk, host));
    },
  };
}
