/**
 * Message fields cross the wasm boundary intact, in the mini-program build (MVP wasm, the
 * runtime's text codec), against a scripted server that shows the exact frames:
 *
 *  * `sendData` hands the core each field separately (js-glue/src/core-adapter.js: the four text
 *    fields are written into the core's text buffer as one string cut by JS string lengths), so
 *    every field, in any script and with surrogate pairs, must reach the wire unchanged, however
 *    long, and a wrong type must be refused;
 *  * inbound frames are parsed in JS and handed over the same way, and the app gets the parsed
 *    object's wire fields, with the core's defaults for the absent ones.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openMiniProgram } from './support/builds.mjs';
import { serverForFile } from './support/file-server.mjs';
import { serverFrame, startHostileServer } from './support/hostile-server.mjs';
import { countMathRandom } from './support/miniprogram-env.mjs';
import { createRecorder } from './support/recorder.mjs';

const fixture = serverForFile(startHostileServer);
const { runtimes } = fixture;

/** A mini-program logged in as `uid` to the scripted server, and that server's connection. */
async function online(uid) {
  const runtime = openMiniProgram();
  runtimes.push(runtime);
  const { IMSDK, env } = runtime;
  const events = createRecorder();
  for (const name of ['callback_onIMAfterLoginSucess', 'callback_onIMData']) IMSDK[name] = events.callback(name);
  const connection = fixture.server.nextLogin(uid);
  assert.equal(IMSDK.loginImpl({ loginUserId: uid, loginToken: 't' }, fixture.server.url), 0);
  const { peer } = await connection;
  peer.replyLogin(uid);
  await events.waitFor('callback_onIMAfterLoginSucess');
  return { IMSDK, env, events, peer };
}

test('every text field reaches the wire unchanged, in any script and with surrogate pairs', async () => {
  const { IMSDK, peer } = await online('ünï 用户');
  const message = {
    bridge: false,
    type: 2,
    dataContent: '你好，世界 😀👍🏽 𝄞 café "quoted" \\ back\nline',
    from: '',
    to: 'bób 👩‍💻',
    fp: 'fp-ü-😀-1',
    QoS: true,
    typeu: 7,
  };
  assert.equal(IMSDK.sendData(message), 0);
  const frame = await peer.next((f) => f.type === 2);
  assert.deepEqual(
    { ...frame },
    { ...message, from: 'ünï 用户', fp: 'fp-ü-😀-1' },
    'an empty from is the logged-in user; nothing else changes',
  );

  assert.equal(IMSDK.sendData({ type: 2, dataContent: '', to: '😀', QoS: true }), 0);
  const defaults = await peer.next((f) => f.type === 2 && f.to === '😀');
  assert.equal(defaults.dataContent, '');
  assert.equal(defaults.from, 'ünï 用户', 'an absent from is the logged-in user');
  assert.equal(defaults.bridge, false);
  assert.equal(defaults.typeu, -1);
  assert.match(defaults.fp, /^[0-9a-f-]{36}$/, 'a QoS message without fp gets one');

  assert.equal(IMSDK.sendData({ type: 2, dataContent: null, to: 'x', fp: null }), 0);
  const nulls = await peer.next((f) => f.type === 2 && f.to === 'x');
  assert.equal(nulls.dataContent, null);
  assert.equal(nulls.fp, null);
  assert.equal(nulls.QoS, false);
});

test('texts longer than the text buffer and fingerprints read back while the memory grows are intact', async () => {
  const { IMSDK, env, peer } = await online('long');
  // Past the 4 096-byte buffer: ASCII in one write, CJK only after the first write runs out.
  const long = { ascii: 'a'.repeat(9_000), cjk: `${'漢字'.repeat(2_000)}😀` };
  for (const [to, dataContent] of Object.entries(long)) {
    assert.equal(IMSDK.sendData({ type: 2, dataContent, to, QoS: true }), 0);
    const frame = await peer.next((f) => f.type === 2 && f.to === to);
    assert.equal(frame.dataContent, dataContent, to);
  }
  // Unacknowledged messages grow the wasm memory, which detaches the glue's view of the buffer
  // (between calls, and during a call, before the generated fingerprint is read back): the core
  // keeps each pending message's fingerprint (the glue keeps its text), and every 50th here
  // brings one of 32 KiB, 120 of them past the heap the module reserves at start for ordinary
  // use (src/wasm/heap.rs). The 6 000 take the core past its first pool of random bytes (4 096
  // fingerprints), which it refills from the host's pool of `wx.getRandomValues` bytes, never
  // from `Math.random()`.
  countMathRandom(env);
  const memoryBefore = env.wasmMemoryBytes();
  const longFingerprint = 'f'.repeat(32 * 1024);
  const messages = Array.from({ length: 6_000 }, (_, n) => ({
    type: 2,
    dataContent: `m${n}`,
    to: 'many',
    QoS: true,
    fp: n % 50 === 49 ? `${n}${longFingerprint}` : null,
  }));
  for (const message of messages) assert.equal(IMSDK.sendData(message), 0);
  await peer.next((f) => f.type === 2 && f.dataContent === messages[messages.length - 1].dataContent);
  assert.ok(env.wasmMemoryBytes() > memoryBefore, 'the memory grew');
  const written = peer.frames.filter((f) => f.type === 2 && f.to === 'many');
  assert.deepEqual(
    written.map((f) => f.fp),
    messages.map((m) => m.fp),
    'each message got the fingerprint of its frame',
  );
  assert.equal(new Set(written.map((f) => f.fp)).size, messages.length);
  assert.equal(env.run('mathRandomCalls'), 0, 'the random bytes came from wx.getRandomValues');
});

test('a field of the wrong type is refused with code 4 and nothing is written', async () => {
  const { IMSDK, peer } = await online('strict');
  const good = { type: 2, dataContent: 'ok', from: 'strict', to: 'peer', QoS: false, typeu: 0 };
  const bad = [
    { type: '2' },
    { type: 2.5 },
    { type: 2 ** 31 },
    { type: null },
    { typeu: Number.NaN },
    { typeu: 1n },
    { QoS: 'yes' },
    { bridge: 1 },
    { dataContent: 5 },
    { from: {} },
    { to: ['peer'] },
    { fp: 7 },
  ];
  for (const change of bad) {
    const outcome = [];
    const code = IMSDK.sendData(
      { ...good, ...change },
      () => outcome.push('success'),
      (err) => outcome.push(err.errCode),
    );
    assert.equal(code, 4, `refused: ${Object.keys(change)[0]}`);
    assert.deepEqual(outcome, [4]);
  }
  const throwing = {
    ...good,
    get dataContent() {
      throw new Error('a getter that throws');
    },
  };
  assert.equal(IMSDK.sendData(throwing), 4, 'a throwing getter is a refusal, not an exception');
  assert.equal(IMSDK.sendData({ ...good, dataContent: 'the last one' }), 0);
  const frame = await peer.next((f) => f.type === 2);
  assert.equal(frame.dataContent, 'the last one', 'no refused message was written before it');
});

test('lone surrogates at a field boundary cannot merge two fields', async () => {
  const { IMSDK, peer } = await online('surrogates');
  assert.equal(IMSDK.sendData({ type: 2, dataContent: 'x\ud83d', to: '\ude00y', QoS: false }), 0);
  const frame = await peer.next((f) => f.type === 2);
  // The glue writes the frame with `JSON.stringify`, which (ES2019) escapes a lone surrogate
  // rather than pairing it or replacing it (docs/client-behaviour.md §11).
  assert.equal(frame.dataContent, 'x\ud83d');
  assert.equal(frame.to, '\ude00y');
});

test('ASCII fields, and fields with one non-ASCII character at any place, reach the core intact', async () => {
  // The core cuts ASCII texts by arithmetic and others by their characters (src/wasm/texts.rs),
  // telling them apart eight bytes at a time: an ack matches its message only if the core cut
  // the fp exactly, after a `to` of any length with 'é' anywhere in it.
  const { IMSDK, events, peer } = await online('cutter');
  IMSDK.callback_onMessagesBeReceived = events.callback('callback_onMessagesBeReceived');
  const withAccent = (text, at) => `${text.slice(0, at)}é${text.slice(at)}`;
  const messages = [];
  for (let at = 0; at <= 17; at += 1) {
    const ascii = 'peer-0123456789abcd'.slice(0, at + 1);
    messages.push({ to: ascii, fp: `fp-${at}-0123456789abcdef` });
    messages.push({ to: withAccent(ascii, at), fp: `fp-${at}-after-accent` });
    messages.push({ to: 'peer', fp: withAccent(`fp-${at}-0123456789abcdef`, at) });
  }
  for (const { to, fp } of messages) {
    assert.equal(IMSDK.sendData({ type: 2, dataContent: 'x', to, fp, QoS: true }), 0, fp);
    await peer.next((f) => f.type === 2 && f.fp === fp);
    peer.send(serverFrame(4, fp, 'cutter'));
  }
  await events.waitFor('callback_onMessagesBeReceived', { count: messages.length });
  assert.deepEqual(
    events.all('callback_onMessagesBeReceived').map(([fp]) => fp),
    messages.map((m) => m.fp),
  );
});

test('an inbound message reaches the app with exactly the wire fields and the core defaults', async () => {
  const { events, peer } = await online('reader');
  peer.send(
    '{"type":2,"extra":{"nested":[1,2]},"dataContent":"你好 😀 \\"q\\"","from":"srv","to":"reader","typeu":3,"sm":5}',
  );
  const [message] = await events.waitFor('callback_onIMData');
  assert.deepEqual(
    { ...message },
    { bridge: false, type: 2, dataContent: '你好 😀 "q"', from: 'srv', to: 'reader', fp: null, QoS: false, typeu: 3 },
  );
  peer.send('{"type":2,"dataContent":"second","to":"reader","from":"a","from":"b"}');
  const [last] = await events.waitFor('callback_onIMData', { count: 2 });
  assert.equal(last.from, 'b', 'a repeated key counts once, the last, as the core read it');
  assert.equal(last.typeu, -1);
});
