/**
 * The core of one `IMSDK` object: loaded at the first call that needs it, created with the settings
 * made so far, fed lifecycle events; calls wait in order until it is ready (docs/client-behaviour.md §8).
 */
import { describe } from './app-callbacks.js';
import { CLIENT_SDK_NO_INITIALED } from './companions.js';

/**
 * A new core's settings; `senseModes`, `configs` (JSON): in call order, those taken or set before.
 * @typedef {{coreLogs: boolean, sdkLogs: boolean, heartbeatLogs: boolean, senseModes: number[],
 *   msgIdLength?: number, configs: string[]}} CoreSettings
 */

/**
 * @param {() => Promise<import('./facade.js').CoreFactory>} loadCore @param {import('./facade.js').Host} host
 * @param {CoreSettings} settings @param {() => import('./core-adapter.js').CoreHandlers} handlers
 * @param {Function} sdkLog
 */
export function createCoreSession(loadCore, host, settings, handlers, sdkLog) {
  /** @type {import('./facade.js').CoreFactory | null} */
  let factory = null;
  /** @type {Promise<void> | null} */
  let loading = null;
  let epoch = 0; // Bumped by `retire()`, so a load that finishes later does not revive the SDK.
  /** @type {{run: () => void, fail: (code: number) => void}[]} */
  let waiting = [];
  /** @type {(() => void) | null} */
  let unsubscribeLifecycle = null;
  const session = {
    /** @type {import('./facade.js').Core | null} */
    core: null,
    /** @type {import('./facade.js').Message | null} the login waiting for the core */
    queuedLogin: null,
    /** The core, created now if its factory is loaded. */
    ready() {
      if (!session.core && factory) createCore(factory);
      return session.core;
    },
    /** Runs `task` once the core loaded, else `fail`. @param {() => void} task @param {(code: number) => void} fail */
    enqueue(task, fail) {
      waiting.push({ run: task, fail });
      startLoading();
    },
    /** Fails what waits, logs the core out, frees it (deferred: this may run in its callback). */
    retire() {
      epoch += 1;
      loading = null;
      settleWaiting();
      const retiring = session.core;
      session.core = null;
      if (retiring) {
        retiring.logout();
        setTimeout(() => {
          retiring.destroy();
          retiring.free?.();
        }, 0);
      }
      unsubscribeLifecycle?.();
      unsubscribeLifecycle = null;
    },
  };
  /** @param {import('./facade.js').CoreFactory} create */
  function createCore(create) {
    const core = create(handlers(), (bytes) => host.fillRandom(bytes));
    session.core = core;
    core.setDebug('coreLogs', settings.coreLogs);
    core.setDebug('sdkLogs', settings.sdkLogs);
    core.setDebug('heartbeatLogs', settings.heartbeatLogs);
    settings.senseModes = settings.senseModes.filter((mode) => core.setSenseMode(mode)).slice(-1);
    if (settings.msgIdLength !== undefined) core.setFingerprintLength(settings.msgIdLength);
    settings.configs = settings.configs.filter((json) => core.setConfig(json) === 0);
    unsubscribeLifecycle = host.subscribeLifecycle({
      onShow: () => session.core?.appShown(),
      onHide: () => session.core?.appHidden(),
      onNetworkChange: (connected) => session.core?.networkChanged(Boolean(connected)),
    });
  }
  /** Runs what waits if the load of `loadEpoch` made a core, else fails it. @param {number} [loadEpoch] */
  function settleWaiting(loadEpoch) {
    const queued = waiting;
    waiting = [];
    session.queuedLogin = null;
    if (queued.length > 0 && loadEpoch === epoch) session.ready();
    for (let i = 0; i < queued.length; i += 1) {
      if (session.core && loadEpoch === epoch) queued[i].run();
      else queued[i].fail(CLIENT_SDK_NO_INITIALED);
    }
  }
  function startLoading() {
    if (loading) return;
    const loadEpoch = epoch;
    // A throw of `loadCore` rejects the promise.
    loading = new Promise((resolve) => resolve(loadCore())).then(
      (loaded) => {
        factory = loaded;
        if (loadEpoch === epoch) settleWaiting(loadEpoch);
      },
      (error) => {
        loading = null;
        if (loadEpoch !== epoch) return;
        sdkLog('error', 'the wasm core failed to load: ' + describe(error));
        settleWaiting();
      },
    );
  }

  return session;
}
