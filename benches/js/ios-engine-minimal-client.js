/*
 * A lower bound for the iOS-engine benchmark (docs/performance.md, "Counted wasm instructions"):
 * what a minimal JavaScript client without the SDK's rules pays per received QoS frame (parse,
 * ack, a `Map` of seen fingerprints) and per send with its ack (`JSON.stringify`, a `Map` of
 * pending fingerprints), next to the same floors as tests/ios-engine/harness.js. No wasm, no
 * retransmits, no timers, no callbacks: a scale, not a client.
 *
 *   jsc --useJIT=false benches/js/ios-engine-minimal-client.js
 */

const UID = 'alice';
const PEER = 'bob';
const N = 2000;

function frame(type, dataContent, from) {
  return JSON.stringify({ bridge: false, type, dataContent, from, to: UID, fp: null, QoS: false, typeu: -1, sm: -1 });
}

function dataFrame(n) {
  const content = JSON.stringify({ text: `message number ${n} from bob`, n, at: 1700000000000 + n });
  const fp = `fp-${n.toString(16).padStart(8, '0')}-bob-4f1c8a2e`;
  return JSON.stringify({ bridge: false, type: 2, dataContent: content, from: PEER, to: UID, fp, QoS: true, typeu: 1 });
}

const written = [];
const pending = new Map();
const seen = new Map();
let received = 0;
let delivered = 0;

function write(text) {
  written.push(text);
  if (written.length > 64) written.length = 0;
}

function sendData(m) {
  if (m === null || typeof m !== 'object' || typeof m.to !== 'string' || typeof m.fp !== 'string') return 4;
  const text = JSON.stringify(m);
  if (text.length > 65536) return 206;
  write(text);
  if (m.QoS) pending.set(m.fp, m);
  return 0;
}

function onText(text) {
  const p = JSON.parse(text);
  if (p.type === 4) {
    if (pending.delete(p.dataContent)) received += 1;
    return;
  }
  if (p.type !== 2) return;
  if (p.QoS) {
    write(
      `{"bridge":false,"type":4,"dataContent":${JSON.stringify(p.fp)},"from":"${UID}","to":${JSON.stringify(p.from)},"fp":null,"QoS":false,"typeu":-1}`,
    );
    if (seen.has(p.fp)) return;
    seen.set(p.fp, 1);
  }
  delivered += 1;
}

function uuid(n) {
  return `6f1c2a3b-${(n & 0xffff).toString(16).padStart(4, '0')}-4a5b-9c8d-${n.toString(16).padStart(12, '0')}`;
}

const best = { receive: Infinity, receiveFloor: Infinity, send: Infinity, sendFloor: Infinity };
let sink = 0;
for (let round = 0; round < 5; round += 1) {
  const frames = [];
  const messages = [];
  for (let n = 0; n < N; n += 1) {
    frames.push(dataFrame(round * N + n));
    const content = JSON.stringify({ text: `message number ${n} to bob`, n });
    messages.push({
      bridge: false,
      type: 2,
      dataContent: content,
      from: UID,
      to: PEER,
      fp: uuid(round * N + n),
      QoS: true,
      typeu: -1,
    });
  }
  let started = preciseTime();
  for (let i = 0; i < N; i += 1) onText(frames[i]);
  best.receive = Math.min(best.receive, preciseTime() - started);
  started = preciseTime();
  for (let i = 0; i < N; i += 1) sink += JSON.parse(JSON.parse(frames[i]).dataContent).n;
  best.receiveFloor = Math.min(best.receiveFloor, preciseTime() - started);
  started = preciseTime();
  for (let i = 0; i < N; i += 1) {
    sendData(messages[i]);
    onText(frame(4, messages[i].fp, PEER));
  }
  best.send = Math.min(best.send, preciseTime() - started);
  started = preciseTime();
  for (let i = 0; i < N; i += 1) sink += JSON.stringify(messages[i]).length;
  best.sendFloor = Math.min(best.sendFloor, preciseTime() - started);
}
if (received !== 5 * N || delivered !== 5 * N || sink === 0) throw new Error('the minimal client did not do the work');
const us = (seconds) => ((seconds / N) * 1e6).toFixed(2);
print(`minimal-client receive=${us(best.receive)} us/frame ratio=${(best.receive / best.receiveFloor).toFixed(1)}`);
print(`minimal-client send=${us(best.send)} us/message ratio=${(best.send / best.sendFloor).toFixed(1)}`);
