/**
 * Adapts the wasm `ImClient`'s compact boundary (outputs as JSON text, transmissions as plain
 * arguments, messages in as JSON text) to the `Core` interface facade.js drives. Plain module
 * with no imports, so a wasm-bindgen test can load it as a snippet.
 */

/**
 * What the wasm `ImClient` reports to.
 * @typedef {object} RawHost
 * @property {(json: string) => void} output every output but transmissions, as JSON text
 * @property {(generation: number, text: string, sendId: number) => void} transmit sendId 0: none
 * @property {(bytes: Uint8Array) => void} random fills with random bytes
 */

/**
 * A `CoreFactory` (see facade.js) over the wasm class.
 * @param {(host: RawHost) => any} createRaw `(host) => new ImClient(host)`
 * @returns {import('./facade.js').CoreFactory}
 */
export function coreFactory(createRaw) {
  return (output, random) => {
    const raw = createRaw({
      output: (json) => output(JSON.parse(json)),
      transmit: (generation, text, sendId) =>
        output({ kind: 'transmit', generation, text, sendId: sendId === 0 ? null : sendId }),
      random,
    });
    return {
      login: (info, url) => raw.login(JSON.stringify(info), url),
      send(message) {
        let json;
        try {
          json = JSON.stringify(message);
        } catch {
          return { code: 4, sendId: null, fp: null };
        }
        const code = raw.send(json);
        if (code !== 0) return { code, sendId: null, fp: null };
        return { code, sendId: raw.lastSendId(), fp: raw.lastFingerprint() ?? null };
      },
      loginInfo() {
        const json = raw.loginInfo();
        return json === undefined ? null : JSON.parse(json);
      },
      logout: () => raw.logout(),
      socketOpened: (generation) => raw.socketOpened(generation),
      socketText: (generation, text) => raw.socketText(generation, text),
      socketBytes: (generation, bytes) => raw.socketBytes(generation, bytes),
      socketClosed: (generation) => raw.socketClosed(generation),
      networkChanged: (connected) => raw.networkChanged(connected),
      appShown: () => raw.appShown(),
      appHidden: () => raw.appHidden(),
      setSenseMode: (mode) => raw.setSenseMode(mode),
      setFingerprintLength: (length) => raw.setFingerprintLength(length),
      setDebug: (on) => raw.setDebug(on),
      state: () => raw.state(),
      isLoggedIn: () => raw.isLoggedIn(),
      isOnline: () => raw.isOnline(),
      pendingMessages: () => raw.pendingMessages(),
      destroy: () => raw.destroy(),
      free: () => raw.free(),
    };
  };
}
