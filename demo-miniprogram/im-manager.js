/**
 * Owns the SDK for the app's lifetime (`getApp().im`): sets the `IMSDK` callbacks once, keeps
 * the connection state, the conversation log and the notices (kick-out, link loss, reconnect,
 * login failure), and hands a fresh snapshot to every subscribed page after each change.
 *
 * No protocol logic lives here: the states are the SDK's (`getConnectionState()` and its
 * `state` event, the callbacks, the code `sendData` returns).
 */
const { IMSDK, MBKickoutCode, MBProtocalFactory, MBUtils } = require('mobileimsdk-wasm');
const { createConversationLog } = require('./conversation-log.js');

/** The most notices kept; older ones are dropped. */
const MAX_NOTICES = 20;

/** Connection states in which there is no session until the user logs in again. */
const ENDED_STATES = ['idle', 'logged_out', 'kicked', 'auth_failed'];

/** @param {string} state a `getConnectionState()` value */
function isSessionOver(state) {
  return ENDED_STATES.indexOf(state) >= 0;
}

function now() {
  return MBUtils.formatDate(Date.now(), 'hh:mm:ss');
}

/** @param {{code: number, reason?: string | null}} info from `callback_onIMKickout` */
function kickoutText(info) {
  const why =
    info.code === MBKickoutCode.KICKOUT_FOR_DUPLICATE_LOGIN
      ? 'this account logged in elsewhere'
      : 'the server signed you out';
  return `Kicked out: ${why} (code ${info.code}${info.reason ? `, ${info.reason}` : ''})`;
}

/**
 * The app's one IM session.
 * @returns {{
 *   login(form: {serverUrl: string, userId: string, token: string}): number,
 *   send(peer: string, text: string): number,
 *   logout(): void,
 *   snapshot(): object,
 *   subscribe(listener: (snapshot: object) => void): () => void,
 * }}
 */
function createImManager() {
  const log = createConversationLog(now);
  const listeners = [];
  let userId = '';
  let serverUrl = '';
  let state = IMSDK.getConnectionState();
  /** The last `callback_onIMAfterLoginFailed` of this session, or null. */
  let loginFailure = null;
  let notices = [];
  let nextNoticeId = 1;

  function snapshot() {
    return {
      userId,
      serverUrl,
      state,
      sessionOver: isSessionOver(state),
      loginFailure: loginFailure && Object.assign({}, loginFailure),
      messages: log.list(),
      notices: notices.slice(),
    };
  }

  function changed() {
    const current = snapshot();
    for (const listener of listeners.slice()) listener(current);
  }

  /**
   * @param {'kickout' | 'disconnected' | 'reconnected' | 'login-failed'} kind
   * @param {string} text
   */
  function notice(kind, text) {
    notices = notices.concat([{ id: nextNoticeId, kind, text, time: now() }]).slice(-MAX_NOTICES);
    nextNoticeId += 1;
  }

  IMSDK.on('state', (next) => {
    state = next;
    changed();
  });
  IMSDK.callback_onIMData = (p) => {
    log.addReceived(p);
    changed();
  };
  IMSDK.callback_onMessagesBeReceived = (fp) => {
    if (log.markDelivered(fp)) changed();
  };
  IMSDK.callback_onMessagesLost = (list) => {
    if (log.markLost(list)) changed();
  };
  IMSDK.callback_onIMAfterLoginSucess = () => {
    loginFailure = null;
    changed();
  };
  IMSDK.callback_onIMAfterLoginFailed = (isReconnect, code) => {
    loginFailure = { isReconnect, code };
    notice('login-failed', `Login failed (code ${code})`);
    changed();
  };
  IMSDK.callback_onIMKickout = (info) => {
    notice('kickout', kickoutText(info));
    changed();
  };
  IMSDK.callback_onIMDisconnected = () => {
    if (isSessionOver(IMSDK.getConnectionState())) return;
    notice('disconnected', 'Connection lost, reconnecting…');
    changed();
  };
  IMSDK.callback_onIMReconnectSucess = () => {
    notice('reconnected', 'Reconnected');
    changed();
  };

  return {
    /**
     * Starts a session; the outcome arrives as state changes (or a login failure).
     * @returns {number} what `IMSDK.loginImpl` returned (0: started)
     */
    login(form) {
      if (form.userId !== userId) log.clear();
      userId = form.userId;
      serverUrl = form.serverUrl;
      loginFailure = null;
      notices = [];
      const code = IMSDK.loginImpl({ loginUserId: form.userId, loginToken: form.token }, form.serverUrl);
      state = IMSDK.getConnectionState();
      changed();
      return code;
    },

    /**
     * Sends `text` to `peer` with QoS; the message shows as sending, then delivered or lost.
     * @returns {number} what `IMSDK.sendData` returned
     */
    send(peer, text) {
      const message = MBProtocalFactory.createCommonDataSimple(text, userId, peer);
      const code = IMSDK.sendData(message);
      log.addSent(message, code);
      changed();
      return code;
    },

    /** Logs out; messages still in flight are reported lost by the SDK. */
    logout() {
      IMSDK.disconnectSocket();
    },

    snapshot,

    /**
     * Calls `listener` with the snapshot now and after every change.
     * @returns {() => void} unsubscribes
     */
    subscribe(listener) {
      listeners.push(listener);
      listener(snapshot());
      return () => {
        const index = listeners.indexOf(listener);
        if (index >= 0) listeners.splice(index, 1);
      };
    },
  };
}

module.exports = { createImManager };
