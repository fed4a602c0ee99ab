/**
 * End-to-end flows for the real wasm in a browser: the stock `IMSDK` facade and the browser
 * WebSocket transport from js-glue, driving an `ImClient` made by the Rust test, against the
 * devserver on loopback. Each flow resolves when it saw what a user expects, or rejects.
 */
import { createCompanions, MBSenseMode } from '../../js-glue/src/companions.js';
import { coreFactory } from '../../js-glue/src/core-adapter.js';
import { createIMSDK } from '../../js-glue/src/facade.js';
import { createBrowserHost } from '../../js-glue/src/host-browser.js';
import { createWebSocketTransport } from '../../js-glue/src/transport-browser.js';

const WAIT_MS = 8000;

/**
 * One SDK instance over the browser transport.
 * @param {Function} createRaw `(host) => new ImClient(host)`
 * @param {WebAssembly.Memory} memory the wasm memory
 */
function newClient(createRaw, memory) {
  const host = createBrowserHost();
  const IMSDK = createIMSDK({
    loadCore: () => Promise.resolve(coreFactory(createRaw, memory)),
    transport: createWebSocketTransport(),
    host,
  });
  const companions = createCompanions(IMSDK, host);
  const seen = [];
  for (const name of [
    'callback_onIMAfterLoginSucess',
    'callback_onIMAfterLoginFailed',
    'callback_onIMReconnectSucess',
    'callback_onIMDisconnected',
    'callback_onIMKickout',
    'callback_onIMData',
    'callback_onMessagesBeReceived',
    'callback_onMessagesLost',
    'callback_onIMShowAlert',
  ]) {
    IMSDK[name] = (...args) => seen.push({ name, args });
  }
  /**
   * Resolves with the arguments of the first `name` callback after index `from`.
   * @param {string} name
   * @param {(args: unknown[]) => boolean} [match]
   */
  const next = (name, match = () => true) =>
    new Promise((resolve, reject) => {
      const deadline = Date.now() + WAIT_MS;
      const poll = () => {
        const hit = seen.find((entry) => entry.name === name && match(entry.args));
        if (hit) return resolve(hit.args);
        if (Date.now() > deadline) return reject(new Error(`no ${name} within ${WAIT_MS} ms`));
        setTimeout(poll, 10);
      };
      poll();
    });
  const count = (name) => seen.filter((entry) => entry.name === name).length;
  return { IMSDK, ...companions, next, count };
}

/** @param {boolean} condition @param {string} what */
function check(condition, what) {
  if (!condition) throw new Error(`expected ${what}`);
}

/**
 * Alice and bob log in; QoS messages go both ways, each acknowledged to its sender and
 * delivered once to its receiver.
 */
export async function twoUsersExchangeQosMessages(factory, memory, url) {
  const alice = newClient(factory, memory);
  const bob = newClient(factory, memory);
  alice.IMSDK.loginImpl({ loginUserId: 'alice', loginToken: 'token-a' }, url);
  bob.IMSDK.loginImpl({ loginUserId: 'bob', loginToken: 'token-b' }, url);
  await Promise.all([alice.next('callback_onIMAfterLoginSucess'), bob.next('callback_onIMAfterLoginSucess')]);
  check(alice.IMSDK.getConnectionState() === 'online', 'alice online');

  const toBob = alice.MBProtocalFactory.createCommonData('hello bob', 'alice', 'bob', true);
  const { fp: fpToBob } = await alice.IMSDK.sendDataAsync(toBob);
  const [atBob] = await bob.next('callback_onIMData', ([p]) => p.fp === fpToBob);
  check(atBob.dataContent === 'hello bob' && atBob.from === 'alice', 'bob to get alice’s text');

  const toAlice = bob.MBProtocalFactory.createCommonData('hi alice', 'bob', 'alice', true);
  const { fp: fpToAlice } = await bob.IMSDK.sendDataAsync(toAlice);
  const [atAlice] = await alice.next('callback_onIMData', ([p]) => p.fp === fpToAlice);
  check(atAlice.dataContent === 'hi alice', 'alice to get bob’s text');
  const [acked] = await bob.next('callback_onMessagesBeReceived', ([fp]) => fp === fpToAlice);
  check(acked === fpToAlice, 'bob to see his message acknowledged');

  check(bob.count('callback_onIMData') === 1 && alice.count('callback_onIMData') === 1, 'one delivery each');
  check(alice.count('callback_onMessagesLost') === 0, 'nothing lost');
  alice.IMSDK.disconnectSocket();
  bob.IMSDK.disconnectSocket();
}

/**
 * A server that closes idle sockets drops alice (she pings only every 10 s); the SDK logs in
 * again by itself and a QoS message sent afterwards is acknowledged.
 */
export async function reconnectsAfterTheServerDropsTheSocket(factory, memory, idleClosingUrl) {
  const alice = newClient(factory, memory);
  alice.MBKeepAliveDaemon.setSenseMode(MBSenseMode.MODE_10S);
  alice.IMSDK.loginImpl({ loginUserId: 'alice-r', loginToken: 't' }, idleClosingUrl);
  await alice.next('callback_onIMAfterLoginSucess');
  await alice.next('callback_onIMDisconnected');
  await alice.next('callback_onIMReconnectSucess');
  check(alice.IMSDK.isOnline(), 'online again');
  const toServer = alice.MBProtocalFactory.createCommonData('after reconnect', 'alice-r', '0', true);
  await alice.IMSDK.sendDataAsync(toServer);
  check(alice.count('callback_onIMAfterLoginFailed') === 0, 'no login failure reported');
  alice.IMSDK.disconnectSocket();
}

/**
 * A second login of the same user elsewhere kicks the first session out for good: the kick-out
 * callback gets code 1, the state is `kicked`, and the new session stays online.
 */
export async function aDuplicateLoginKicksTheFirstSessionOut(factory, memory, url) {
  const first = newClient(factory, memory);
  const second = newClient(factory, memory);
  first.IMSDK.loginImpl({ loginUserId: 'carol', loginToken: 't' }, url);
  await first.next('callback_onIMAfterLoginSucess');
  second.IMSDK.loginImpl({ loginUserId: 'carol', loginToken: 't' }, url);
  await second.next('callback_onIMAfterLoginSucess');
  const [info] = await first.next('callback_onIMKickout');
  check(info.code === 1, 'kick-out code 1 (duplicate login)');
  check(first.IMSDK.getConnectionState() === 'kicked', 'first session kicked');
  check(second.IMSDK.isOnline(), 'second session online');
  check(first.count('callback_onIMReconnectSucess') === 0, 'no reconnect after a kick-out');
  second.IMSDK.disconnectSocket();
}
