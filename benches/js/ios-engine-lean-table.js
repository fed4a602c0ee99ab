/*
 * The floor of a wasm-held QoS table in the iOS engine (docs/performance.md, "The floor of a
 * wasm-held QoS table"): benches/lean-table's module (a drawn fingerprint, a pending table and a
 * seen set, nothing else) behind the least glue a mini-program client needs (the decoder's type
 * checks, the frame's text, a WeChat-style write, the app's copy and callbacks), on the same
 * messages, frames and floors as tests/ios-engine/harness.js. A scale, not a client: no
 * events, write results, resends, losses or limits. ios-engine-lean-table.mjs prepends
 * `var LEAN_WASM = <path>` and runs it in `jsc --useJIT=false`.
 */

const UID = 'alice';
const PEER = 'bob';
const N = 2000;
const wasm = new WebAssembly.Instance(new WebAssembly.Module(read(LEAN_WASM, 'binary')), {}).exports;
const textAddress = wasm.text(); // Makes the tables: the memory grows before the view is taken.
const text = new Uint8Array(wasm.memory.buffer, textAddress, 64);

const isText = (v) => v == null || typeof v === 'string';
const isInt32 = (v) => v === undefined || (typeof v === 'number' && (v | 0) === v);
function isWireFrame(m) {
  if (m === null || Object(m) !== m || Array.isArray(m)) return false;
  return (
    (m.bridge === undefined || typeof m.bridge === 'boolean') &&
    (m.QoS === undefined || typeof m.QoS === 'boolean') &&
    isInt32(m.type) &&
    isInt32(m.typeu) &&
    isText(m.dataContent) &&
    isText(m.from) &&
    isText(m.to) &&
    isText(m.fp)
  );
}

/** Writes an ASCII `s` into the text buffer; its length. */
function writeText(s) {
  const length = s.length;
  for (let i = 0; i < length; i += 1) text[i] = s.charCodeAt(i);
  return length;
}

const fp36 = (b) =>
  // biome-ignore format: the 36 arguments in four rows
  String.fromCharCode(
    b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8],
    b[9], b[10], b[11], b[12], b[13], b[14], b[15], b[16], b[17],
    b[18], b[19], b[20], b[21], b[22], b[23], b[24], b[25], b[26],
    b[27], b[28], b[29], b[30], b[31], b[32], b[33], b[34], b[35],
  );

// A SocketTask whose callbacks are left for later, as WeChat calls them.
const written = [];
const task = {
  send(options) {
    written.push(options.data);
    if (written.length > 64) written.length = 0;
  },
};
const wrote = () => {};
const ackCallbacks = { success: wrote, fail: wrote };
const records = [];
let received = 0;
let delivered = 0;
const app = {
  onReceived: () => {
    received += 1;
  },
  onMessage: () => {
    delivered += 1;
  },
};

function sendData(m) {
  if (!isWireFrame(m) || typeof m.to !== 'string' || m.to === '') return 4;
  const contentJson = JSON.stringify(m.dataContent ?? null);
  const sendId = wasm.send();
  const fp = fp36(text);
  m.fp = fp;
  const frameText =
    '{"bridge":' +
    (m.bridge === true) +
    ',"type":' +
    (m.type ?? 0) +
    ',"dataContent":' +
    contentJson +
    ',"from":' +
    JSON.stringify(m.from) +
    ',"to":' +
    JSON.stringify(m.to) +
    ',"fp":' +
    JSON.stringify(fp) +
    ',"QoS":' +
    (m.QoS === true) +
    ',"typeu":' +
    (m.typeu ?? -1) +
    '}';
  records[sendId] = { message: m, fp };
  task.send({ data: frameText, success: () => wrote(0), fail: () => wrote(3) });
  return 0;
}

function onText(frameText) {
  const p = JSON.parse(frameText);
  if (!isWireFrame(p)) return;
  if (p.type === 4 && p.QoS !== true && typeof p.dataContent === 'string') {
    const sendId = wasm.ack(writeText(p.dataContent));
    if (sendId === 0) return;
    const record = records[sendId];
    records[sendId] = undefined;
    app.onReceived(record.fp);
    return;
  }
  if (p.type !== 2 || typeof p.fp !== 'string') return;
  if (p.QoS === true) {
    const ack =
      '{"bridge":' +
      (p.bridge === true) +
      ',"type":4,"dataContent":' +
      JSON.stringify(p.fp) +
      ',"from":"' +
      UID +
      '","to":' +
      JSON.stringify(p.from ?? '-1') +
      ',"fp":null,"QoS":false,"typeu":-1}';
    task.send({ data: ack, success: ackCallbacks.success, fail: ackCallbacks.fail });
    if (wasm.seen(writeText(p.fp)) === 1) return;
  }
  // biome-ignore format: the wire fields in two rows
  app.onMessage({
    bridge: p.bridge ?? false, type: p.type ?? 0, dataContent: p.dataContent ?? null, from: p.from ?? '-1',
    to: p.to ?? '-1', fp: p.fp ?? null, QoS: p.QoS ?? false, typeu: p.typeu ?? -1,
  });
}

function frame(type, dataContent, extra) {
  const p = { bridge: false, type: type, dataContent: dataContent, from: '0', to: UID, QoS: false, typeu: -1, sm: -1 };
  for (const key in extra) p[key] = extra[key];
  return JSON.stringify(p);
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
  const content = JSON.stringify({ text: `message number ${n} to bob`, n: n });
  return { bridge: false, type: 2, dataContent: content, from: UID, to: PEER, fp: null, QoS: true, typeu: -1 };
}

const best = { receive: Infinity, receiveFloor: Infinity, send: Infinity, sendFloor: Infinity };
let sink = 0;
for (let round = 0; round < 5; round += 1) {
  const frames = [];
  const messages = [];
  for (let n = 0; n < N; n += 1) {
    frames.push(dataFrame(round * N + n));
    messages.push(message(round * N + n));
  }
  let started = preciseTime();
  for (let i = 0; i < N; i += 1) onText(frames[i]);
  best.receive = Math.min(best.receive, preciseTime() - started);
  started = preciseTime();
  for (let i = 0; i < N; i += 1) sink += JSON.parse(JSON.parse(frames[i]).dataContent).n;
  best.receiveFloor = Math.min(best.receiveFloor, preciseTime() - started);
  started = preciseTime();
  for (let i = 0; i < N; i += 1) {
    if (sendData(messages[i]) !== 0) throw new Error(`message ${i} refused`);
    onText(frame(4, messages[i].fp, { from: PEER }));
  }
  best.send = Math.min(best.send, preciseTime() - started);
  started = preciseTime();
  for (let i = 0; i < N; i += 1) sink += JSON.stringify(messages[i]).length;
  best.sendFloor = Math.min(best.sendFloor, preciseTime() - started);
}
if (received !== 5 * N || delivered !== 5 * N || sink === 0) throw new Error('the scale did not do the work');
const us = (seconds) => ((seconds / N) * 1e6).toFixed(2);
print(`lean-table receive=${us(best.receive)} us/frame ratio=${(best.receive / best.receiveFloor).toFixed(1)}`);
print(`lean-table send=${us(best.send)} us/message ratio=${(best.send / best.sendFloor).toFixed(1)}`);
