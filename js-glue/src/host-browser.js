/**
 * The `Host` (facade.js) of a page or Node: `crypto`, `scope`'s network and visibility events, the console.
 * @param {any} [scope] @returns {import('./facade.js').Host}
 */
export function createBrowserHost(scope = globalThis) {
  return {
    fillRandom: (bytes) => globalThis.crypto.getRandomValues(bytes),
    showAlert: (text) => console.warn(`[IMSDK] ${text}`),
    subscribeLifecycle(hooks) {
      const page = typeof scope.addEventListener === 'function' ? scope : null;
      const doc = scope.document && typeof scope.document.addEventListener === 'function' ? scope.document : null;
      const online = () => hooks.onNetworkChange(true);
      const offline = () => hooks.onNetworkChange(false);
      const visibility = () => (doc.visibilityState === 'visible' ? hooks.onShow() : hooks.onHide());
      page?.addEventListener('online', online);
      page?.addEventListener('offline', offline);
      doc?.addEventListener('visibilitychange', visibility);
      return () => {
        page?.removeEventListener('online', online);
        page?.removeEventListener('offline', offline);
        doc?.removeEventListener('visibilitychange', visibility);
      };
    },
    log: (level, line) => console[level](line),
    now: () => Date.now(),
  };
}
