/**
 * The conversation every example build must hold, whatever renders it: the example's page logs
 * in as a fresh user, sends a QoS message that the peer (an SDK client of the repository's own
 * mini-program build, in its own runtime) receives and the page shows delivered, shows the
 * peer's QoS reply, then shows the kick-out when the same user logs in elsewhere.
 */
import { openMiniProgram } from '../../tests/js/support/builds.mjs';

const STEP_TIMEOUT_MS = 15_000;
const POLL_MS = 25;

/**
 * What the scenario needs of a rendered page; reads may return promises (a browser page).
 * @typedef {object} ChatView
 * @property {(className: string) => unknown} tap
 * @property {(className: string, value: string) => unknown} input
 * @property {() => string | Promise<string>} state the connection state the page shows
 * @property {() => string | Promise<string>} notice
 * @property {() => {text: string, status: string}[] | Promise<{text: string, status: string}[]>} messages
 */

/** Resolves once `predicate()` (sync or async) holds; rejects after the step timeout. */
async function until(predicate, what, describe) {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  while (!(await predicate())) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${describe ? `; ${await describe()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** An SDK client outside the example (the peer, or a second login of the page's user). */
function sideClient(serverUrl, userId) {
  const { env, IMSDK, sdk } = openMiniProgram();
  const received = [];
  const acked = [];
  IMSDK.callback_onIMData = (p) => received.push({ from: p.from, text: p.dataContent });
  IMSDK.callback_onMessagesBeReceived = (fp) => acked.push(fp);
  let online = false;
  IMSDK.callback_onIMAfterLoginSucess = () => {
    online = true;
  };
  IMSDK.loginImpl({ loginUserId: userId, loginToken: `token-${userId}` }, serverUrl);
  return {
    received,
    acked,
    online: () => online,
    send(text, to) {
      const p = sdk.MBProtocalFactory.createCommonDataSimple(text, userId, to);
      if (IMSDK.sendData(p) !== 0) throw new Error(`${userId} could not send`);
      return p.fp;
    },
    close() {
      IMSDK.destroy();
      env.dispose();
    },
  };
}

/**
 * Plays the conversation on `view`, which must already be open with the login form filled in
 * for `user` and `peer`; throws at the first step that does not happen in time.
 * @param {ChatView} view
 * @param {{serverUrl: string, user: string, peer: string}} session
 */
export async function playChat(view, { serverUrl, user, peer }) {
  const clients = [];
  const describe = async () =>
    `page shows state=${await view.state()} notice="${await view.notice()}" messages=${JSON.stringify(await view.messages())}`;
  try {
    const bob = sideClient(serverUrl, peer);
    clients.push(bob);
    await until(bob.online, `${peer} online`);

    await view.tap('login__submit');
    await until(async () => (await view.state()) === 'online', 'the page online', describe);

    const outgoing = `hello ${peer}, from ${user}`;
    await view.input('session__draft', outgoing);
    await view.tap('session__send');
    const shows = async (text, status) =>
      (await view.messages()).some((m) => m.text.endsWith(text) && m.status === status);
    await until(() => bob.received.some((m) => m.from === user && m.text === outgoing), `${peer} receiving`, describe);
    await until(() => shows(outgoing, 'delivered'), 'the sent message shown delivered', describe);

    const incoming = `hi ${user}, from ${peer}`;
    const fp = bob.send(incoming, user);
    await until(() => shows(`${peer}: ${incoming}`, 'received'), 'the reply shown received', describe);
    await until(() => bob.acked.includes(fp), `the reply acknowledged to ${peer}`);

    clients.push(sideClient(serverUrl, user));
    await until(async () => (await view.notice()).includes('kicked out (code 1)'), 'the kick-out shown', describe);
    await until(async () => (await view.state()) === 'kicked', 'the page kicked', describe);
  } finally {
    for (const client of clients) client.close();
  }
}
