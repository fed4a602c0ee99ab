/**
 * The chat session as a Pinia store: one `IMSDK` session for the app's lifetime, its stock
 * callbacks turned into reactive state (connection state, messages with their delivery status,
 * a notice for failures and kick-outs) and actions (`login`, `send`, `logout`).
 */
import { IMSDK, MBProtocalFactory } from 'mobileimsdk-wasm';
import { defineStore } from 'pinia';
import { ref } from 'vue';

// #ifdef MP-WEIXIN
// vite.config.js copies the wasm here; the default path is where DevTools' 构建 npm puts it.
IMSDK.setWasmPath('static/mobileimsdk.wasm.br');
// #endif

export const useChatStore = defineStore('chat', () => {
  /** Who is logged in ('' before `login`), and to whom messages go. */
  const me = ref('');
  const peer = ref('');
  /** `IMSDK.getConnectionState()`: idle, connecting, logging_in, online, reconnecting, … */
  const state = ref(IMSDK.getConnectionState());
  /** `{fp, from, text, status}`; status: sending, delivered, lost (sent) or received. */
  const messages = ref([]);
  /** The last failure or kick-out, for the page to show. */
  const notice = ref('');

  const statusOf = (fp, status) => {
    const message = messages.value.find((m) => m.fp === fp);
    if (message) message.status = status;
  };

  IMSDK.on('state', (next) => {
    state.value = next;
  });
  IMSDK.callback_onIMAfterLoginFailed = (_isReconnect, code) => {
    notice.value = `login failed (code ${code})`;
  };
  IMSDK.callback_onIMData = (p) => {
    messages.value.push({ fp: p.fp, from: p.from, text: p.dataContent, status: 'received' });
  };
  IMSDK.callback_onMessagesBeReceived = (fp) => statusOf(fp, 'delivered');
  IMSDK.callback_onMessagesLost = (lost) => {
    for (const p of lost) statusOf(p.fp, 'lost');
  };
  IMSDK.callback_onIMKickout = (info) => {
    notice.value = `kicked out (code ${info.code})`;
  };

  /** Logs in as `user` to the server at `url` (a `ws://` or `wss://` URL) to chat with `to`. */
  function login(user, to, url) {
    notice.value = '';
    const code = IMSDK.loginImpl({ loginUserId: user, loginToken: `token-${user}` }, url);
    if (code !== 0) {
      notice.value = `login refused (code ${code})`;
      return;
    }
    me.value = user;
    peer.value = to;
  }

  /** Sends `text` to the peer with QoS; it shows as sending until acknowledged. */
  function send(text) {
    const p = MBProtocalFactory.createCommonDataSimple(text, me.value, peer.value);
    const code = IMSDK.sendData(p);
    if (code !== 0) {
      notice.value = `not sent (code ${code})`;
      return;
    }
    messages.value.push({ fp: p.fp, from: me.value, text, status: 'sending' });
  }

  /** Logs out; messages still in flight are reported lost. */
  function logout() {
    IMSDK.disconnectSocket();
    me.value = '';
  }

  return { me, peer, state, messages, notice, login, send, logout };
});
