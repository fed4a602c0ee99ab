/**
 * The chat session as a React hook: one `IMSDK` session for the app's lifetime, kept in this
 * module; its stock callbacks update a snapshot (connection state, messages with their delivery
 * status, a notice for failures and kick-outs) that `useChat()` subscribes to.
 */
import { IMSDK, MBProtocalFactory } from 'mobileimsdk-wasm';
import { useSyncExternalStore } from 'react';

if (process.env.TARO_ENV === 'weapp') {
  // config/index.js copies the wasm here; the default path is where DevTools' 构建 npm puts it.
  IMSDK.setWasmPath('mobileimsdk.wasm.br');
}

/**
 * @typedef {{fp: string, from: string, text: string, status: 'sending' | 'delivered' | 'lost' | 'received'}} ChatMessage
 * @typedef {{me: string, peer: string, state: string, messages: ChatMessage[], notice: string}} ChatSnapshot
 */

/** @type {ChatSnapshot} */
let snapshot = { me: '', peer: '', state: IMSDK.getConnectionState(), messages: [], notice: '' };
const listeners = new Set();

/** Replaces the snapshot with `patch` applied and tells the subscribed components. */
function update(patch) {
  snapshot = { ...snapshot, ...patch };
  for (const listener of listeners) listener();
}

function setStatus(fps, status) {
  update({ messages: snapshot.messages.map((m) => (fps.includes(m.fp) ? { ...m, status } : m)) });
}

IMSDK.on('state', (state) => update({ state }));
IMSDK.callback_onIMAfterLoginFailed = (_isReconnect, code) => update({ notice: `login failed (code ${code})` });
IMSDK.callback_onIMData = (p) =>
  update({ messages: [...snapshot.messages, { fp: p.fp, from: p.from, text: p.dataContent, status: 'received' }] });
IMSDK.callback_onMessagesBeReceived = (fp) => setStatus([fp], 'delivered');
IMSDK.callback_onMessagesLost = (lost) =>
  setStatus(
    lost.map((p) => p.fp),
    'lost',
  );
IMSDK.callback_onIMKickout = (info) => update({ notice: `kicked out (code ${info.code})` });

/** Logs in as `user` to the server at `url` (a `ws://` or `wss://` URL) to chat with `peer`. */
function login(user, peer, url) {
  const code = IMSDK.loginImpl({ loginUserId: user, loginToken: `token-${user}` }, url);
  update(code === 0 ? { me: user, peer, notice: '' } : { notice: `login refused (code ${code})` });
}

/** Sends `text` to the peer with QoS; it shows as sending until acknowledged. */
function send(text) {
  const p = MBProtocalFactory.createCommonDataSimple(text, snapshot.me, snapshot.peer);
  const code = IMSDK.sendData(p);
  if (code !== 0) {
    update({ notice: `not sent (code ${code})` });
    return;
  }
  update({ messages: [...snapshot.messages, { fp: p.fp, from: snapshot.me, text, status: 'sending' }] });
}

/** Logs out; messages still in flight are reported lost. */
function logout() {
  IMSDK.disconnectSocket();
  update({ me: '' });
}

function subscribe(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The session's snapshot, re-rendering on every change, and its actions. */
export function useChat() {
  const chat = useSyncExternalStore(subscribe, () => snapshot);
  return { ...chat, login, send, logout };
}
