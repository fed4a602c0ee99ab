/**
 * One user's pane: a login form, the connection state, notices (kick-out, link loss,
 * reconnect, login failure), the conversation with a peer — each sent message with its delivery
 * state — and a composer. It uses one SDK client through the stock API (`loginImpl`, `sendData`,
 * `callback_on…`) plus the `state` event.
 */
import { createConversationLog } from './conversation.js';
import { connectionStateLabel, isSessionOver, kickoutText, messageStateLabel } from './labels.js';

/** The most notices kept on screen. */
const MAX_NOTICES = 6;

/**
 * @typedef {object} PaneOptions
 * @property {Record<string, any>} client `IMSDK` and its companions (`MBProtocalFactory`, …)
 * @property {string} userId
 * @property {string} peer
 * @property {string} serverUrl
 * @property {boolean} autoLogin log in as soon as the pane is shown
 */

/**
 * Adds a pane for one user to `container`, built from `template`.
 * @param {HTMLElement} container
 * @param {HTMLTemplateElement} template
 * @param {PaneOptions} options
 */
export function mountPane(container, template, { client, userId, peer, serverUrl, autoLogin }) {
  const { IMSDK, MBProtocalFactory, MBUtils, MBKickoutCode } = client;
  const root = /** @type {HTMLElement} */ (template.content.firstElementChild.cloneNode(true));
  container.append(root);
  const find = (/** @type {string} */ selector) => /** @type {any} */ (root.querySelector(selector));
  const loginForm = find('.login');
  const composer = find('.composer');
  const peerInput = find('.peer input');
  const messages = find('.messages');
  const notices = find('.notices');
  loginForm.elements.serverUrl.value = serverUrl;
  loginForm.elements.userId.value = userId;
  loginForm.elements.token.value = `token-${userId}`;
  peerInput.value = peer;

  const now = () => MBUtils.formatDate(Date.now(), 'hh:mm:ss');
  const log = createConversationLog(now);
  let me = userId;

  /** @param {string} kind @param {string} text */
  function notice(kind, text) {
    const item = document.createElement('li');
    item.className = `notice notice--${kind}`;
    item.dataset.kind = kind;
    item.textContent = `${now()}  ${text}`;
    notices.append(item);
    while (notices.children.length > MAX_NOTICES) notices.firstElementChild.remove();
  }

  function renderState() {
    const state = IMSDK.getConnectionState();
    const over = isSessionOver(state);
    root.dataset.state = state;
    find('.pane__user').textContent = me;
    const badge = find('.state');
    badge.className = `state state--${state}`;
    badge.textContent = connectionStateLabel(state);
    loginForm.hidden = !over;
    find('.logout').hidden = over;
    for (const control of composer.elements) control.disabled = over;
  }

  /** @param {import('./conversation.js').Entry} entry */
  function messageRow(entry) {
    const row = document.createElement('li');
    row.className = `message message--${entry.direction}`;
    Object.assign(row.dataset, {
      state: entry.state,
      from: entry.message.from,
      to: entry.message.to,
      time: entry.time,
    });
    const text = document.createElement('span');
    text.className = 'message__text';
    text.textContent = entry.message.dataContent;
    const meta = document.createElement('span');
    meta.className = `message__meta message__meta--${entry.state}`;
    meta.textContent = `${entry.time} · ${messageStateLabel(entry)}`;
    row.append(text, meta);
    return row;
  }

  function renderMessages() {
    const chattingWith = peerInput.value.trim();
    const shown = log
      .list()
      .filter((entry) => (entry.direction === 'out' ? entry.message.to : entry.message.from) === chattingWith);
    messages.replaceChildren(...shown.map(messageRow));
    messages.scrollTop = messages.scrollHeight;
  }

  IMSDK.on('state', renderState);
  IMSDK.callback_onIMData = (/** @type {any} */ p) => {
    log.addReceived(p);
    renderMessages();
  };
  IMSDK.callback_onMessagesBeReceived = (/** @type {string} */ fp) => {
    if (log.markDelivered(fp)) renderMessages();
  };
  IMSDK.callback_onMessagesLost = (/** @type {any[]} */ list) => {
    if (log.markLost(list)) renderMessages();
  };
  IMSDK.callback_onIMAfterLoginFailed = (/** @type {boolean} */ _isReconnect, /** @type {number} */ code) =>
    notice('login-failed', `Login failed (code ${code})`);
  IMSDK.callback_onIMKickout = (/** @type {any} */ info) => notice('kickout', kickoutText(info, MBKickoutCode));
  IMSDK.callback_onIMDisconnected = () => {
    if (!isSessionOver(IMSDK.getConnectionState())) notice('disconnected', 'Connection lost, reconnecting…');
  };
  IMSDK.callback_onIMReconnectSucess = () => notice('reconnected', 'Reconnected');

  loginForm.addEventListener('submit', (/** @type {SubmitEvent} */ event) => {
    event.preventDefault();
    const { serverUrl: url, userId: user, token } = loginForm.elements;
    if (user.value.trim() !== me) log.clear();
    me = user.value.trim();
    notices.replaceChildren();
    const code = IMSDK.loginImpl({ loginUserId: me, loginToken: token.value }, url.value.trim());
    if (code !== 0) notice('login-failed', `Cannot log in (code ${code})`);
    renderState();
    renderMessages();
  });

  composer.addEventListener('submit', (/** @type {SubmitEvent} */ event) => {
    event.preventDefault();
    const input = composer.elements.text;
    const text = input.value.trim();
    const to = peerInput.value.trim();
    if (!text || !to || isSessionOver(IMSDK.getConnectionState())) return;
    const message = MBProtocalFactory.createCommonDataSimple(text, me, to);
    log.addSent(message, IMSDK.sendData(message));
    input.value = '';
    renderMessages();
  });

  peerInput.addEventListener('input', renderMessages);
  find('.logout').addEventListener('click', () => IMSDK.disconnectSocket());

  renderState();
  if (autoLogin) loginForm.requestSubmit();
}
