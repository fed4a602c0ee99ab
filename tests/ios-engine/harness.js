/*
 * The mini-program SDK in JavaScriptCore's shell (`jsc --useJIT=false`: JS and wasm interpreted,
 * no TextEncoder/TextDecoder, as in iOS WeChat). tests/ios-engine/run.mjs prepends
 * `var IOS_ENGINE = {mode, wasmFile, messages, runs, modules}`: the SDK's files as CommonJS
 * factories by package path, the decompressed wasm in a file `read(path, 'binary')` can load.
 *
 * The runtime here is a mini-program's, faked: `wx` (a SocketTask wired to an in-process
 * scripted MobileIMSDK server, `getRandomValues`, lifecycle events), `WXWebAssembly` (iOS:
 * a path from the package root, resolves an `Instance`), `console`, timers on a virtual clock
 * and a macrotask queue this script pumps. It prints `RESULT <json>` lines:
 *   mode "test":  login, QoS messages both ways, a duplicate, a kick-out (counts to check)
 *   mode "bench": instantiate and login (ms), receive (µs per frame) and send with its ack
 *                 (µs per message), each best of `runs` rounds of `messages`, next to its floor
 *                 (native JSON.parse / JSON.stringify of the same frames) timed in this process
 *   mode "calls": a module instrumented by binaryen's `--log-execution` (its `log_execution`
 *                 calls by id) or with instruction counters (exported globals
 *                 `instructions_<function index>`), counted during a receive round and during
 *                 a send round, each send and each ack on its own
 *   mode "profile": jsc's sampling profiler (`startSamplingProfiler`, jsc started with
 *                 `--sampleInterval`) over `runs` receive rounds and `runs` send rounds: per
 *                 path the share of samples in each function (self), and in each wasm export
 *                 with what it calls (inclusive)
 */

const UID = 'alice';
const PEER = 'bob';
/** The first line of this file in the script run.mjs writes: the SDK's files come before it. */
const HARNESS_LINE = new Error().line;

function result(name, value) {
  print(`RESULT ${JSON.stringify({ name: name, value: value })}`);
}

function fail(message) {
  print(`FAIL ${message}`);
  throw new Error(message);
}

// ---- the event loop: macrotasks this script pumps, timers on a virtual clock ----

const macrotasks = [];
function later(fn, arg) {
  if (typeof fn === 'function') macrotasks.push([fn, arg]);
}

let now = 1700000000000;
const timers = new Map();
let nextTimer = 1;
Date.now = () => now;
// The runtime's globals the SDK uses are set on `globalThis`: the SDK's code reads them there.
globalThis.setTimeout = (fn, delay) => {
  const id = nextTimer++;
  timers.set(id, { at: now + Math.max(0, Number(delay) || 0), fn: fn });
  return id;
};
globalThis.clearTimeout = (id) => {
  timers.delete(id);
};
globalThis.setInterval = () => {
  fail('the SDK is not expected to use setInterval');
};
globalThis.clearInterval = (id) => {
  timers.delete(id);
};

/** Runs queued macrotasks and their microtasks until none is left. */
function pump() {
  drainMicrotasks();
  while (macrotasks.length > 0) {
    const task = macrotasks.shift();
    task[0](task[1]);
    drainMicrotasks();
  }
}

/** Moves the virtual clock forward, firing due timers in order. */
function advance(ms) {
  const end = now + ms;
  for (;;) {
    let due = null;
    timers.forEach((timer, id) => {
      if (timer.at <= end && (due === null || timer.at < due.timer.at)) due = { id: id, timer: timer };
    });
    if (due === null) break;
    timers.delete(due.id);
    now = Math.max(now, due.timer.at);
    due.timer.fn();
    pump();
  }
  now = end;
}

const logLines = [];
globalThis.console = {};
for (const level of ['log', 'debug', 'info', 'warn', 'error']) {
  globalThis.console[level] = (...parts) => {
    logLines.push(`${level} ${parts.join(' ')}`);
  };
}

// ---- the scripted server behind the SocketTask ----

const server = {
  socket: null,
  /** Frames the SDK wrote, handled by `serve()` (outside the timed parts). */
  written: [],
  logins: 0,
  acksReceived: new Set(),
  dataReceived: 0,
  /** Whether `serve()` acks QoS messages (the send benchmark acks each in its timed loop). */
  acksData: true,
};

function frame(type, dataContent, extra) {
  const p = { bridge: false, type: type, dataContent: dataContent, from: '0', to: UID, QoS: false, typeu: -1, sm: -1 };
  for (const key in extra) p[key] = extra[key];
  return JSON.stringify(p);
}

/** Hands a frame to the SDK now, as the runtime's socket would. */
function deliver(text) {
  const socket = server.socket;
  for (let i = 0; i < socket.handlers.message.length; i += 1) socket.handlers.message[i]({ data: text });
}

/** Answers what the SDK wrote: logins, keep-alives and QoS messages (with their acks). */
function serve() {
  const written = server.written.splice(0);
  for (let i = 0; i < written.length; i += 1) {
    const p = JSON.parse(written[i]);
    if (p.type === 0) {
      server.logins += 1;
      later(deliver, frame(50, JSON.stringify({ code: 0, firstLoginTime: 1 })));
    } else if (p.type === 1) {
      later(deliver, frame(51, '{}'));
    } else if (p.type === 2) {
      server.dataReceived += 1;
      if (p.QoS && server.acksData) later(deliver, frame(4, p.fp, { from: p.to }));
    } else if (p.type === 4) {
      server.acksReceived.add(p.dataContent);
    }
  }
}

function SocketTask(url) {
  this.url = url;
  this.handlers = { open: [], message: [], close: [], error: [] };
  this.open = true;
  server.socket = this;
  later(() => {
    for (let i = 0; i < this.handlers.open.length; i += 1) this.handlers.open[i]({ header: {} });
  });
}
SocketTask.prototype.onOpen = function (fn) {
  this.handlers.open.push(fn);
};
SocketTask.prototype.onMessage = function (fn) {
  this.handlers.message.push(fn);
};
SocketTask.prototype.onClose = function (fn) {
  this.handlers.close.push(fn);
};
SocketTask.prototype.onError = function (fn) {
  this.handlers.error.push(fn);
};
SocketTask.prototype.send = function (options) {
  if (!this.open) {
    later(options.fail, { errMsg: 'sendSocketMessage:fail WebSocket is not connected' });
    return;
  }
  server.written.push(options.data);
  later(options.success, { errMsg: 'sendSocketMessage:ok' });
  later(options.complete);
};
SocketTask.prototype.close = function (options) {
  this.open = false;
  later(options?.success, { errMsg: 'closeSocket:ok' });
  later(() => {
    for (let i = 0; i < this.handlers.close.length; i += 1) this.handlers.close[i]({ code: 1000, reason: '' });
  });
};

// ---- wx and WXWebAssembly ----

/**
 * The bytes `getRandomValues` hands out, drawn before the SDK loads: on a phone the API fills
 * them natively, so a fill here is a native copy too (an interpreted loop per byte cost 19 of
 * the 24 ms of a login, work no phone does).
 */
const RANDOM_BYTES = new Uint8Array(1 << 18);
let randomState = 0x9e3779b9;
for (let i = 0; i < RANDOM_BYTES.length; i += 1) {
  randomState ^= randomState << 13;
  randomState ^= randomState >>> 17;
  randomState ^= randomState << 5;
  RANDOM_BYTES[i] = randomState & 0xff;
}
let randomOffset = 0;

globalThis.wx = {
  connectSocket: (options) => new SocketTask(options.url),
  getRandomValues: (options) => {
    if (randomOffset + options.length > RANDOM_BYTES.length) randomOffset = 0;
    const bytes = RANDOM_BYTES.slice(randomOffset, randomOffset + options.length);
    randomOffset += options.length;
    later(options.success, { randomValues: bytes.buffer });
  },
  onAppShow: () => {},
  offAppShow: () => {},
  onAppHide: () => {},
  offAppHide: () => {},
  onNetworkStatusChange: () => {},
  offNetworkStatusChange: () => {},
  showModal: (options) => {
    logLines.push(`modal ${options.content}`);
  },
};

/** `log_execution` calls by id, in mode "calls". */
let executions = {};
/** The instance, in mode "calls", for its instruction counters. */
let instance = null;

globalThis.WXWebAssembly = {
  instantiate: (path, imports) => {
    if (path.charAt(0) !== '/') return Promise.reject(new Error(`not a path from the package root: ${path}`));
    const module = new WebAssembly.Module(read(IOS_ENGINE.wasmFile, 'binary'));
    // binaryen's `--log-execution` imports it from the glue's own module (named by a number,
    // scripts/build.mjs); the copy with instruction counters has no such import.
    const logged = WebAssembly.Module.imports(module).find((entry) => entry.name === 'log_execution');
    if (IOS_ENGINE.mode === 'calls' && logged) {
      imports[logged.module] = Object.assign({}, imports[logged.module], {
        log_execution: (id) => {
          executions[id] = (executions[id] || 0) + 1;
        },
      });
    }
    const made = new WebAssembly.Instance(module, imports);
    if (IOS_ENGINE.mode === 'calls') instance = made;
    return Promise.resolve(made);
  },
};

// ---- the SDK, required as a page would ----

const moduleCache = {};
function requireModule(path) {
  const cache = moduleCache;
  if (cache[path]) return cache[path].exports;
  const factory = IOS_ENGINE.modules[path];
  if (!factory) fail(`no module ${path}`);
  const module = { exports: {} };
  cache[path] = module;
  factory(module, module.exports, (name) => {
    const parts = path.split('/').slice(0, -1);
    const segments = name.split('/');
    for (let i = 0; i < segments.length; i += 1) {
      if (segments[i] === '..') parts.pop();
      else if (segments[i] !== '.') parts.push(segments[i]);
    }
    const target = parts.join('/');
    return requireModule(/\.js$/.test(target) ? target : `${target}.js`);
  });
  return module.exports;
}

const sdk = requireModule('miniprogram_npm/mobileimsdk-wasm/index.js');
const IMSDK = sdk.IMSDK;
/** What the app was told; the bench only counts (thousands of kept objects would cost it GC time). */
const outcome = {
  loggedIn: 0,
  data: [],
  dataCount: 0,
  received: [],
  receivedCount: 0,
  lost: 0,
  kicked: [],
  disconnected: 0,
};
const keepOutcomes = IOS_ENGINE.mode === 'test';
IMSDK.callback_onIMAfterLoginSucess = () => {
  outcome.loggedIn += 1;
};
IMSDK.callback_onIMAfterLoginFailed = (_isReconnect, code) => {
  fail(`login failed with ${code}: ${logLines.join(' | ')}`);
};
IMSDK.callback_onIMData = (p) => {
  outcome.dataCount += 1;
  if (keepOutcomes) outcome.data.push(p);
};
IMSDK.callback_onMessagesBeReceived = (fp) => {
  outcome.receivedCount += 1;
  if (keepOutcomes) outcome.received.push(fp);
};
IMSDK.callback_onMessagesLost = (list) => {
  outcome.lost += list.length;
};
IMSDK.callback_onIMKickout = (info) => {
  outcome.kicked.push(info.code);
};
IMSDK.callback_onIMDisconnected = () => {
  outcome.disconnected += 1;
};

/** Logs in; returns the milliseconds from `loginImpl` (wasm not loaded yet) to the callback. */
function login() {
  const started = preciseTime();
  if (IMSDK.loginImpl({ loginUserId: UID, loginToken: 'token' }, 'ws://127.0.0.1:1/websocket') !== 0) {
    fail('loginImpl refused');
  }
  for (let round = 0; round < 100 && outcome.loggedIn === 0; round += 1) {
    pump();
    serve();
  }
  if (outcome.loggedIn !== 1) fail(`not logged in: ${logLines.join(' | ')}`);
  return (preciseTime() - started) * 1000;
}

function dataFrame(n) {
  return JSON.stringify({
    bridge: false,
    type: 2,
    dataContent: JSON.stringify({ text: `message number ${n} from bob`, n: n, at: 1700000000000 + n }),
    from: PEER,
    to: UID,
    fp: `fp-${n.toString(16).padStart(8, '0')}-bob-4f1c8a2e`,
    QoS: true,
    typeu: 1,
    sm: 0,
  });
}

function message(n) {
  return sdk.MBProtocalFactory.createCommonData(
    JSON.stringify({ text: `message number ${n} to bob`, n: n }),
    UID,
    PEER,
    true,
  );
}

/** What the SDK writes and is answered, handled outside the timed parts. */
function settle() {
  for (let i = 0; i < 3; i += 1) {
    pump();
    serve();
  }
  pump();
}

/** Seconds `run()` takes. */
function timed(run) {
  const started = preciseTime();
  run();
  return preciseTime() - started;
}

/**
 * The best (shortest) round of the SDK and of its floor, in seconds, over `runs` rounds that
 * alternate between the two, so a slow stretch of the machine hits both: `sdk(round)` and
 * `floor(round)` do one round's work; what the SDK wrote is handled in between, untimed.
 */
function sideBySide(runs, sdk, floor) {
  const best = { sdk: Infinity, floor: Infinity };
  for (let round = 0; round < runs; round += 1) {
    best.sdk = Math.min(
      best.sdk,
      timed(() => {
        sdk(round);
      }),
    );
    settle();
    best.floor = Math.min(
      best.floor,
      timed(() => {
        floor(round);
      }),
    );
  }
  return best;
}

function receiveRound(frames) {
  for (let i = 0; i < frames.length; i += 1) deliver(frames[i]);
}

function sendRound(messages) {
  for (let i = 0; i < messages.length; i += 1) {
    if (IMSDK.sendData(messages[i]) !== 0) fail(`sendData refused message ${i}`);
    deliver(frame(4, messages[i].fp, { from: PEER }));
  }
}

function testMode() {
  login();
  const count = IOS_ENGINE.messages;
  const frames = [];
  for (let n = 0; n < count; n += 1) frames.push(dataFrame(n));
  receiveRound(frames);
  deliver(frames[0]);
  settle();
  let acked = 0;
  for (let i = 0; i < count; i += 1) if (server.acksReceived.has(JSON.parse(frames[i]).fp)) acked += 1;
  const sent = [];
  for (let m = 0; m < count; m += 1) {
    sent.push(message(m));
    if (IMSDK.sendData(sent[m]) !== 0) fail(`sendData refused message ${m}`);
  }
  settle();
  const inOrder = outcome.received.every((fp, k) => fp === sent[k].fp);
  deliver(frame(54, JSON.stringify({ code: 1 })));
  settle();
  result('test', {
    logins: server.logins,
    delivered: outcome.data.length,
    firstContent: outcome.data[0] && JSON.parse(outcome.data[0].dataContent).text,
    serverGotAcks: acked,
    serverGotMessages: server.dataReceived,
    acknowledged: outcome.received.length,
    acknowledgedInOrder: inOrder,
    lost: outcome.lost,
    kicked: outcome.kicked,
    disconnected: outcome.disconnected,
    state: IMSDK.getConnectionState(),
    textCodecs: `${typeof TextEncoder}/${typeof TextDecoder}`,
  });
}

function benchMode() {
  result('instantiate-and-login-ms', login());
  const count = IOS_ENGINE.messages;
  const runs = IOS_ENGINE.runs;
  const rounds = [];
  for (let r = 0; r < runs; r += 1) {
    const frames = [];
    for (let n = 0; n < count; n += 1) frames.push(dataFrame(r * count + n));
    rounds.push(frames);
  }
  let sink = 0;
  const receive = sideBySide(
    runs,
    (round) => {
      receiveRound(rounds[round]);
    },
    (round) => {
      const frames = rounds[round];
      for (let i = 0; i < frames.length; i += 1) sink += JSON.parse(JSON.parse(frames[i]).dataContent).n;
    },
  );
  if (outcome.dataCount !== runs * count) fail(`delivered ${outcome.dataCount} of ${runs * count}`);
  const sends = [];
  for (let s = 0; s < runs; s += 1) {
    const messages = [];
    for (let m = 0; m < count; m += 1) messages.push(message(s * count + m));
    sends.push(messages);
  }
  server.acksData = false;
  const send = sideBySide(
    runs,
    (round) => {
      sendRound(sends[round]);
    },
    (round) => {
      const messages = sends[round];
      for (let i = 0; i < messages.length; i += 1) sink += JSON.stringify(messages[i]).length;
    },
  );
  if (outcome.receivedCount !== runs * count) fail(`acknowledged ${outcome.receivedCount} of ${runs * count}`);
  if (sink === 0) fail('the floors did no work');
  result('receive-us-per-frame', (receive.sdk / count) * 1e6);
  result('receive-floor-us-per-frame', (receive.floor / count) * 1e6);
  result('send-us-per-message', (send.sdk / count) * 1e6);
  result('send-floor-us-per-message', (send.floor / count) * 1e6);
  if (IMSDK.getConnectionState() !== 'online') fail('the client went offline');
}

/** The instruction counters the instance exports, by function index (none without them). */
function instructionCounts() {
  const counts = {};
  for (const name of Object.keys(instance.exports)) {
    if (name.indexOf('instructions_') === 0) counts[name.slice(13)] = Number(instance.exports[name].value);
  }
  return counts;
}

/** The `log_execution` calls by id, and the instructions by `instructions <function>`, during `run()`. */
function executionsOf(run) {
  executions = {};
  const before = instructionCounts();
  run();
  const after = instructionCounts();
  for (const index of Object.keys(after)) {
    if (after[index] > before[index]) executions[`instructions ${index}`] = after[index] - before[index];
  }
  return executions;
}

/**
 * `executionsOf` over `count` rounds of `steps` (each called with the round's number), each
 * step's executions added up on its own: a send and its ack counted apart, in the bench's order.
 */
function executionsByStep(count, steps) {
  const buckets = steps.map(() => ({}));
  for (let round = 0; round < count; round += 1) {
    for (let s = 0; s < steps.length; s += 1) {
      const counted = executionsOf(() => steps[s](round));
      for (const key of Object.keys(counted)) buckets[s][key] = (buckets[s][key] || 0) + counted[key];
    }
  }
  return buckets;
}

function callsMode() {
  login();
  const count = IOS_ENGINE.messages;
  const frames = [];
  const messages = [];
  for (let n = 0; n < count; n += 1) {
    frames.push(dataFrame(n));
    messages.push(message(n));
  }
  result(
    'receive-executions',
    executionsOf(() => receiveRound(frames)),
  );
  settle();
  server.acksData = false;
  const perStep = executionsByStep(count, [
    (m) => {
      if (IMSDK.sendData(messages[m]) !== 0) fail(`sendData refused message ${m}`);
    },
    (m) => deliver(frame(4, messages[m].fp, { from: PEER })),
  ]);
  result('send-executions', perStep[0]);
  result('ack-executions', perStep[1]);
}

/**
 * What a sampled stack frame is, for mode "profile": a wasm function by its name (hashes cut), a
 * function of the SDK's JavaScript (minified: one row), of this harness by its name, or a native
 * function by its name.
 */
function frameName(frame) {
  const wasm = /wasm-function\[(.*)\]$/.exec(frame.name);
  if (wasm) return `wasm ${wasm[1].replace(/\[[0-9a-f]{16}\]/g, '')}`;
  if (frame.category === 'Unknown Executable') return `native ${frame.name}`;
  if (frame.line >= HARNESS_LINE) return `harness ${frame.name || '(anonymous)'}`;
  return 'SDK JavaScript';
}

/** Adds the profiler's samples since the last call to `tally`: each stack's top and every wasm export in it. */
function tallySamples(tally) {
  const traces = samplingProfilerStackTraces().traces;
  for (let t = 0; t < traces.length; t += 1) {
    const frames = traces[t].frames;
    if (frames.length === 0) continue;
    tally.samples += 1;
    const top = frameName(frames[0]);
    tally.self[top] = (tally.self[top] || 0) + 1;
    const exports = {};
    for (let f = 0; f < frames.length; f += 1) {
      const name = frameName(frames[f]);
      if (/^wasm imclient_/.test(name)) exports[name] = true;
    }
    for (const name of Object.keys(exports)) tally.inclusive[name] = (tally.inclusive[name] || 0) + 1;
  }
}

/** Samples `runs` rounds of `round(items)` into `tally`, each on `messages` new items `make(n)` makes. */
function sampledRounds(tally, make, round) {
  const count = IOS_ENGINE.messages;
  for (let r = 0; r < IOS_ENGINE.runs; r += 1) {
    const items = [];
    for (let n = 0; n < count; n += 1) items.push(make(r * count + n));
    samplingProfilerStackTraces(); // Drops the samples taken before.
    round(items);
    tallySamples(tally);
    settle();
  }
}

function profileMode() {
  login();
  const receive = { samples: 0, self: {}, inclusive: {} };
  const send = { samples: 0, self: {}, inclusive: {} };
  startSamplingProfiler();
  sampledRounds(receive, dataFrame, receiveRound);
  server.acksData = false;
  sampledRounds(send, message, sendRound);
  result('profile-receive', receive);
  result('profile-send', send);
}

if (IOS_ENGINE.mode === 'test') testMode();
else if (IOS_ENGINE.mode === 'calls') callsMode();
else if (IOS_ENGINE.mode === 'profile') profileMode();
else benchMode();
advance(0);
