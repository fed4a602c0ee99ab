/**
 * A hostile server (tests/js/support/hostile-server.mjs) against the mini-program build: it
 * answers the login and then misbehaves. For every case the SDK must stay responsive (state
 * readable, `sendData` answers with a code, a later good frame is still delivered or a reconnect
 * happens), the wasm instance must not trap, its memory must stay under WASM_MEMORY_BOUND, and
 * the case must be visible in the log lines or events.
 *
 * What the SDK can see (js-glue/src/facade.js and core-adapter.js, then src/core/inbound.rs):
 * frames over 1 MiB, invalid UTF-8, invalid JSON and wrong field types are dropped with an error
 * line "dropped inbound frame: …"; binary frames are read as UTF-8 JSON; unknown types give a
 * warning; acks for fps not in flight are ignored with a debug line.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { openMiniProgram } from './support/builds.mjs';
import { serverForFile } from './support/file-server.mjs';
import { dataFrame, serverFrame, startHostileServer, startSilentTcpServer } from './support/hostile-server.mjs';
import { createRecorder, eventually, MAIN_CALLBACKS } from './support/recorder.mjs';

/** Wasm linear memory one instance may have after any case (about 4.1 MiB once loaded: the heap reserve). */
const WASM_MEMORY_BOUND = 8 * 1024 * 1024;
const STATES = ['idle', 'connecting', 'logging_in', 'online', 'reconnecting', 'logged_out', 'kicked', 'auth_failed'];

const fixture = serverForFile(startHostileServer);
const { runtimes } = fixture;
let probes = 0;

/**
 * A phone logged in to the hostile server as `uid`, every callback and log line recorded.
 * @param {string} uid
 * @param {{answerLogin?: boolean, debug?: boolean, recordFrames?: boolean, countData?: boolean}} [options]
 *   `countData`: count deliveries instead of recording each (for floods)
 */
async function connect(uid, { answerLogin = true, debug = false, recordFrames = true, countData = false } = {}) {
  const runtime = openMiniProgram(undefined, { recordFrames });
  runtimes.push(runtime);
  const { IMSDK } = runtime;
  const events = createRecorder();
  /** @type {string[]} */
  const lines = [];
  const counts = { data: 0, received: 0 };
  for (const name of MAIN_CALLBACKS) IMSDK[name] = events.callback(name);
  if (countData) {
    IMSDK.callback_onIMData = (p) => {
      counts.data += 1;
      if (p.fp?.startsWith('probe-')) events.push('callback_onIMData', p);
    };
  }
  IMSDK.callback_onIMLog = (line) => lines.push(line);
  IMSDK.on('state', events.callback('state'));
  if (debug) IMSDK.setDebugCoreEnable(true);
  const connection = fixture.server.nextLogin(uid);
  assert.equal(IMSDK.loginImpl({ loginUserId: uid, loginToken: `token-of-${uid}` }, fixture.server.url), 0);
  const { peer, login } = await connection;
  if (answerLogin) {
    peer.replyLogin(uid);
    await events.waitFor('callback_onIMAfterLoginSucess');
  }
  return { ...runtime, events, lines, counts, peer, login, uid };
}

/** Resolves once a log line contains `text`. */
function logged(device, text, timeout) {
  return eventually(() => device.lines.some((line) => line.includes(text)), `a log line with "${text}"`, timeout);
}

/**
 * The SDK answers calls, its wasm has not trapped, its memory is bounded, and (when `viaPeer`
 * is given) a good frame from that connection is still delivered and acknowledged.
 */
async function assertResponsive(device, viaPeer = device.peer) {
  const { IMSDK, env, sdk, events, uid } = device;
  assert.ok(STATES.includes(IMSDK.getConnectionState()), `state ${IMSDK.getConnectionState()}`);
  const code = IMSDK.sendData(sdk.MBProtocalFactory.createCommonData('probe', uid, 'someone', false));
  assert.equal(typeof code, 'number');
  if (viaPeer) {
    probes += 1;
    const fp = `probe-${probes}`;
    viaPeer.send(dataFrame('someone', uid, 'a good frame', fp));
    await events.waitFor('callback_onIMData', { where: (p) => p.fp === fp });
    await viaPeer.next((frame) => frame.type === 4 && frame.dataContent === fp);
  }
  assert.deepEqual(env.traps(), [], 'the wasm instance trapped');
  assert.deepEqual(env.uncaughtErrors, [], 'an error escaped into the runtime');
  assert.ok(env.wasmMemoryBytes() <= WASM_MEMORY_BOUND, `wasm memory is ${env.wasmMemoryBytes()} bytes`);
  assert.ok(env.peakSocketsInUse() <= 1, 'more than one socket at once');
}

/** Ends a case: the runtime is torn down so its reconnects do not reach later cases. */
function retire(device) {
  device.IMSDK.destroy();
  device.env.dispose();
  runtimes.splice(runtimes.indexOf(device), 1);
}

test('frames of 2 MiB are dropped with an error line; memory stays bounded; the session goes on', async (t) => {
  const device = await connect('big-frames');
  const memoryBefore = device.env.wasmMemoryBytes();
  const huge = JSON.stringify(dataFrame('x', 'big-frames', 'y'.repeat(2 * 1024 * 1024), 'huge-fp'));
  for (let i = 0; i < 5; i += 1) device.peer.send(huge);
  device.peer.sendBinary(Buffer.from(huge));
  // Far larger ones must not reach wasm memory at all (it never shrinks): 4 Mi CJK characters
  // are 12 MiB of UTF-8, and a 16 MiB binary frame.
  device.peer.send('你'.repeat(4 * 1024 * 1024));
  device.peer.sendBinary(Buffer.alloc(16 * 1024 * 1024, 0x20));
  await eventually(
    () => device.lines.filter((line) => line.includes('exceeds the limit of 1048576 bytes')).length === 8,
    'eight "exceeds the limit" lines',
    20_000,
  );
  assert.ok(device.lines.some((line) => line.includes('dropped inbound frame: frame of 2097')));
  assert.equal(device.events.all('callback_onIMData').length, 0);
  assert.equal(device.IMSDK.getConnectionState(), 'online');
  t.diagnostic(`wasm memory ${device.env.wasmMemoryBytes()} bytes after the big frames (${memoryBefore} before)`);
  await assertResponsive(device);
  retire(device);
});

test('JSON nested 10 000 deep never overflows the stack: skipped where unknown, refused where typed', async () => {
  const device = await connect('deep-json');
  const { peer, events } = device;
  const depth = 10_000;
  const deepArray = `${'['.repeat(depth)}${']'.repeat(depth)}`;
  // Unknown keys are skipped without recursion (serde_json), whatever their depth: an object of
  // unknown keys only is a frame of type 0, one with a deep extra key is a normal message.
  peer.send(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
  await logged(device, 'ignored frame of unknown type 0');
  peer.send(`{"type":2,"dataContent":"deep extra","from":"a","to":"deep-json","extra":${deepArray}}`);
  const [p] = await events.waitFor('callback_onIMData');
  assert.equal(p.dataContent, 'deep extra');
  assert.equal(p.extra, undefined, 'unknown keys do not reach the app');
  // Deep values where the frame has typed fields, or no object at all: dropped.
  peer.send(`{"type":2,"dataContent":${deepArray},"from":"a","to":"deep-json"}`);
  peer.send(`{"type":${deepArray}}`);
  peer.send(deepArray);
  await eventually(
    () => device.lines.filter((line) => line.includes('dropped inbound frame: invalid JSON')).length === 3,
    'three dropped frames',
  );
  // A deep login reply payload is unreadable; a deep kick-out payload is still a kick-out (code
  // -1): the server said so.
  peer.send(serverFrame(50, `${'{"code":'.repeat(depth)}0${'}'.repeat(depth)}`, 'deep-json'));
  peer.send(serverFrame(54, `${'{"code":'.repeat(depth)}0${'}'.repeat(depth)}`, 'deep-json'));
  const [info] = await events.waitFor('callback_onIMKickout');
  assert.equal(info.code, -1);
  assert.equal(events.all('callback_onIMData').length, 1);
  await assertResponsive(device, null);
  retire(device);
});

test('invalid UTF-8: in a binary frame it is dropped; in a text frame the runtime fails the socket and the SDK reconnects', async () => {
  const device = await connect('bad-utf8');
  device.peer.sendBinary(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
  await logged(device, 'dropped inbound frame: frame is not valid UTF-8');
  assert.equal(device.IMSDK.getConnectionState(), 'online');
  await assertResponsive(device);

  const relogin = fixture.server.nextLogin('bad-utf8');
  device.peer.sendRawText(Buffer.from([0x7b, 0xc3, 0x28, 0x7d]));
  await device.events.waitFor('callback_onIMDisconnected');
  const { peer } = await relogin;
  peer.replyLogin('bad-utf8');
  await device.events.waitFor('callback_onIMReconnectSucess');
  await assertResponsive(device, peer);
  retire(device);
});

test('binary frames carrying JSON are read as UTF-8 text', async () => {
  const device = await connect('binary-frames');
  device.peer.sendBinary(Buffer.from(JSON.stringify(dataFrame('srv', 'binary-frames', 'héllo 你好', 'bin-1'))));
  const [p] = await device.events.waitFor('callback_onIMData');
  assert.equal(p.dataContent, 'héllo 你好');
  await device.peer.next((frame) => frame.type === 4 && frame.dataContent === 'bin-1');
  device.peer.sendBinary(new Uint8Array(0));
  await logged(device, 'dropped inbound frame: invalid JSON');
  await assertResponsive(device);
  retire(device);
});

test('wrong field types and non-object JSON are dropped with an error line each', async () => {
  const device = await connect('wrong-types');
  const bad = [
    '{"type":"2","dataContent":"x","from":"a","to":"b"}',
    '{"type":2,"dataContent":{"nested":"object"},"from":"a","to":"b"}',
    '{"type":2,"dataContent":"x","from":7,"to":"b"}',
    '{"type":2,"dataContent":"x","from":"a","to":"b","QoS":"yes","fp":"f"}',
    '{"type":2,"dataContent":"x","from":"a","to":"b","QoS":true,"fp":123}',
    '{"type":2.5,"dataContent":"x"}',
    '{"type":99999999999,"dataContent":"x"}',
    'null',
    '[]',
    '"a string"',
    '42',
    '',
    '{"type":2',
    'not json at all',
  ];
  for (const text of bad) device.peer.send(text);
  await eventually(
    () => device.lines.filter((line) => line.includes('dropped inbound frame')).length === bad.length,
    `${bad.length} dropped frames`,
  );
  assert.equal(device.events.all('callback_onIMData').length, 0);

  // Well-formed frames with content the client does not expect: logged, not fatal.
  device.peer.send(serverFrame(99, '{}', 'wrong-types'));
  await logged(device, 'ignored frame of unknown type 99');
  device.peer.send(serverFrame(52, '{"errorCode":"301"}', 'wrong-types'));
  device.peer.send(serverFrame(52, '{"errorCode":500,"errorMsg":"boom"}', 'wrong-types'));
  await eventually(
    () => device.lines.filter((line) => line.includes('server error frame')).length === 2,
    'two "server error frame" lines',
  );
  device.peer.send({ type: 2, dataContent: 'no fp', from: 'a', to: 'wrong-types', QoS: true });
  await logged(device, 'QoS frame without fp cannot be acked');
  assert.equal(device.IMSDK.getConnectionState(), 'online');
  await assertResponsive(device);
  retire(device);
});

test('10 000-character fps are acked and de-duplicated; acks with them are ignored', async () => {
  const device = await connect('long-fps', { debug: true });
  const longFp = 'f'.repeat(10_000);
  device.peer.send(dataFrame('srv', 'long-fps', 'long fp', longFp));
  device.peer.send(dataFrame('srv', 'long-fps', 'long fp', longFp));
  await device.peer.next((frame) => frame.type === 4 && frame.dataContent === longFp);
  await logged(device, 'duplicate frame acked, not delivered');
  assert.equal(device.events.all('callback_onIMData').length, 1);
  device.peer.send(serverFrame(4, 'a'.repeat(10_000), 'long-fps'));
  await logged(device, 'ack for an fp not in flight ignored');
  assert.equal(device.events.all('callback_onMessagesBeReceived').length, 0);
  await assertResponsive(device);
  retire(device);
});

test('a flood of acks for unknown fps changes nothing; a real ack acked three times fires once', async () => {
  const device = await connect('ack-flood', { debug: true, recordFrames: false });
  const { IMSDK, sdk, peer, events } = device;
  await peer.sendAll(
    Array.from({ length: 20_000 }, () => serverFrame(4, randomBytes(18).toString('base64'), 'ack-flood')),
  );
  await eventually(
    () => device.lines.filter((line) => line.includes('ack for an fp not in flight ignored')).length === 20_000,
    '20 000 ignored acks',
    30_000,
  );
  assert.equal(events.all('callback_onMessagesBeReceived').length, 0);

  const message = sdk.MBProtocalFactory.createCommonDataSimple('real', 'ack-flood', 'someone');
  assert.equal(IMSDK.sendData(message), 0);
  await peer.next((frame) => frame.type === 2 && frame.fp === message.fp);
  for (let i = 0; i < 3; i += 1) peer.send(serverFrame(4, message.fp, 'ack-flood', { from: 'someone' }));
  await events.waitFor('callback_onMessagesBeReceived');
  await eventually(
    () => device.lines.filter((line) => line.includes('ack for an fp not in flight ignored')).length === 20_002,
    'the two repeated acks ignored',
  );
  assert.equal(events.all('callback_onMessagesBeReceived').length, 1);
  await assertResponsive(device);
  retire(device);
});

test('100 000 distinct fps: each delivered once and acked, the de-dupe memory stays bounded', async (t) => {
  const device = await connect('fp-flood', { recordFrames: false, countData: true });
  const { peer, counts } = device;
  const total = 100_000;
  const memoryBefore = device.env.wasmMemoryBytes();
  await peer.sendAll(Array.from({ length: total }, (_, i) => dataFrame('srv', 'fp-flood', `m${i}`, `flood-${i}`)));
  await eventually(() => counts.data === total, `${total} deliveries`, 120_000);
  await eventually(() => peer.frames.filter((frame) => frame.type === 4).length === total, `${total} acks`, 60_000);
  // The newest 10 000 fps are remembered: a repeat of one is acked but not delivered again.
  peer.send(dataFrame('srv', 'fp-flood', 'repeat', `flood-${total - 1}`));
  await eventually(() => peer.frames.filter((frame) => frame.type === 4).length === total + 1, 'the repeat acked');
  assert.equal(counts.data, total);
  const memoryAfter = device.env.wasmMemoryBytes();
  t.diagnostic(`wasm memory ${memoryAfter} bytes after ${total} fps (${memoryBefore} before)`);
  assert.ok(memoryAfter - memoryBefore <= 2 * 1024 * 1024, `wasm memory grew from ${memoryBefore} to ${memoryAfter}`);
  await assertResponsive(device);
  retire(device);
});

test('repeated kick-outs: one callback, one disconnect, no reconnect; the next session is kicked once too', async () => {
  const device = await connect('kicked');
  const { peer, events, IMSDK } = device;
  for (let i = 0; i < 3; i += 1) peer.send(serverFrame(54, '{"code":1}', 'kicked'));
  await events.waitFor('callback_onIMKickout');
  await events.waitFor('callback_onIMDisconnected');
  await peer.closed;
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(events.all('callback_onIMKickout').length, 1);
  assert.equal(events.all('callback_onIMDisconnected').length, 1);
  assert.equal(IMSDK.getConnectionState(), 'kicked');
  assert.ok(device.lines.some((line) => line.includes('kicked out with code 1')));
  await assertResponsive(device, null);

  const again = fixture.server.nextLogin('kicked');
  IMSDK.loginImpl({ loginUserId: 'kicked', loginToken: 'token-of-kicked' }, fixture.server.url);
  const { peer: second } = await again;
  second.replyLogin('kicked');
  await events.waitFor('callback_onIMAfterLoginSucess', { count: 2 });
  second.send(serverFrame(54, '{"code":2,"reason":"admin"}', 'kicked'));
  second.send(serverFrame(54, '{"code":2,"reason":"admin"}', 'kicked'));
  const [info] = await events.waitFor('callback_onIMKickout', { count: 2 });
  assert.deepEqual({ ...info }, { code: 2, reason: 'admin' });
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(events.all('callback_onIMKickout').length, 2);
  const before = fixture.server.connections.length;
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(fixture.server.connections.length, before, 'no reconnect after a kick-out');
  retire(device);
});

test('login replies with unexpected codes: auth failure once and no retry; bad or repeated replies are ignored', async () => {
  const rejected = await connect('rejected', { answerLogin: false });
  rejected.peer.replyLogin('rejected', 1025);
  const [isReconnect, code] = await rejected.events.waitFor('callback_onIMAfterLoginFailed');
  assert.equal(isReconnect, false);
  assert.equal(code, 1025);
  assert.equal(rejected.IMSDK.getConnectionState(), 'auth_failed');
  assert.ok(rejected.lines.some((line) => line.includes('login rejected with code 1025')));
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(rejected.events.all('callback_onIMAfterLoginFailed').length, 1);
  assert.ok(fixture.server.connections.filter((peer) => peer.frames[0]?.from === 'rejected').length === 1, 'no retry');
  await assertResponsive(rejected, null);
  retire(rejected);

  const negative = await connect('negative-code', { answerLogin: false });
  negative.peer.replyLogin('negative-code', -1);
  const [, negativeCode] = await negative.events.waitFor('callback_onIMAfterLoginFailed');
  assert.equal(negativeCode, -1);
  assert.equal(negative.IMSDK.getConnectionState(), 'auth_failed');
  retire(negative);

  const confused = await connect('confused', { answerLogin: false });
  const { peer, events, IMSDK } = confused;
  peer.send(serverFrame(50, 'not json', 'confused'));
  peer.send(serverFrame(50, '{"code":"0"}', 'confused'));
  peer.send(serverFrame(50, null, 'confused'));
  await eventually(
    () => confused.lines.filter((line) => line.includes('unreadable login reply')).length === 3,
    'three unreadable login replies',
  );
  assert.equal(IMSDK.getConnectionState(), 'logging_in');
  peer.replyLogin('confused', 0);
  await events.waitFor('callback_onIMAfterLoginSucess');
  IMSDK.setDebugCoreEnable(true);
  peer.replyLogin('confused', 0);
  peer.replyLogin('confused', 1025);
  await eventually(
    () => confused.lines.filter((line) => line.includes('login reply outside a login ignored')).length === 2,
    'two late login replies ignored',
  );
  assert.equal(IMSDK.getConnectionState(), 'online');
  assert.equal(events.all('callback_onIMAfterLoginFailed').length, 0);
  await assertResponsive(confused);
  retire(confused);
});

test('a server that accepts the socket and never answers: the login times out once, then a new attempt', async () => {
  const silentTcp = await startSilentTcpServer();
  try {
    const [wsSilent, tcpSilent] = await Promise.all([
      (async () => {
        const device = await connect('never-answered', { answerLogin: false });
        const retry = fixture.server.nextLogin('never-answered', 15_000);
        const [isReconnect, code] = await device.events.waitFor('callback_onIMAfterLoginFailed', { timeout: 15_000 });
        assert.deepEqual([isReconnect, code], [false, 207]);
        assert.ok(device.lines.some((line) => line.includes('login attempt failed: login timed out')));
        await retry;
        return device;
      })(),
      (async () => {
        const runtime = openMiniProgram();
        runtimes.push(runtime);
        const events = createRecorder();
        /** @type {string[]} */
        const lines = [];
        runtime.IMSDK.callback_onIMLog = (line) => lines.push(line);
        runtime.IMSDK.callback_onIMAfterLoginFailed = events.callback('failed');
        runtime.IMSDK.loginImpl({ loginUserId: 'no-handshake' }, silentTcp.url);
        const [, code] = await events.waitFor('failed', { timeout: 15_000 });
        assert.equal(code, 207);
        await eventually(() => silentTcp.accepted() >= 2, 'a second attempt', 5_000);
        return { ...runtime, events, lines, uid: 'no-handshake' };
      })(),
    ]);
    for (const device of [wsSilent, tcpSilent]) {
      assert.equal(device.events.all(device === wsSilent ? 'callback_onIMAfterLoginFailed' : 'failed').length, 1);
      await assertResponsive(device, null);
      retire(device);
    }
  } finally {
    await silentTcp.stop();
  }
});

test('a server that closes every session right after the login does not get a reconnect storm', async (t) => {
  const device = await connect('flapping', { answerLogin: false });
  let logins = 0;
  const flap = async ({ peer }) => {
    logins += 1;
    peer.replyLogin('flapping');
    setTimeout(() => peer.close(), 20);
  };
  await flap({ peer: device.peer });
  const started = Date.now();
  const serve = async () => {
    while (Date.now() - started < 5_000) {
      try {
        await flap(await fixture.server.nextLogin('flapping', 6_000 - (Date.now() - started)));
      } catch {
        return;
      }
    }
  };
  await serve();
  // Each relogin succeeds and the link drops at once: the backoff must not be reset by a login
  // that did not last, or the SDK reconnects in a tight loop.
  t.diagnostic(`${logins} logins in 5 s`);
  assert.ok(logins <= 6, `${logins} logins in 5 s`);
  assert.ok(device.events.all('callback_onIMDisconnected').length >= 1);
  assert.ok(device.lines.some((line) => line.includes('link lost: socket closed')));
  await assertResponsive(device, null);
  retire(device);
});
