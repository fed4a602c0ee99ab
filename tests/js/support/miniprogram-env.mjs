/**
 * A WeChat mini-program runtime inside a `node:vm` context, for tests and the demo harness.
 *
 * The context's globals are only what a mini-program has: no `WebAssembly` (code generation
 * from strings and wasm compilation are off too), `fetch`, `TextEncoder`, `TextDecoder`,
 * `crypto`, `URL`, `process` or `Buffer`. It gets `console` (recorded), the four timer
 * functions (counted), `wx` and `WXWebAssembly`:
 *
 * * `wx.connectSocket` returns a SocketTask over a real loopback WebSocket (the `ws` package)
 *   with WeChat's callback semantics: `onOpen/onMessage/onClose/onError`, `send({data, success,
 *   fail, complete})`, `close({code, reason})`, messages as `string | ArrayBuffer`, every
 *   callback a separate macrotask, at most the profile's number of sockets at once (closing ones
 *   included).
 * * `wx.onAppShow/onAppHide/onNetworkStatusChange` (and `off…`), fired with `showApp()`,
 *   `hideApp()` and `setNetwork()`; `wx.showModal` (recorded), `wx.getRandomValues`.
 * * `WXWebAssembly.instantiate(path, imports)` accepts only a package path string, reads the
 *   file through `packageDirs` (`.wasm.br` is decompressed with node:zlib) and instantiates it
 *   with the host's WebAssembly, outside the context. The instances are kept, so tests can read
 *   the size of their linear memory (`wasmMemoryBytes()`).
 * * `profile` (`ios`, `android`, `devtools`; support/runtime-profiles.mjs) sets what differs
 *   between WeChat's runtimes: the socket limit, the path and wasm `instantiate` accepts and
 *   what it resolves, whether a suspended app's sockets die silently.
 * * `virtualTime`: the timers and `Date.now` run on a virtual clock that moves only when the test
 *   calls `advanceTime(ms)` (support/virtual-timers.mjs); sockets, `wx` callbacks and the wasm
 *   load still take their real (short) time.
 * * `require` in the package's files resolves relative paths inside the package paths (as
 *   WeChat's compiled output requires its Babel helpers), one module instance per `env.require`.
 *
 * An error thrown out of a callback the runtime runs (socket, lifecycle and `wx` callbacks,
 * timers) does not crash the process; as in WeChat it is reported (a console line of level
 * `uncaught`) and kept in `uncaughtErrors`, where `traps()` finds trapped wasm calls
 * (`WebAssembly.RuntimeError`, e.g. `unreachable` after a Rust panic).
 *
 * Usage:
 *   const env = createMiniProgramEnv({ packageDirs: { 'miniprogram_npm/mobileimsdk-wasm': dir } });
 *   const sdk = env.require('miniprogram_npm/mobileimsdk-wasm/index.js');
 *   env.wx.IMSDK.loginImpl(...);
 *   …
 *   env.dispose();
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import vm from 'node:vm';
import { brotliDecompressSync } from 'node:zlib';
import WebSocket from 'ws';
import { assertAcceptedByIos, RUNTIME_PROFILES } from './runtime-profiles.mjs';
import { createVirtualTimers } from './virtual-timers.mjs';

const LOOPBACK_URL = /^wss?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/;

/** Tests talk only to this machine: any other host fails like a domain not whitelisted. */
function isLoopback(url) {
  return LOOPBACK_URL.test(url);
}
const LIFECYCLE_EVENTS = ['appShow', 'appHide', 'networkStatusChange'];

/** The exported linear memory of a wasm-bindgen instance. */
function memoryOf(instance) {
  const memory =
    instance.exports.memory ?? Object.values(instance.exports).find((e) => e instanceof WebAssembly.Memory);
  if (!memory) throw new Error('the wasm instance exports no memory');
  return memory;
}

/**
 * Counts the page's `Math.random()` calls from now on; `env.run('mathRandomCalls')` reads the
 * count (the SDK's fallback when `wx.getRandomValues` gives no bytes).
 * @param {{run: (code: string) => unknown}} env
 */
export function countMathRandom(env) {
  env.run(`
    globalThis.mathRandomCalls = 0;
    const mathRandom = Math.random;
    Math.random = () => {
      globalThis.mathRandomCalls += 1;
      return mathRandom();
    };
  `);
}

/**
 * @typedef {object} ModalCall
 * @property {string} title
 * @property {string} content
 */

/**
 * @param {object} options
 * @param {Record<string, string>} options.packageDirs package path prefix → directory on disk
 * @param {boolean} [options.echoConsole] also print the context's console lines
 * @param {boolean} [options.recordFrames] keep every written frame and opened URL (`writtenFrames`,
 *   `openedUrls`); long runs (the soak) switch it off so the record does not grow without bound
 * @param {(data: string | ArrayBuffer) => void} [options.onInbound] sees every message the
 *   runtime hands to a SocketTask's `onMessage` listeners while the SDK still uses that socket
 *   (it has not called `close()`)
 * @param {keyof typeof RUNTIME_PROFILES} [options.profile] which WeChat runtime to behave as;
 *   by default `devtools`, or `IMSDK_TEST_PROFILE` from the environment (e.g. the whole suite
 *   as iOS: `IMSDK_TEST_PROFILE=ios npm run test:js`)
 * @param {boolean} [options.virtualTime] timers and `Date.now` on a virtual clock (`advanceTime`)
 */
export function createMiniProgramEnv({
  packageDirs,
  echoConsole = Boolean(process.env.IMSDK_TEST_CONSOLE),
  recordFrames = true,
  onInbound,
  profile = process.env.IMSDK_TEST_PROFILE ?? 'devtools',
  virtualTime = false,
}) {
  const rules = RUNTIME_PROFILES[profile];
  if (!rules) throw new Error(`unknown runtime profile ${profile}`);
  const timers = new Map();
  let nextTimerId = 1;
  /** @type {{level: string, text: string}[]} */
  const consoleLines = [];
  /** @type {ModalCall[]} */
  const modalCalls = [];
  /** @type {Set<FakeSocketTask>} */
  const sockets = new Set();
  /** @type {Record<string, Set<Function>>} */
  const lifecycle = Object.fromEntries(LIFECYCLE_EVENTS.map((event) => [event, new Set()]));
  const status = { networkUp: true, suspended: false };
  /** @type {string[]} */
  const openedUrls = [];
  /** @type {string[]} */
  const writtenFrames = [];
  /** @type {unknown[]} errors thrown out of callbacks the runtime ran */
  const uncaughtErrors = [];
  /** @type {WebAssembly.Instance[]} */
  const wasmInstances = [];
  /** The most SocketTasks the SDK held at once without having asked to close them. */
  let peakSocketsInUse = 0;

  /** Runs `fn` now, reporting what it throws as WeChat does instead of crashing. */
  function guarded(fn, ...args) {
    try {
      fn?.(...args);
    } catch (error) {
      uncaughtErrors.push(error);
      consoleLines.push({ level: 'uncaught', text: String(error?.stack ?? error) });
    }
  }

  /** Runs `fn` as its own macrotask, as WeChat delivers callbacks. */
  function later(fn, ...args) {
    setImmediate(() => guarded(fn, ...args));
  }

  function socketsInUse() {
    let count = 0;
    for (const socket of sockets) if (!socket.closeRequested) count += 1;
    return count;
  }

  function resolvePackagePath(path) {
    if (typeof path !== 'string') throw new TypeError('WXWebAssembly.instantiate: path must be a string');
    const clean = path.replace(/^\/+/, '');
    for (const [prefix, dir] of Object.entries(packageDirs)) {
      if (clean === prefix || clean.startsWith(`${prefix}/`)) return join(dir, clean.slice(prefix.length));
    }
    throw new Error(`no such file in the package: ${path}`);
  }

  const virtualTimers = virtualTime ? createVirtualTimers(guarded) : null;
  const realTimerApi = {
    setTimeout(fn, delay, ...args) {
      const id = nextTimerId++;
      timers.set(
        id,
        setTimeout(() => {
          timers.delete(id);
          guarded(fn, ...args);
        }, delay),
      );
      return id;
    },
    clearTimeout(id) {
      clearTimeout(timers.get(id));
      timers.delete(id);
    },
    setInterval(fn, delay, ...args) {
      const id = nextTimerId++;
      timers.set(
        id,
        setInterval(() => guarded(fn, ...args), delay),
      );
      return id;
    },
    clearInterval(id) {
      clearInterval(timers.get(id));
      timers.delete(id);
    },
  };
  const timerApi = virtualTimers ? virtualTimers.api : realTimerApi;

  function record(level) {
    return (...parts) => {
      const text = parts.map((part) => (typeof part === 'string' ? part : String(part))).join(' ');
      consoleLines.push({ level, text });
      if (echoConsole) process.stderr.write(`[mp ${level}] ${text}\n`);
    };
  }
  const fakeConsole = Object.fromEntries(['log', 'debug', 'info', 'warn', 'error'].map((l) => [l, record(l)]));

  class FakeSocketTask {
    constructor({ url, fail }) {
      this.url = url;
      this.handlers = { open: [], message: [], close: [], error: [] };
      this.closed = false;
      this.closeRequested = false;
      sockets.add(this);
      peakSocketsInUse = Math.max(peakSocketsInUse, socketsInUse());
      if (recordFrames) openedUrls.push(url);
      if (!status.networkUp || status.suspended || sockets.size > rules.maxSockets || !isLoopback(url)) {
        this.ws = null;
        later(fail, { errMsg: 'connectSocket:fail network unavailable' });
        later(() => this.fail('connectSocket:fail network unavailable'));
        return;
      }
      this.ws = new WebSocket(url);
      this.ws.on('open', () => this.fire('open', { header: {} }));
      this.ws.on('message', (data, isBinary) => {
        const payload = isBinary ? new Uint8Array(data).buffer : data.toString('utf8');
        if (onInbound) {
          later(() => {
            if (!this.closeRequested && !this.closed) onInbound(payload);
          });
        }
        this.fire('message', { data: payload });
      });
      this.ws.on('error', (error) => this.fire('error', { errMsg: `socket error: ${error.message}` }));
      this.ws.on('close', (code, reason) => this.finish(code, reason.toString()));
    }

    fire(event, res) {
      if (this.silenced) return;
      for (const handler of this.handlers[event]) later(handler, res);
    }

    fail(errMsg) {
      this.fire('error', { errMsg });
      this.finish(1006, '');
    }

    finish(code, reason) {
      if (this.closed) return;
      this.closed = true;
      // A silently killed socket goes on counting against the limit until the app closes it.
      if (!this.silenced) sockets.delete(this);
      this.fire('close', { code, reason });
    }

    /** Drops the connection without a close handshake, as a dying network does. */
    kill() {
      if (this.ws) this.ws.terminate();
      else this.finish(1006, '');
    }

    /** Drops the connection and tells the app nothing: no `onError`, no `onClose`. */
    killSilently() {
      this.silenced = true;
      this.kill();
    }

    onOpen(fn) {
      this.handlers.open.push(fn);
    }
    onMessage(fn) {
      this.handlers.message.push(fn);
    }
    onClose(fn) {
      this.handlers.close.push(fn);
    }
    onError(fn) {
      this.handlers.error.push(fn);
    }

    send({ data, success, fail, complete } = {}) {
      if (!this.ws || this.ws.readyState !== WebSocket.OPEN) {
        later(fail, { errMsg: 'sendSocketMessage:fail WebSocket is not connected' });
        later(complete);
        return;
      }
      if (recordFrames) writtenFrames.push(typeof data === 'string' ? data : Buffer.from(data).toString('utf8'));
      this.ws.send(data, (error) => {
        if (error) later(fail, { errMsg: `sendSocketMessage:fail ${error.message}` });
        else later(success, { errMsg: 'sendSocketMessage:ok' });
        later(complete);
      });
    }

    close({ code = 1000, reason = '', success, complete } = {}) {
      this.closeRequested = true;
      if (this.silenced) sockets.delete(this);
      else if (this.ws && this.ws.readyState <= WebSocket.OPEN) this.ws.close(code, reason);
      else if (!this.ws) this.finish(code, reason);
      later(success, { errMsg: 'closeSocket:ok' });
      later(complete);
    }
  }

  const wx = {
    connectSocket(options) {
      return new FakeSocketTask(options);
    },
    onAppShow: (fn) => lifecycle.appShow.add(fn),
    offAppShow: (fn) => lifecycle.appShow.delete(fn),
    onAppHide: (fn) => lifecycle.appHide.add(fn),
    offAppHide: (fn) => lifecycle.appHide.delete(fn),
    onNetworkStatusChange: (fn) => lifecycle.networkStatusChange.add(fn),
    offNetworkStatusChange: (fn) => lifecycle.networkStatusChange.delete(fn),
    showModal(options) {
      modalCalls.push({ title: options.title, content: options.content });
      later(options.success, { confirm: true, cancel: false });
    },
    getRandomValues({ length, success, complete }) {
      later(success, { randomValues: new Uint8Array(randomBytes(length)).buffer });
      later(complete);
    },
  };

  const WXWebAssembly = {
    instantiate(path, imports) {
      if (typeof path !== 'string') {
        return Promise.reject(new TypeError('WXWebAssembly.instantiate: the first argument must be a package path'));
      }
      if (rules.pathFromRoot && !path.startsWith('/')) {
        return Promise.reject(new Error(`WXWebAssembly.instantiate: not a path from the package root: ${path}`));
      }
      try {
        const file = resolvePackagePath(path);
        const raw = readFileSync(file);
        const bytes = file.endsWith('.br') ? brotliDecompressSync(raw) : raw;
        if (rules.pureMvpOnly) assertAcceptedByIos(bytes);
        return WebAssembly.instantiate(bytes, imports).then((result) => {
          wasmInstances.push(result.instance);
          return rules.bareInstance ? result.instance : result;
        });
      } catch (error) {
        return Promise.reject(error);
      }
    },
  };

  const context = vm.createContext(
    { console: fakeConsole, wx, WXWebAssembly, ...timerApi },
    { name: 'mini-program', codeGeneration: { strings: false, wasm: false } },
  );
  vm.runInContext('delete globalThis.WebAssembly;', context);
  if (virtualTimers) vm.runInContext('Date', context).now = virtualTimers.now;

  function fireLifecycle(event, res) {
    for (const listener of [...lifecycle[event]]) later(listener, res);
  }

  return {
    context,
    profile,
    wx,
    WXWebAssembly,
    consoleLines,
    modalCalls,
    /** URLs passed to `wx.connectSocket`, in order. */
    openedUrls,

    /**
     * Loads a CommonJS file of the package into the context (a fresh module each time), with
     * the files it requires by relative path.
     * @param {string} packagePath
     */
    require(packagePath) {
      /** @type {Map<string, {exports: any}>} */
      const modules = new Map();
      const load = (path) => {
        if (modules.has(path)) return modules.get(path).exports;
        const source = readFileSync(resolvePackagePath(path), 'utf8');
        const wrapped = `(function (module, exports, require) {${source}\n})`;
        const factory = vm.runInContext(wrapped, context, { filename: path });
        const module = vm.runInContext('({ exports: {} })', context);
        modules.set(path, module);
        factory(module, module.exports, (name) => {
          if (!name.startsWith('.')) throw new Error(`require(${name}) is not available in this test runtime`);
          const target = posix.join(posix.dirname(path), name);
          return load(target.endsWith('.js') ? target : `${target}.js`);
        });
        return module.exports;
      };
      return load(packagePath.replace(/^\/+/, ''));
    },

    /** Evaluates page code in the context (e.g. a stock demo snippet). */
    run(code) {
      return vm.runInContext(code, context);
    },

    /**
     * The app goes to the background; `suspend` also kills sockets (silently in the `ios`
     * profile) and blocks new ones.
     */
    hideApp({ suspend = false } = {}) {
      status.suspended = suspend;
      if (suspend) {
        for (const socket of [...sockets]) {
          if (rules.silentSuspension) socket.killSilently();
          else socket.kill();
        }
      }
      fireLifecycle('appHide', {});
    },

    /** The app comes to the foreground. */
    showApp() {
      status.suspended = false;
      fireLifecycle('appShow', { path: 'pages/index/index', scene: 1001, query: {} });
    },

    /** The network goes down (live sockets die, new ones fail) or comes back. */
    setNetwork(connected) {
      status.networkUp = connected;
      if (!connected) for (const socket of [...sockets]) socket.kill();
      fireLifecycle('networkStatusChange', { isConnected: connected, networkType: connected ? 'wifi' : 'none' });
    },

    /** Kills every live socket without a close handshake. */
    killSockets() {
      for (const socket of [...sockets]) socket.kill();
    },

    /** SocketTasks not closed yet. */
    liveSockets: () => [...sockets],
    /** SocketTasks not closed yet whose `close()` the SDK has not called. */
    socketsInUse,
    /** The most `socketsInUse()` there ever were, checked each time a socket is created. */
    peakSocketsInUse: () => peakSocketsInUse,
    /** SocketTasks that count against the profile's limit (not closed, or killed silently). */
    existingSockets: () => sockets.size,
    /** Timers armed and not yet fired or cleared. */
    liveTimers: () => (virtualTimers ? virtualTimers.size() : timers.size),

    /**
     * With `virtualTime`: moves the clock forward by `ms`, firing every timer due on the way.
     * @param {number} ms
     */
    advanceTime(ms) {
      if (!virtualTimers) throw new Error('advanceTime needs a runtime created with virtualTime');
      virtualTimers.advance(ms);
    },
    /** Listeners registered with `wx.on…` and not removed. */
    liveListeners: () => LIFECYCLE_EVENTS.reduce((sum, event) => sum + lifecycle[event].size, 0),

    /** Every frame the SDK wrote to a socket, as text, in order (with `recordFrames`). */
    writtenFrames,

    /** Errors thrown out of callbacks the runtime ran (socket, `wx`, lifecycle, timers). */
    uncaughtErrors,
    /** The uncaught errors that are wasm traps (`WebAssembly.RuntimeError`). */
    traps: () => uncaughtErrors.filter((error) => error instanceof WebAssembly.RuntimeError),
    /** Linear memory of every wasm instance loaded here, in bytes. */
    wasmMemoryBytes: () => wasmInstances.reduce((sum, instance) => sum + memoryOf(instance).buffer.byteLength, 0),

    /** Stops everything the runtime still has running. */
    dispose() {
      for (const socket of [...sockets]) socket.kill();
      for (const [id, handle] of timers) {
        clearTimeout(handle);
        clearInterval(handle);
        timers.delete(id);
      }
      virtualTimers?.clearAll();
      for (const event of LIFECYCLE_EVENTS) lifecycle[event].clear();
    },
  };
}
