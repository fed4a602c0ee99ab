/**
 * A scripted stand-in for the wasm `ImClient`, for facade unit tests: it records every call,
 * answers `send` like the real core (its first transmission waits for `flush`, its write result
 * comes back as `written`, the last outcome of a non-QoS message) and lets the test emit any
 * output (the frequent kinds go to the facade's handlers as calls, as the real adapter makes
 * them: `transmit`, `writeSettled`, `data`, `received`).
 */

export function createFakeCore() {
  /** @type {Record<string, Function> | null} the facade's handlers */
  let handlers = null;
  /** @param {Record<string, any>} value */
  const output = (value) => {
    switch (value.kind) {
      case 'transmit':
        return handlers.transmit(value.generation, value.text, value.sendId ?? null);
      case 'writeSettled':
        return handlers.written(value.sendId, value.code, value.last);
      case 'data':
        return handlers.data(value.message);
      case 'received':
        return handlers.received(value.sendId);
      default:
        return handlers.output(value);
    }
  };
  /** @type {[string, ...unknown[]][]} */
  const calls = [];
  /** @type {object[]} the outputs of a `send`, delivered by `flush` */
  const waiting = [];
  /** @type {Map<number, boolean>} send id → QoS, of first writes whose result is due */
  const firstWrites = new Map();
  const status = { state: 'idle', generation: 0, nextSendId: 1, loginInfo: null };
  let settle;
  const loaded = new Promise((resolve, reject) => {
    settle = { resolve, reject };
  });

  const core = {
    login(info, url) {
      calls.push(['login', info, url]);
      // The core's two checks (`LoginError`).
      if (typeof info.loginUserId !== 'string' || !info.loginUserId) return 4;
      if (!url) return 205;
      status.loginInfo = { ...info, firstLoginTime: 0 };
      status.generation += 1;
      output({ kind: 'open', generation: status.generation, url });
      return 0;
    },
    send(message) {
      calls.push(['send', message]);
      if (status.state !== 'online' && !message.QoS) return { code: 201, sendId: null, fp: null };
      const sendId = status.nextSendId++;
      const fp = message.QoS ? message.fp || `fp-${sendId}` : null;
      if (status.state === 'online') {
        waiting.push({ kind: 'transmit', generation: status.generation, text: JSON.stringify(message), sendId });
        firstWrites.set(sendId, Boolean(message.QoS));
      }
      return { code: 0, sendId, fp };
    },
    flush() {
      while (waiting.length > 0) output(/** @type {object} */ (waiting.shift()));
    },
    written(sendId, ok) {
      const qos = firstWrites.get(sendId);
      if (qos === undefined) return;
      firstWrites.delete(sendId);
      output({ kind: 'writeSettled', sendId, code: ok ? 0 : 3, last: !qos });
    },
    logout: () => calls.push(['logout']),
    socketOpened: (generation) => calls.push(['socketOpened', generation]),
    socketText: (generation, text) => calls.push(['socketText', generation, text]),
    socketBytes: (generation, bytes) => calls.push(['socketBytes', generation, bytes]),
    socketClosed: (generation) => calls.push(['socketClosed', generation]),
    networkChanged: (connected) => calls.push(['networkChanged', connected]),
    appShown: () => calls.push(['appShown']),
    appHidden: () => calls.push(['appHidden']),
    setSenseMode: (mode) => calls.push(['setSenseMode', mode]) > 0,
    setFingerprintLength: (length) => calls.push(['setFingerprintLength', length]),
    setDebug: (logs, on) => calls.push(['setDebug', logs, on]),
    state: () => status.state,
    isLoggedIn: () => status.state === 'online',
    isOnline: () => status.state === 'online',
    firstLoginTime: () => (status.loginInfo ? status.loginInfo.firstLoginTime : null),
    destroy: () => calls.push(['destroy']),
  };

  return {
    core,
    calls,
    status,
    /** The `loadCore` for `createIMSDK`: resolves when the test calls `finishLoading()`. */
    loadCore: () => loaded,
    finishLoading: () =>
      settle.resolve((given) => {
        handlers = given;
        return core;
      }),
    failLoading: (error) => settle.reject(error),
    /** Emits a core output to the facade. */
    emit: (value) => output(value),
    /** Names of the calls made so far. */
    callNames: () => calls.map(([name]) => name),
  };
}

/** A host that records alerts, log lines and lifecycle subscriptions. */
export function createFakeHost() {
  const host = {
    alerts: [],
    lines: [],
    hooks: null,
    unsubscribed: 0,
    fillRandom: (bytes) => bytes.fill(7),
    showAlert: (text) => host.alerts.push(text),
    subscribeLifecycle(hooks) {
      host.hooks = hooks;
      return () => {
        host.hooks = null;
        host.unsubscribed += 1;
      };
    },
    log: (level, line) => host.lines.push({ level, line }),
    now: () => Date.UTC(2024, 0, 2, 3, 4, 5),
  };
  return host;
}

/**
 * A transport whose sockets are driven by the test; writes complete when `flush()` runs, or at
 * once (as a browser WebSocket reports them) with `syncWrites`.
 */
export function createFakeTransport({ syncWrites = false } = {}) {
  const transport = {
    sockets: [],
    failOpen: false,
    open(url, handlers) {
      if (transport.failOpen) throw new Error('cannot connect');
      const socket = {
        url,
        handlers,
        written: [],
        pending: [],
        closed: false,
        send(text, done) {
          socket.written.push(text);
          if (syncWrites) done(0);
          else socket.pending.push(done);
        },
        close() {
          socket.closed = true;
        },
        /** Completes pending writes with `code`. */
        flush(code = 0) {
          for (const done of socket.pending.splice(0)) done(code);
        },
      };
      transport.sockets.push(socket);
      return socket;
    },
  };
  return transport;
}
