/**
 * Security properties of the mini-program build (issue 7, part 4), in the mini-program runtime
 * (tests/js/support/miniprogram-env.mjs: no eval / new Function, no WebAssembly global):
 *
 *  * the login token never appears in any log line at any debug level, through login, reconnect,
 *    auth failure, kick-out and logout, nor when a server echoes it back in its frames;
 *  * server JSON with `__proto__` / `constructor` keys cannot change `Object.prototype` or any
 *    object the app receives or the SDK uses;
 *  * the shipped bundles never evaluate strings, and a whole session runs with code generation
 *    from strings switched off;
 *  * callbacks, listeners and sendData callbacks that all throw are isolated;
 *  * `destroy()` in every state leaves no timer, wx listener or socket behind.
 *
 * Covered elsewhere and not repeated here: the ws:// warning (facade.test.mjs "plain ws:// to a
 * non-loopback host warns…", miniprogram-session.test.mjs "plain ws:// to a remote host logs a
 * warning"), a single throwing callback (miniprogram-session.test.mjs, facade.test.mjs),
 * destroy() while online (miniprogram-session.test.mjs).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { browserDist, miniProgramDist, openMiniProgram, requireBuilt } from './support/builds.mjs';
import { startDevServer } from './support/devserver.mjs';
import { dataFrame, serverFrame, startHostileServer } from './support/hostile-server.mjs';
import { createRecorder, eventually } from './support/recorder.mjs';

const secret = (name) => `${name}-${randomBytes(12).toString('hex')}`;
const GOOD_TOKEN = secret('good-token');
const REJECTED_TOKEN = secret('rejected-token');
const URL_SECRET = secret('url-secret');
const SECRETS = [GOOD_TOKEN, REJECTED_TOKEN, URL_SECRET];

let server;
let hostile;
const runtimes = [];

before(async () => {
  [server, hostile] = await Promise.all([
    startDevServer(['--reject-token', `${REJECTED_TOKEN}=1025`]),
    startHostileServer(),
  ]);
});

after(async () => {
  for (const { env, IMSDK } of runtimes) {
    IMSDK.destroy();
    env.dispose();
  }
  await Promise.all([server?.stop(), hostile?.stop()]);
});

/**
 * A phone with every debug switch on and every log line collected: through
 * `callback_onIMLog` (`viaCallback`) or, without it, through the console.
 */
function phone({ viaCallback = true, recordFrames = true } = {}) {
  const runtime = openMiniProgram(undefined, { recordFrames });
  runtimes.push(runtime);
  const { IMSDK, env } = runtime;
  const events = createRecorder();
  /** @type {string[]} */
  const appLines = [];
  /** @type {string[]} */
  const eventLines = [];
  for (const name of [
    'callback_onIMAfterLoginSucess',
    'callback_onIMAfterLoginFailed',
    'callback_onIMReconnectSucess',
    'callback_onIMDisconnected',
    'callback_onIMKickout',
    'callback_onIMData',
    'callback_onIMPong',
    'callback_onMessagesBeReceived',
  ]) {
    IMSDK[name] = events.callback(name);
  }
  if (viaCallback) IMSDK.callback_onIMLog = (line) => appLines.push(String(line));
  IMSDK.on('log', ({ message }) => eventLines.push(String(message)));
  IMSDK.setDebugCoreEnable(true);
  IMSDK.setDebugSDKEnable(true);
  IMSDK.setDebugPingPongEnable(true);
  /** Everything logged: app callback, 'log' events, the runtime's console, alerts. */
  const everything = () => [
    ...appLines,
    ...eventLines,
    ...env.consoleLines.map((line) => line.text),
    ...env.modalCalls.map((call) => `${call.title} ${call.content}`),
  ];
  return { ...runtime, events, appLines, everything };
}

/** Fails if a secret appears in any of `lines`. */
function assertNoSecret(lines, where) {
  for (const line of lines) {
    for (const value of SECRETS) {
      assert.ok(!line.includes(value), `${where}: a log line contains a secret: ${line}`);
    }
  }
}

test('the token never appears in a log line: login, ping, messages, reconnect, kick-out, auth failure, logout', async () => {
  for (const viaCallback of [true, false]) {
    const uid = `secret-keeper-${viaCallback ? 'cb' : 'console'}`;
    const device = phone({ viaCallback });
    const { IMSDK, env, events, sdk } = device;
    assert.throws(() => env.run('eval("1")'), 'code generation from strings is off in this runtime');
    const url = `${server.url}?token=${URL_SECRET}`;

    assert.equal(IMSDK.loginImpl({ loginUserId: uid, loginToken: GOOD_TOKEN, extra: 'x' }, url), 0);
    await events.waitFor('callback_onIMAfterLoginSucess');
    env.showApp();
    await events.waitFor('callback_onIMPong');

    const peer = phone();
    peer.IMSDK.loginImpl({ loginUserId: `${uid}-peer`, loginToken: GOOD_TOKEN }, server.url);
    await peer.events.waitFor('callback_onIMAfterLoginSucess');
    await IMSDK.sendDataAsync(sdk.MBProtocalFactory.createCommonDataSimple('hello', uid, `${uid}-peer`));
    await peer.IMSDK.sendDataAsync(peer.sdk.MBProtocalFactory.createCommonDataSimple('hi', `${uid}-peer`, uid));
    await events.waitFor('callback_onIMData');

    env.killSockets();
    await events.waitFor('callback_onIMReconnectSucess');

    const kicker = phone();
    kicker.IMSDK.loginImpl({ loginUserId: uid, loginToken: GOOD_TOKEN }, url);
    await events.waitFor('callback_onIMKickout');
    await kicker.events.waitFor('callback_onIMAfterLoginSucess');
    kicker.IMSDK.disconnectSocket();

    IMSDK.loginImpl({ loginUserId: uid, loginToken: REJECTED_TOKEN }, url);
    const [, code] = await events.waitFor('callback_onIMAfterLoginFailed');
    assert.equal(code, 1025);

    IMSDK.loginImpl({ loginUserId: uid, loginToken: GOOD_TOKEN }, url);
    await events.waitFor('callback_onIMAfterLoginSucess', { count: 2 });
    IMSDK.sendData(sdk.MBProtocalFactory.createCommonDataSimple('left in flight', uid, 'nobody-online'));
    IMSDK.disconnectSocket();
    assert.equal(IMSDK.getConnectionState(), 'logged_out');
    IMSDK.destroy();
    await eventually(() => env.liveTimers() === 0, 'the destroyed SDK is quiet');

    const lines = device.everything();
    // The scan means something: the secrets were on the wire, and every step was logged.
    assert.ok(env.writtenFrames.some((frame) => frame.includes(GOOD_TOKEN)));
    assert.ok(env.writtenFrames.some((frame) => frame.includes(REJECTED_TOKEN)));
    assert.ok(env.openedUrls.some((opened) => opened.includes(URL_SECRET)));
    for (const expected of [
      'login as',
      'state: online',
      'ping sent',
      'pong received',
      'link lost',
      'kicked out with code 1',
      'login rejected with code 1025',
      'logout',
      'message(s) lost',
    ]) {
      assert.ok(
        lines.some((line) => line.includes(expected)),
        `${viaCallback ? 'callback' : 'console'}: nothing logged "${expected}"`,
      );
    }
    if (viaCallback) assert.ok(device.appLines.length > 20);
    else assert.ok(env.consoleLines.length > 20, 'without callback_onIMLog the lines go to the console');
    for (const other of [device, peer, kicker]) assertNoSecret(other.everything(), uid);
  }
});

test('a server that echoes the token back in its frames does not get it into a log line', async () => {
  const device = phone();
  const { IMSDK, events, env } = device;
  const connection = hostile.nextLogin('echoed');
  IMSDK.loginImpl({ loginUserId: 'echoed', loginToken: GOOD_TOKEN }, hostile.url);
  const { peer, login } = await connection;
  assert.ok(login.dataContent.includes(GOOD_TOKEN), 'the login frame carries the token');
  peer.replyLogin('echoed');
  await events.waitFor('callback_onIMAfterLoginSucess');
  for (const frame of [
    serverFrame(99, GOOD_TOKEN, 'echoed'),
    serverFrame(52, JSON.stringify({ errorCode: 500, errorMsg: login.dataContent }), 'echoed'),
    serverFrame(50, JSON.stringify({ code: GOOD_TOKEN }), 'echoed'),
    serverFrame(4, GOOD_TOKEN, 'echoed'),
    { type: GOOD_TOKEN, dataContent: GOOD_TOKEN },
    `{"type":2,"dataContent":"${GOOD_TOKEN}`,
    GOOD_TOKEN,
    { ...dataFrame(GOOD_TOKEN, 'echoed', GOOD_TOKEN, GOOD_TOKEN), typeu: GOOD_TOKEN },
    dataFrame('server', 'echoed', login.dataContent, `fp-${GOOD_TOKEN}`),
  ]) {
    peer.send(frame);
  }
  peer.sendBinary(Buffer.from(`\u00ff${GOOD_TOKEN}`, 'latin1'));
  peer.send(serverFrame(54, JSON.stringify({ code: 7, reason: GOOD_TOKEN }), 'echoed'));
  await events.waitFor('callback_onIMKickout');
  await eventually(() => device.appLines.filter((line) => line.includes('dropped inbound frame')).length >= 4, 'drops');
  assert.ok(events.all('callback_onIMData').length === 1, 'the echo of the login frame as data reaches the app');
  assertNoSecret(device.everything(), 'hostile echo');
  assert.deepEqual(env.traps(), []);
});

test('__proto__ and constructor keys from the server change no prototype and no object the app gets', async () => {
  const device = phone();
  const { IMSDK, events, env } = device;
  const connection = hostile.nextLogin('polluter');
  IMSDK.loginImpl({ loginUserId: 'polluter', loginToken: 't' }, hostile.url);
  const { peer } = await connection;
  const poison = '"__proto__":{"polluted":"yes","toString":"no"},"constructor":{"prototype":{"polluted":"yes"}}';
  peer.send(
    `{${poison},"bridge":false,"type":50,"dataContent":"{${poison.replaceAll('"', '\\"')},\\"code\\":0,\\"firstLoginTime\\":1700000000000}","from":"0","to":"polluter","QoS":false,"typeu":-1,"sm":-1}`,
  );
  await events.waitFor('callback_onIMAfterLoginSucess');
  peer.send(
    `{${poison},"bridge":false,"type":2,"dataContent":"{\\"__proto__\\":{\\"polluted\\":\\"yes\\"}}","from":"evil","to":"polluter","fp":"fp-1","QoS":true,"typeu":0,"sm":0}`,
  );
  peer.send(`{"type":2,"dataContent":"x","from":"evil","to":"polluter","__proto__":{"QoS":true,"fp":"fp-2"}}`);
  const [first] = await events.waitFor('callback_onIMData');
  const [second] = await events.waitFor('callback_onIMData', { count: 2 });
  const message = IMSDK.getLoginInfo();
  peer.send(serverFrame(54, `{${poison},"code":2,"reason":"r"}`, 'polluter'));
  const [kick] = await events.waitFor('callback_onIMKickout');

  const wireKeys = ['bridge', 'type', 'dataContent', 'from', 'to', 'fp', 'QoS', 'typeu', 'sm'];
  for (const [name, object] of [
    ['first message', first],
    ['second message', second],
  ]) {
    assert.ok(
      Object.keys(object).every((key) => wireKeys.includes(key)),
      `${name} has only wire keys: ${Object.keys(object)}`,
    );
    assert.equal(Object.hasOwn(object, '__proto__'), false);
    assert.equal(object.polluted, undefined);
    assert.equal(typeof object.toString, 'function');
    assert.equal(Object.getPrototypeOf(Object.getPrototypeOf(object)), null, `${name} is a plain object`);
  }
  assert.equal(first.dataContent, '{"__proto__":{"polluted":"yes"}}', 'the app payload is passed on as text');
  assert.equal(second.QoS, false, 'a __proto__ key does not supply fields');
  assert.equal(second.fp ?? null, null);
  assert.deepEqual({ ...kick }, { code: 2, reason: 'r' });
  assert.equal(kick.polluted, undefined);
  assert.equal(message.polluted, undefined);
  assert.equal(message.firstLoginTime, 1_700_000_000_000);
  for (const realm of [env.run('({})'), {}, env.run('Object.prototype'), Object.prototype]) {
    assert.equal(realm.polluted, undefined, 'Object.prototype is untouched');
  }
  assert.equal(env.run('typeof ({}).toString'), 'function');
  assert.deepEqual(env.traps(), []);
});

test('the shipped bundles never evaluate strings', () => {
  requireBuilt(miniProgramDist);
  requireBuilt(browserDist);
  const stringEvaluation = [
    [/\beval\s*\(/, 'eval('],
    [/\bnew\s+Function\b/, 'new Function'],
    [/(^|[^\w$.])Function\s*\(/, 'Function('],
    [/\bset(Timeout|Interval)\s*\(\s*['"`]/, 'setTimeout/setInterval with a string'],
    [/\.constructor\s*\(\s*['"`]/, '.constructor("…")'],
  ];
  for (const file of [join(miniProgramDist, 'index.js'), join(browserDist, 'index.js')]) {
    const code = readFileSync(file, 'utf8');
    for (const [pattern, name] of stringEvaluation) {
      assert.doesNotMatch(code, pattern, `${file} contains ${name}`);
    }
  }
});

test('callbacks, listeners and sendData callbacks that all throw do not stop the SDK', async () => {
  const device = phone({ viaCallback: false });
  const { IMSDK, env, sdk } = device;
  const reached = createRecorder();
  const throwing =
    (name) =>
    (...args) => {
      reached.push(name, ...args);
      throw new Error(`app bug in ${name}`);
    };
  for (const name of [
    'callback_onIMLog',
    'callback_onIMData',
    'callback_onIMAfterLoginSucess',
    'callback_onIMAfterLoginFailed',
    'callback_onIMReconnectSucess',
    'callback_onIMDisconnected',
    'callback_onIMPing',
    'callback_onIMPong',
    'callback_onIMShowAlert',
    'callback_onIMKickout',
    'callback_onMessagesLost',
    'callback_onMessagesBeReceived',
  ]) {
    IMSDK[name] = throwing(name);
  }
  for (const event of [
    'state',
    'loginSucceeded',
    'reconnected',
    'disconnected',
    'data',
    'ping',
    'pong',
    'received',
    'lost',
    'log',
  ]) {
    IMSDK.on(event, throwing(`on:${event}`));
  }
  IMSDK.loginImpl({ loginUserId: 'clumsy', loginToken: GOOD_TOKEN }, server.url);
  await reached.waitFor('callback_onIMAfterLoginSucess');
  const peer = phone();
  peer.IMSDK.loginImpl({ loginUserId: 'clumsy-peer' }, server.url);
  await peer.events.waitFor('callback_onIMAfterLoginSucess');

  const message = sdk.MBProtocalFactory.createCommonDataSimple('from a clumsy page', 'clumsy', 'clumsy-peer');
  IMSDK.sendData(message, throwing('fnSuccess'), throwing('fnFail'), throwing('fnComplete'));
  await reached.waitFor('fnSuccess');
  await reached.waitFor('fnComplete');
  await reached.waitFor('callback_onMessagesBeReceived');
  await reached.waitFor('on:received');
  await peer.events.waitFor('callback_onIMData');
  await peer.IMSDK.sendDataAsync(peer.sdk.MBProtocalFactory.createCommonDataSimple('back', 'clumsy-peer', 'clumsy'));
  await reached.waitFor('callback_onIMData');
  await reached.waitFor('on:data');
  env.showApp();
  await reached.waitFor('callback_onIMPong');
  env.killSockets();
  await reached.waitFor('callback_onIMDisconnected');
  await reached.waitFor('callback_onIMReconnectSucess');
  IMSDK.sendData(sdk.MBProtocalFactory.createCommonDataSimple('unacked', 'clumsy', 'nobody-online'));
  IMSDK.disconnectSocket();
  await reached.waitFor('callback_onMessagesLost');
  assert.equal(IMSDK.getConnectionState(), 'logged_out');

  const errors = env.consoleLines.filter((line) => line.level === 'error').map((line) => line.text);
  assert.ok(errors.some((line) => line.includes('callback_onIMLog threw')));
  assert.ok(errors.some((line) => line.includes('callback_onIMData threw')));
  assert.ok(errors.some((line) => line.includes('listener of "data" threw')));
  assert.ok(errors.some((line) => line.includes('listener of "log" threw')));
  assert.ok(errors.some((line) => line.includes('sendData fnSuccess threw')));
  assert.deepEqual(env.uncaughtErrors, [], 'nothing escaped into the runtime');
  assert.deepEqual(env.traps(), []);
});

test('destroy() in every state leaves no timer, wx listener or socket behind', async (t) => {
  const closedPort = await (async () => {
    const probe = await startDevServer();
    await probe.stop();
    return probe.url;
  })();
  const states = {
    'before the wasm is loaded': async ({ IMSDK }) => {
      IMSDK.loginImpl({ loginUserId: 'd1' }, server.url);
    },
    'while connecting to a server that never answers': async ({ IMSDK, events }) => {
      const connection = hostile.nextLogin('d2');
      IMSDK.loginImpl({ loginUserId: 'd2' }, hostile.url);
      await connection;
      assert.equal(IMSDK.getConnectionState(), 'logging_in');
      assert.equal(events.all('callback_onIMAfterLoginSucess').length, 0);
    },
    'while waiting to reconnect, with QoS messages queued': async ({ IMSDK, sdk, events }) => {
      IMSDK.on('state', events.callback('state'));
      IMSDK.loginImpl({ loginUserId: 'd3' }, closedPort);
      await events.waitFor('callback_onIMAfterLoginFailed');
      await events.waitFor('state', { count: 2, where: (state) => state === 'reconnecting' });
      assert.equal(IMSDK.getConnectionState(), 'reconnecting');
      IMSDK.sendData(sdk.MBProtocalFactory.createCommonDataSimple('queued', 'd3', 'x'));
    },
    'online, with a message in flight and every listener set': async ({ IMSDK, sdk, events }) => {
      IMSDK.on('state', () => {});
      IMSDK.on('data', () => {});
      IMSDK.loginImpl({ loginUserId: 'd4' }, server.url);
      await events.waitFor('callback_onIMAfterLoginSucess');
      IMSDK.sendData(sdk.MBProtocalFactory.createCommonDataSimple('in flight', 'd4', 'nobody-online'));
    },
    'from inside one of its own callbacks': async ({ IMSDK }) => {
      let destroyed = false;
      IMSDK.callback_onIMAfterLoginSucess = () => {
        IMSDK.destroy();
        destroyed = true;
      };
      IMSDK.loginImpl({ loginUserId: 'd5' }, server.url);
      await eventually(() => destroyed, 'destroyed by its login callback');
    },
  };
  for (const [name, reach] of Object.entries(states)) {
    await t.test(name, async () => {
      const device = phone();
      const { IMSDK, env } = device;
      await reach(device);
      IMSDK.destroy();
      await eventually(
        () => env.liveTimers() === 0 && env.liveSockets().length === 0,
        `no timer or socket left (${env.liveTimers()} timers, ${env.liveSockets().length} sockets)`,
      );
      assert.equal(env.liveListeners(), 0);
      assert.equal(IMSDK.getConnectionState(), 'idle');
      // Nothing comes back to life afterwards.
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(env.liveTimers(), 0);
      assert.equal(env.liveSockets().length, 0);
      assert.deepEqual(env.uncaughtErrors, []);
    });
  }
});
