/**
 * Adapts the wasm `ImClient`'s compact boundary (outputs as JSON text, transmissions as plain
 * arguments, messages in as JSON text) to the `Core` interface facade.js drives. Plain module
 * with no imports, so a wasm-bindgen test can load it as a snippet.
 */

/** The numbers of `ImClient.socket`'s events (src/wasm/handle.rs). */
const SOCKET = { opened: 0, text: 1, closed: 2 };
/** The numbers of `ImClient.hint`'s hints. */
const HINT = { networkDown: 0, networkUp: 1, appShown: 2, appHidden: 3, logout: 4 };
/** The numbers of `ImClient.configure`'s settings. */
const SETTING = { senseMode: 0, fingerprintLength: 1, debugLogs: 2 };

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
    const status = () => JSON.parse(raw.status());
    return {
      login: (info, url) => raw.login(JSON.stringify(info), url),
      send(message) {
        let json;
        try {
          json = JSON.stringify(message);
        } catch {
          return { code: 4, sendId: null, fp: null };
        }
        const sendId = raw.send(json);
        if (sendId <= 0) return { code: -sendId, sendId: null, fp: null };
        return { code: 0, sendId, fp: raw.lastFingerprint() ?? null };
      },
      loginInfo: () => status().loginInfo,
      logout: () => raw.hint(HINT.logout),
      socketOpened: (generation) => raw.socket(SOCKET.opened, generation),
      socketText: (generation, text) => raw.socket(SOCKET.text, generation, text),
      socketBytes: (generation, bytes) => raw.socketBytes(generation, bytes),
      socketClosed: (generation) => raw.socket(SOCKET.closed, generation),
      networkChanged: (connected) => raw.hint(connected ? HINT.networkUp : HINT.networkDown),
      appShown: () => raw.hint(HINT.appShown),
      appHidden: () => raw.hint(HINT.appHidden),
      setSenseMode: (mode) => raw.configure(SETTING.senseMode, mode),
      setFingerprintLength: (length) => raw.configure(SETTING.fingerprintLength, length),
      setDebug: (on) => raw.configure(SETTING.debugLogs, on ? 1 : 0),
      state: () => status().state,
      isLoggedIn: () => status().loggedIn,
      isOnline: () => status().online,
      destroy: () => raw.destroy(),
      free: () => raw.free(),
    };
  };
}
