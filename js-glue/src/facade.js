/** The `IMSDK` object: the stock API (docs/client-behaviour.md §8) over the core, which makes every decision. */
import { createAppCallbacks, describe } from './app-callbacks.js';
import { isPlainObject } from './call-arguments.js';
import {
  CLIENT_SDK_NO_INITIALED,
  COMMON_CODE_OK,
  COMMON_INVALID_PROTOCAL,
  kickoutAlertText,
  TO_SERVER_NET_INFO_NOT_SETUP,
} from './companions.js';
import { createCoreSession } from './core-session.js';
import { createSendOutcomes } from './send-outcomes.js';
import { createSockets } from './sockets.js';

export { IMSendError } from './send-outcomes.js';

/**
 * What a runtime gives `createIMSDK` (host-*.js, transport-*.js). A transport opens WebSockets (no
 * subprotocol) and may throw; a socket reports `onClose` at most once (a close or an error) and
 * nothing after `close()`; `send` calls `done` once, 0 when taken, else 3.
 * @typedef {{onOpen(): void, onText(text: string): void, onBytes(bytes: Uint8Array): void,
 *   onClose(): void}} SocketHandlers
 * @typedef {{send(text: string, done: (errCode: number) => void): void, close(): void}} Socket
 * @typedef {{open(url: string, handlers: SocketHandlers): Socket}} Transport
 * @typedef {{onShow(): void, onHide(): void, onNetworkChange(connected: boolean): void}} LifecycleHooks
 * @typedef {'debug' | 'info' | 'warn' | 'error'} LogLevel
 * The `Host`, the runtime besides sockets: `fillRandom` throws without a source (the core then falls
 * back), `subscribeLifecycle` returns an unsubscribe, `log` is the console, `now` the wall clock in ms.
 * @typedef {{fillRandom(bytes: Uint8Array): void, showAlert(text: string): void, now(): number,
 *   subscribeLifecycle(hooks: LifecycleHooks): () => void, log(level: LogLevel, line: string): void}} Host
 * @typedef {Record<string, any>} Message a `Protocal` object (or any object the app passes as one)
 * @typedef {import('./send-outcomes.js').Callbacks} Callbacks
 * @typedef {import('./core-adapter.js').Core} Core @typedef {import('./core-adapter.js').CoreFactory} CoreFactory
 */

/**
 * `loginImpl`'s code with no core yet: the core's `LoginError` checks, mirrored (docs/client-behaviour.md §1;
 * tests/js/core-rules.test.mjs). @param {Message} info @param {string} url
 */
function loginCodeBeforeLoad(info, url) {
  if (typeof info.loginUserId !== 'string' || !info.loginUserId) return COMMON_INVALID_PROTOCAL;
  return url ? COMMON_CODE_OK : TO_SERVER_NET_INFO_NOT_SETUP;
}

/**
 * One `IMSDK`; `loadCore` runs at the first `loginImpl` (again after a failure).
 * @param {{loadCore: () => Promise<CoreFactory>, transport: Transport, host: Host}} dependencies
 */
export function createIMSDK({ loadCore, transport, host }) {
  /** @type {import('./core-session.js').CoreSettings} kept for the next core */
  const settings = { coreLogs: false, sdkLogs: false, heartbeatLogs: false, senseModes: [], configs: [] };
  /** @type {Message | null} the app's login info, copied */
  let loginCopy = null;
  /** @type {Record<string, any> & import('./companions.js').CompanionTarget} with the `callback_*` properties */
  const imsdk = {
    /** Starts a session (docs/client-behaviour.md §1). @param {unknown} loginInfo @param {unknown} wsUrl */
    loginImpl(loginInfo, wsUrl) {
      const info = isPlainObject(loginInfo) ? Object.assign({}, loginInfo) : {};
      const url = typeof wsUrl === 'string' ? wsUrl : '';
      if (session.ready()) return coreLogin(info, url);
      const code = loginCodeBeforeLoad(info, url);
      if (code !== COMMON_CODE_OK) return code;
      session.queuedLogin = info;
      session.enqueue(
        () => {
          const code = coreLogin(info, url);
          if (code !== 0) {
            sdkLog('error', 'login refused by the core (code ' + code + ')');
            invoke('loginFailed', false, code);
          }
        },
        (code) => invoke('loginFailed', false, code),
      );
      return COMMON_CODE_OK;
    },
    /**
     * Sends a `Protocal`; the callbacks report its first write (docs/client-behaviour.md §7, §8).
     * @param {unknown} p @param {Function} [fnSuccess] @param {Function} [fnFail] @param {Function} [fnComplete]
     */
    sendData: (p, fnSuccess, fnFail, fnComplete) =>
      sendMessage(p, fnSuccess || fnFail || fnComplete ? { fnSuccess, fnFail, fnComplete } : null, null),
    /** Sends a message; settles on its last outcome (docs/client-behaviour.md §8). @param {unknown} p */
    sendDataAsync: (p) => new Promise((resolve, reject) => sendMessage(p, null, { resolve, reject })),
    /** Logs out (docs/client-behaviour.md §6); returns 0. */
    disconnectSocket() {
      if (session.core) session.core.logout();
      else if (session.queuedLogin) {
        session.queuedLogin = null;
        session.enqueue(
          () => session.core?.logout(),
          () => {},
        );
      }
      return COMMON_CODE_OK;
    },
    /** Whether the session logged in and has not ended (it may be reconnecting). */
    isLogined: () => (session.core ? session.core.isLoggedIn() : false),
    /** Whether the client is online now. */
    isOnline: () => (session.core ? session.core.isOnline() : false),
    /** A copy of the login info, with the core's `firstLoginTime` (docs/client-behaviour.md §8). */
    getLoginInfo() {
      const { core, queuedLogin } = session;
      if (!core) return queuedLogin ? Object.assign({}, queuedLogin) : null;
      const firstLoginTime = core.firstLoginTime();
      if (firstLoginTime === null || !loginCopy) return null;
      return Object.assign({}, loginCopy, { firstLoginTime });
    },
    /** The connection state (docs/client-behaviour.md §1). */
    getConnectionState: () => (session.core ? session.core.state() : session.queuedLogin ? 'connecting' : 'idle'),
    /** The core's debug and info lines (docs/client-behaviour.md §8). */
    setDebugCoreEnable: debugSwitch('coreLogs'),
    /** The SDK's debug lines: state, sockets, echo. */
    setDebugSDKEnable: debugSwitch('sdkLogs'),
    /** Heartbeat lines (with `setDebugSDKEnable(true)`). */
    setDebugPingPongEnable: debugSwitch('heartbeatLogs'),
    /** The keep-alive cadence, which the core takes or refuses (docs/client-behaviour.md §2). */
    setSenseMode(mode) {
      const number = typeof mode === 'number' ? mode : Number.NaN;
      const core = session.core;
      if (!core) return settings.senseModes.push(number) > 0;
      const taken = core.setSenseMode(number);
      if (taken) settings.senseModes = [number];
      return taken;
    },
    /** Timings, all or nothing, as the core checks them (docs/client-behaviour.md §12). @param {unknown} config */
    setConfig(config) {
      let json = '';
      try {
        json = '' + JSON.stringify(config);
      } catch {
        // A BigInt, a cycle or a throwing getter: the core refuses the empty text.
      }
      const code = session.core ? session.core.setConfig(json) : 0;
      if (code === 0) settings.configs.push(json);
      return code;
    },
    /** The fingerprint length, as the core takes it (docs/client-behaviour.md §7). */
    setMsgIdLength(length) {
      settings.msgIdLength = Number(length);
      session.core?.setFingerprintLength(settings.msgIdLength);
    },
    /** Subscribes (docs/client-behaviour.md §8). @param {string} event @param {Function} listener */
    on(event, listener) {
      app.listen(event, listener);
      return () => imsdk.off(event, listener);
    },
    /** @param {string} event @param {Function} listener */
    off: (event, listener) => app.unlisten(event, listener),
    /** Logs out and detaches everything; a later `loginImpl` starts afresh. */
    destroy() {
      session.retire();
      loginCopy = null;
      sockets.closeAll();
      app.clearListeners();
    },
  };
  const app = createAppCallbacks(imsdk, host);
  const { sdkLog, coreLog, invoke, emit, tell } = app;
  const session = createCoreSession(loadCore, host, settings, () => handlers, sdkLog);
  const outcomes = createSendOutcomes(session, app);
  const sockets = createSockets(transport, session, sdkLog);
  /** @type {import('./core-adapter.js').CoreHandlers} made after what they call: no layer between it and the core */
  const handlers = {
    transmit: sockets.transmit,
    message(generation, sendId, first) {
      const text = outcomes.textOf(sendId);
      if (text) sockets.transmit(generation, text, first ? sendId : null);
    },
    written: outcomes.onWritten,
    data: (message) => tell('data', message, {}),
    received: outcomes.onReceived,
    output: handleOutput,
  };
  /** The setter of a debug switch. @param {'coreLogs' | 'sdkLogs' | 'heartbeatLogs'} logs */
  function debugSwitch(logs) {
    return (/** @type {unknown} */ enabled) => {
      settings[logs] = Boolean(enabled);
      session.core?.setDebug(logs, settings[logs]);
    };
  }
  /** Carries out a core output; a throw is logged. @param {import('./core-adapter.js').CoreOutput} output */
  function handleOutput(output) {
    try {
      switch (output.kind) {
        case 'open':
          return sockets.open(output.generation, output.url);
        case 'close':
          return sockets.close(output.generation);
        case 'state':
          return emit('state', output.state);
        case 'loginSucceeded':
        case 'reconnected':
        case 'disconnected':
        case 'ping':
        case 'pong':
          return tell(output.kind);
        case 'loginFailed':
          invoke('loginFailed', output.isReconnect, output.code);
          return emit('loginFailed', { isReconnect: output.isReconnect, code: output.code });
        case 'kicked':
          if (!tell('kicked', output.info)) app.showAlert(kickoutAlertText(output.info));
          return;
        case 'lost':
          return outcomes.onLost(output.messages);
        case 'echo':
          return emit('echo', output.message);
        case 'log':
          return coreLog(output.level, output.message, output.sdk);
        default:
          sdkLog('warn', 'unknown core output "' + output.kind + '" ignored');
      }
    } catch (error) {
      sdkLog('error', 'handling core output "' + output.kind + '" failed: ' + describe(error));
    }
  }
  function coreLogin(/** @type {Message} */ info, /** @type {string} */ url) {
    const code = /** @type {Core} */ (session.core).login(info, url);
    if (code === COMMON_CODE_OK) loginCopy = info;
    return code;
  }
  /** @param {unknown} p @param {Callbacks} callbacks @param {import('./send-outcomes.js').Settle} promise */
  function sendMessage(p, callbacks, promise) {
    if (!isPlainObject(p)) return outcomes.refuse(callbacks, promise, COMMON_INVALID_PROTOCAL);
    if (session.core) return outcomes.coreSend(p, p, callbacks, promise);
    if (!p.QoS || !session.queuedLogin) return outcomes.refuse(callbacks, promise, CLIENT_SDK_NO_INITIALED);
    const copy = Object.assign({}, p);
    session.enqueue(
      () => outcomes.coreSend(copy, p, callbacks, promise),
      (code) => outcomes.refuse(callbacks, promise, code),
    );
    return COMMON_CODE_OK;
  }

  return imsdk;
}
